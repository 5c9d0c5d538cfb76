package dev.rvm.it.probe;

import dev.rvm.core.Transaction;
import dev.rvm.example.ledger.AccountBook;
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
 * prepared transactions the audit database holds without an outcome. {@code GET /probe/audit-memos}: the memo of
 * every audit row, one per line; {@code GET /probe/audit-tail}: the newest 12 rows. Thread-safe (no state).
 */
@WebServlet("/probe/*")
public class ProbeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** H2's table of prepared transactions; PostgreSQL's is pg_prepared_xacts. */
    private static final String H2_IN_DOUBT = "INFORMATION_SCHEMA.IN_DOUBT";

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
        String sql = switch (String.valueOf(req.getPathInfo())) {
            case "/db-in-doubt" -> "SELECT COUNT(*) FROM " + H2_IN_DOUBT;
            case "/audit-memos" -> "SELECT memo FROM ledger_audit";
            case "/audit-tail" -> "SELECT CONCAT(memo, ' ', from_account, '->', to_account, ' ', amount)"
                    + " FROM ledger_audit ORDER BY id DESC FETCH FIRST 12 ROWS ONLY";
            default -> null;
        };
        if (sql == null) {
            resp.sendError(404);
            return;
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL")
                     ? sql.replace(H2_IN_DOUBT, "pg_prepared_xacts") : sql)) { // -Dledger.db=postgresql
            resp.setContentType("text/plain");
            StringBuilder out = new StringBuilder();
            while (rs.next()) {
                out.append(rs.getString(1)).append('\n');
            }
            resp.getWriter().print(out.toString().trim());
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
            Transaction t = c.transaction();
            AccountBook book = AccountBook.of(t, c.region(AccountBook.REGION));
            Long[] balances = book.lock(t, "alice", "bob");
            book.set(t, "alice", balances[0] - 5);
            book.set(t, "bob", balances[1] + 5);
            book.set(t, "bob", balances[1]);
            book.set(t, "alice", balances[0]);
        } catch (Exception e) {
            tx.rollback();
            throw e;
        }
        tx.commit();
    }
}
