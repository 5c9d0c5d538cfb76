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
 * {@code POST /two/block?at=POINT&from=&to=&amount=}: a transfer from this server's {@code from} to the other
 * server's {@code to} through the ledger's {@link CrossServerLedgerBean}, in a transaction begun here, that stops one
 * of the two servers at {@code POINT} and blocks there (see {@link BlockPoint}) until the test SIGKILLs that JVM:
 * <ul>
 *   <li>{@code A_BEFORE_PREPARE}: this server, in a synchronization's {@code beforeCompletion}: nothing prepared;</li>
 *   <li>{@code A_AFTER_B_PREPARED}: this server, in the prepare of a resource enlisted last: every branch here and
 *       the other server prepared, no log record here;</li>
 *   <li>{@code A_AFTER_LOG}: this server, in the commit of a resource enlisted first: the log says commit, nothing
 *       committed;</li>
 *   <li>{@code B_IN_CALL}: the other server, in a call of the propagated transaction after its credit;</li>
 *   <li>{@code B_AFTER_RVM_PREPARED}: the other server, in the prepare of a resource it enlisted after its RVM and
 *       database: those prepared, no subordinate record there;</li>
 *   <li>{@code B_BEFORE_COMMIT}: the other server, in the commit of a resource it enlisted first: prepared and
 *       recorded there, nothing committed there.</li>
 * </ul>
 * When the other server is the one killed, the answer says how this server ended the transaction: {@code committed}
 * (200) or the exception (500). {@code POST /two/hold?account=&millis=}: holds this server's lock on {@code account}
 * for {@code millis} in a transaction that then rolls back. Thread-safe (no state).
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
                case "/block" -> resp.getWriter().print(block(req.getParameter("at"), req.getParameter("from"),
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

    private String block(String at, String from, String to, long amount) throws Exception {
        tx.begin();
        try {
            switch (at) {
                case "A_BEFORE_PREPARE" -> {
                    transfer(from, to, amount);
                    tm.getTransaction().registerSynchronization(new BlockingSynchronization());
                }
                case "A_AFTER_B_PREPARED" -> {
                    transfer(from, to, amount);
                    enlist(PhaseBlockingXAResource.Phase.PREPARE);
                }
                case "A_AFTER_LOG" -> {
                    enlist(PhaseBlockingXAResource.Phase.COMMIT);
                    transfer(from, to, amount);
                }
                case "B_IN_CALL" -> {
                    transfer(from, to, amount);
                    peer().block();
                }
                case "B_AFTER_RVM_PREPARED" -> {
                    transfer(from, to, amount);
                    peer().enlistBlocking(PhaseBlockingXAResource.Phase.PREPARE.name());
                }
                case "B_BEFORE_COMMIT" -> {
                    peer().enlistBlocking(PhaseBlockingXAResource.Phase.COMMIT.name());
                    transfer(from, to, amount);
                }
                default -> throw new IllegalArgumentException("no blocking point " + at);
            }
        } catch (Exception | Error e) {
            tx.rollback();
            throw e;
        }
        tx.commit();
        return "committed";
    }

    private void transfer(String from, String to, long amount) {
        TransferResult r = ledger.transferToPeer(from, to, amount, "crash");
        LOG.info(() -> "transfer before the block: " + r);
    }

    private void enlist(PhaseBlockingXAResource.Phase phase) throws Exception {
        tm.getTransaction().enlistResource(new PhaseBlockingXAResource(phase));
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

    /** Blocks before the transaction manager prepares anything, until the test kills the JVM. */
    private static final class BlockingSynchronization implements Synchronization {
        @Override
        public void beforeCompletion() {
            BlockPoint.blockUntilKilled("beforeCompletion, before prepare");
        }

        @Override
        public void afterCompletion(int status) {
        }
    }
}
