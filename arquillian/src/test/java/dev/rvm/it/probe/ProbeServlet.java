package dev.rvm.it.probe;

import dev.rvm.core.Region;
import dev.rvm.example.ledger.Accounts;
import dev.rvm.example.ledger.LedgerBean;
import dev.rvm.example.ledger.TransferResult;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.UserTransaction;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * {@code POST /probe/rvm-only}: one transaction in which RVM is the only resource: moves 5 from alice to bob and
 * back, so balances end as they were but RVM commits a real update. {@code POST /probe/halt-in-commit}: a ledger
 * transfer of 7 from alice to bob in a transaction that also holds a {@link HaltingXAResource}, enlisted first; the
 * JVM halts after all resources prepared and before any committed. {@code GET /probe/db-in-doubt}: how many
 * prepared transactions the audit database holds without an outcome. Thread-safe (no state).
 */
@WebServlet("/probe/*")
public class ProbeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:/eis/rvm")
    private transient RvmConnectionFactory rvm;

    @Resource
    private transient UserTransaction tx;

    @Resource(lookup = "java:/TransactionManager")
    private transient TransactionManager tm;

    @EJB(lookup = "java:global/rvm-ledger/ledger-ejb/LedgerBean!dev.rvm.example.ledger.LedgerBean")
    private transient LedgerBean ledger;

    @Resource(lookup = "java:/jdbc/LedgerXADS")
    private transient DataSource ds;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"/db-in-doubt".equals(req.getPathInfo())) {
            resp.sendError(404);
            return;
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL")
                     ? "SELECT COUNT(*) FROM pg_prepared_xacts" // -Dledger.db=postgresql
                     : "SELECT COUNT(*) FROM INFORMATION_SCHEMA.IN_DOUBT")) {
            rs.next();
            resp.setContentType("text/plain");
            resp.getWriter().print(rs.getLong(1));
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        try {
            switch (String.valueOf(req.getPathInfo())) {
                case "/rvm-only" -> {
                    rvmOnlyRoundTrip();
                    resp.getWriter().print("ok");
                }
                case "/halt-in-commit" -> {
                    tx.begin();
                    tm.getTransaction().enlistResource(new HaltingXAResource());
                    TransferResult r = ledger.transfer("alice", "bob", 7, "crash");
                    tx.commit();
                    resp.getWriter().print("not halted?! " + r);
                }
                default -> resp.sendError(404);
            }
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private void rvmOnlyRoundTrip() throws Exception {
        tx.begin();
        try (RvmConnection c = rvm.getConnection()) {
            Region region = c.region(Accounts.REGION);
            Accounts accounts = new Accounts(region);
            int a = accounts.find("alice");
            int b = accounts.find("bob");
            c.setRange(region, Accounts.balanceOffset(a), Long.BYTES);
            c.setRange(region, Accounts.balanceOffset(b), Long.BYTES);
            accounts.setBalance(a, accounts.balance(a) - 5);
            accounts.setBalance(b, accounts.balance(b) + 5);
            accounts.setBalance(b, accounts.balance(b) - 5);
            accounts.setBalance(a, accounts.balance(a) + 5);
        } catch (Exception e) {
            tx.rollback();
            throw e;
        }
        tx.commit();
    }
}
