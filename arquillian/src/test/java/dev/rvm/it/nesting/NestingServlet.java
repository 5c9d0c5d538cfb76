package dev.rvm.it.nesting;

import dev.rvm.core.Region;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.resource.ResourceException;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.UserTransaction;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code POST /nesting/run?scenario=S&run=N&via=ejb|cdi}: runs a scenario of {@link OuterBean}, answers what it
 * observed or the failure. {@code GET /nesting/state?run=N}: the slots of run N that hold 1 and the audit rows of
 * run N, as {@code slots=a,b audit=a,b}. {@code POST /nesting/lock?run=N}: locks every slot of run N in a new
 * transaction and rolls it back — fails after the lock timeout if any transaction still holds one. Thread-safe.
 */
@WebServlet("/nesting/*")
public class NestingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient OuterBean outer;

    @Resource(lookup = "java:/eis/rvm")
    private transient RvmConnectionFactory rvm;

    @Resource(lookup = "java:/jdbc/LedgerXADS")
    private transient DataSource ds;

    @Resource
    private transient UserTransaction tx;

    @Override
    public void init() throws ServletException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS nesting_audit (run INT NOT NULL, who VARCHAR(16) NOT NULL)");
        } catch (SQLException e) {
            throw new ServletException(e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int run = Integer.parseInt(req.getParameter("run"));
        resp.setContentType("text/plain");
        try {
            if ("/lock".equals(req.getPathInfo())) {
                tx.begin();
                try (RvmConnection c = rvm.getConnection()) {
                    Region r = c.region(Slots.REGION);
                    c.setRange(r, Slots.base(run), 64);
                } finally {
                    tx.rollback();
                }
                resp.getWriter().print("locked");
            } else {
                resp.getWriter().print(outer.run(req.getParameter("scenario"), run, req.getParameter("via")));
            }
        } catch (Exception e) {
            resp.setStatus(500);
            resp.getWriter().print(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int run = Integer.parseInt(req.getParameter("run"));
        List<String> slots = new ArrayList<>();
        try (RvmConnection c = rvm.getConnection()) {
            Region r = c.region(Slots.REGION);
            for (int s = 0; s < Slots.NAMES.length; s++) {
                if (r.getLong(Slots.base(run) + 8L * s) != 0) {
                    slots.add(Slots.NAMES[s]);
                }
            }
        } catch (ResourceException e) {
            throw new IOException(e);
        }
        List<String> audit = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT who FROM nesting_audit WHERE run = ? ORDER BY who")) {
            ps.setInt(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    audit.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IOException(e);
        }
        slots.sort(null);
        resp.setContentType("text/plain");
        resp.getWriter().print("slots=" + String.join(",", slots) + " audit=" + String.join(",", audit));
    }
}
