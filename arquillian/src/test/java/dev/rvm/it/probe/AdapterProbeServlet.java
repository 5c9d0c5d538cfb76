package dev.rvm.it.probe;

import dev.rvm.core.Region;
import dev.rvm.core.Statistics;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.UserTransaction;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Transactions on any RVM connection factory, named by the {@code jndi} parameter, for adapters the example does not
 * use (one activated in the resource-adapters subsystem). Deployed in a WAR of its own whose only RVM classes are
 * those of that adapter's deployment, so it needs no ledger. {@code POST /adapter/commit}: one transaction that adds 1
 * to the first long of region {@code main} and commits. {@code POST /adapter/rollback}: the same change, rolled back.
 * {@code GET /adapter/statistics}: the store's {@link Statistics}, one {@code name=value} line per component.
 * Thread-safe (no state).
 */
@WebServlet("/adapter/*")
public class AdapterProbeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Resource
    private transient UserTransaction tx;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"/statistics".equals(req.getPathInfo())) {
            resp.sendError(404);
            return;
        }
        Statistics s;
        try (RvmConnection c = factory(req).getConnection()) {
            s = c.statistics();
        } catch (Exception e) {
            throw new IOException(e);
        }
        StringBuilder out = new StringBuilder();
        try {
            for (RecordComponent rc : Statistics.class.getRecordComponents()) {
                out.append(rc.getName()).append('=').append(rc.getAccessor().invoke(s)).append('\n');
            }
        } catch (ReflectiveOperationException e) {
            throw new IOException(e);
        }
        resp.setContentType("text/plain");
        resp.getWriter().print(out);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String action = String.valueOf(req.getPathInfo());
        if (!action.equals("/commit") && !action.equals("/rollback")) {
            resp.sendError(404);
            return;
        }
        try {
            RvmConnectionFactory rvm = factory(req);
            tx.begin();
            try (RvmConnection c = rvm.getConnection()) {
                Region main = c.region("main");
                c.setRange(main, 0, Long.BYTES);
                main.putLong(0, main.getLong(0) + 1);
            } catch (Exception e) {
                tx.rollback();
                throw e;
            }
            if (action.equals("/commit")) {
                tx.commit();
            } else {
                tx.rollback();
            }
        } catch (Exception e) {
            throw new IOException(e);
        }
        resp.setContentType("text/plain");
        resp.getWriter().print("ok");
    }

    private static RvmConnectionFactory factory(HttpServletRequest req) throws NamingException {
        String jndi = req.getParameter("jndi");
        if (jndi == null || jndi.isBlank()) {
            throw new NamingException("parameter jndi (the connection factory's JNDI name) is missing");
        }
        return InitialContext.doLookup(jndi);
    }
}
