package dev.rvm.it.probe;

import dev.rvm.core.Transaction;
import dev.rvm.example.ledger.AccountBook;
import dev.rvm.example.ledger.CrossServerLedgerBean;
import dev.rvm.example.ledger.TransferResult;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.UserTransaction;
import java.io.IOException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.naming.Context;
import javax.naming.InitialContext;

/**
 * The two-server probe, deployed on both servers as {@code rvm-two-probe.war}.
 * {@code POST /two/halt?at=POINT&from=&to=&amount=}: a transfer from this server's {@code from} to the other server's {@code to} through the ledger's
 * {@link CrossServerLedgerBean}, in a transaction begun here, that halts one of the two JVMs at {@code POINT}:
 * <ul>
 *   <li>{@code A_BEFORE_PREPARE}: this JVM, in a synchronization's {@code beforeCompletion}: nothing prepared;</li>
 *   <li>{@code A_AFTER_B_PREPARED}: this JVM, in the prepare of a resource enlisted last: every branch here and
 *       the other server prepared, no log record here;</li>
 *   <li>{@code A_AFTER_LOG}: this JVM, in the commit of a resource enlisted first: the log says commit, nothing
 *       committed;</li>
 *   <li>{@code B_IN_CALL}: the other JVM, in a call of the propagated transaction after its credit;</li>
 *   <li>{@code B_AFTER_RVM_PREPARED}: the other JVM, in the prepare of a resource it enlisted after its RVM and
 *       database: those prepared, no subordinate record there;</li>
 *   <li>{@code B_BEFORE_COMMIT}: the other JVM, in the commit of a resource it enlisted first: prepared and
 *       recorded there, nothing committed there.</li>
 * </ul>
 * {@code POST /two/hold?account=&millis=}: holds this server's lock on {@code account} for {@code millis} in a
 * transaction that then rolls back. Thread-safe (no state).
 */
@WebServlet("/two/*")
public class TwoServerProbeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(TwoServerProbeServlet.class.getName());

    @Resource
    private transient UserTransaction tx;

    @Resource(lookup = "java:/TransactionManager")
    private transient TransactionManager tm;

    @Resource(lookup = "java:/eis/rvm")
    private transient RvmConnectionFactory rvm;

    @EJB(lookup = "java:global/rvm-ledger/ledger-ejb/CrossServerLedgerBean!"
            + "dev.rvm.example.ledger.CrossServerLedgerBean")
    private transient CrossServerLedgerBean ledger;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        try {
            switch (String.valueOf(req.getPathInfo())) {
                case "/halt" -> resp.getWriter().print(halt(req.getParameter("at"), req.getParameter("from"),
                        req.getParameter("to"), Long.parseLong(req.getParameter("amount"))));
                case "/hold" -> {
                    hold(req.getParameter("account"), Long.parseLong(req.getParameter("millis")));
                    resp.getWriter().print("released");
                }
                default -> resp.sendError(404);
            }
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private String halt(String at, String from, String to, long amount) throws Exception {
        tx.begin();
        try {
            switch (at) {
                case "A_BEFORE_PREPARE" -> {
                    transfer(from, to, amount);
                    tm.getTransaction().registerSynchronization(new HaltingSynchronization());
                }
                case "A_AFTER_B_PREPARED" -> {
                    transfer(from, to, amount);
                    enlist(PhaseHaltingXAResource.Phase.PREPARE);
                }
                case "A_AFTER_LOG" -> {
                    enlist(PhaseHaltingXAResource.Phase.COMMIT);
                    transfer(from, to, amount);
                }
                case "B_IN_CALL" -> {
                    transfer(from, to, amount);
                    peer().halt();
                }
                case "B_AFTER_RVM_PREPARED" -> {
                    transfer(from, to, amount);
                    peer().enlistHalting(PhaseHaltingXAResource.Phase.PREPARE.name());
                }
                case "B_BEFORE_COMMIT" -> {
                    peer().enlistHalting(PhaseHaltingXAResource.Phase.COMMIT.name());
                    transfer(from, to, amount);
                }
                default -> throw new IllegalArgumentException("no halting point " + at);
            }
        } catch (Exception | Error e) {
            tx.rollback();
            throw e;
        }
        tx.commit();
        return "committed without a halt at " + at;
    }

    private void transfer(String from, String to, long amount) {
        TransferResult r = ledger.transferToPeer(from, to, amount, "halt");
        LOG.info(() -> "transfer before the halt: " + r);
    }

    private void enlist(PhaseHaltingXAResource.Phase phase) throws Exception {
        tm.getTransaction().enlistResource(new PhaseHaltingXAResource(phase));
    }

    private static PeerProbe peer() throws Exception {
        Properties env = new Properties();
        env.put(Context.URL_PKG_PREFIXES, "org.jboss.ejb.client.naming");
        Context ctx = new InitialContext(env);
        try {
            return (PeerProbe) ctx.lookup("ejb:/rvm-two-probe/PeerProbeBean!" + PeerProbe.class.getName());
        } finally {
            ctx.close();
        }
    }

    private void hold(String account, long millis) throws Exception {
        tx.begin();
        try (RvmConnection c = rvm.getConnection()) {
            Transaction t = c.transaction();
            AccountBook.of(t, c.region(AccountBook.REGION)).lockOne(t, account);
            Thread.sleep(millis);
        } finally {
            tx.rollback();
        }
    }

    /** Halts the JVM before the transaction manager prepares anything. */
    private static final class HaltingSynchronization implements Synchronization {
        @Override
        public void beforeCompletion() {
            LOG.warning("halting the JVM in beforeCompletion, before prepare");
            Runtime.getRuntime().halt(1);
        }

        @Override
        public void afterCompletion(int status) {
        }
    }
}
