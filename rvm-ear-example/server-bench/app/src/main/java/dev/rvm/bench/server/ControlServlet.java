package dev.rvm.bench.server;

import dev.rvm.core.Statistics;
import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.RecordComponent;

/**
 * What the driver calls around the load, answered as {@code key=value} lines:
 * <ul>
 *   <li>{@code POST /setup?accounts=N&opening=X&dbs=h2,pg} — opens the accounts in RVM and in each database
 *       named (tables dropped and created afresh);</li>
 *   <li>{@code GET /stats} — the RVM store's counters ({@link Statistics}, one line per component);</li>
 *   <li>{@code GET /totals?accounts=N&dbs=h2,pg} — the sum of the balances in RVM and in each database, and the
 *       number of audit rows, so the driver can check that the run kept the total.</li>
 * </ul>
 * Thread-safe: no state.
 */
@WebServlet(urlPatterns = {"/setup", "/stats", "/totals"})
public class ControlServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient BenchTransfers transfers;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            if (!"/setup".equals(req.getServletPath())) {
                throw new IllegalArgumentException("POST only to /setup");
            }
            int accounts = Requests.intParam(req, "accounts", 10_000);
            long opening = Requests.longParam(req, "opening", 1_000_000);
            transfers.openRvmAccounts(accounts, opening);
            for (BenchDatabase db : databases(req)) {
                transfers.openDbAccounts(db, accounts, opening);
            }
            Requests.answer(resp, HttpServletResponse.SC_OK, "accounts=" + accounts + "\nopening=" + opening + "\n");
        } catch (RuntimeException e) {
            Requests.fail(resp, e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            StringBuilder out = new StringBuilder();
            if ("/stats".equals(req.getServletPath())) {
                Statistics s = transfers.rvmStatistics();
                for (RecordComponent rc : Statistics.class.getRecordComponents()) {
                    out.append(rc.getName()).append('=').append(rc.getAccessor().invoke(s)).append('\n');
                }
            } else if ("/totals".equals(req.getServletPath())) {
                out.append("rvm=").append(transfers.rvmTotal(Requests.intParam(req, "accounts", 10_000))).append('\n');
                for (BenchDatabase db : databases(req)) {
                    long[] t = transfers.dbTotals(db);
                    out.append(db.label()).append('=').append(t[0]).append('\n');
                    out.append(db.label()).append(".auditRows=").append(t[1]).append('\n');
                }
            } else {
                throw new IllegalArgumentException("GET only /stats or /totals");
            }
            Requests.answer(resp, HttpServletResponse.SC_OK, out.toString());
        } catch (ReflectiveOperationException e) {
            Requests.fail(resp, new IllegalStateException(e));
        } catch (RuntimeException e) {
            Requests.fail(resp, e);
        }
    }

    private static BenchDatabase[] databases(HttpServletRequest req) {
        String dbs = Requests.param(req, "dbs", "");
        if (dbs.isBlank()) {
            return new BenchDatabase[0];
        }
        String[] names = dbs.split(",");
        BenchDatabase[] out = new BenchDatabase[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = BenchDatabase.of(names[i].trim());
        }
        return out;
    }
}
