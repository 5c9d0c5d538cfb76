package dev.rvm.bench.server;

import dev.rvm.core.Statistics;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ResourceException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The transfer cases as one container-managed business method, plus the set-up and the checks the driver
 * calls around a run. Every transfer runs in a {@code REQUIRED} transaction started by the container: RVM and the
 * datasource enlist their XA resources in it, and the transaction manager commits one-phase (one resource) or
 * two-phase (both). A failure is a system exception, so the transaction rolls back. Thread-safe as the container
 * uses it (one call per instance at a time).
 *
 * <p>The lazy connection factory ({@value #LAZY}) is looked up on first use, not injected: the driver adds its
 * connection definition to the copy of {@code rvm-ra.rar} it deploys, and with the shipped RAR (which has only
 * {@code java:/eis/rvm}) this deployment still deploys and every other case runs. The other server's
 * {@link BenchPeer} is looked up on first use too, so the same WAR deploys on one server, and on both servers of the
 * two-server mode.
 */
@Stateless
public class BenchTransfers {

    /** The JNDI name of the connection definition with {@code lazyOnePhaseCommit} that case rvm-lazy uses. */
    static final String LAZY = "java:/eis/rvm-lazy";

    @Resource(lookup = "java:/eis/rvm")
    private RvmConnectionFactory rvm;

    /** {@link #LAZY}, once looked up by this instance. */
    private RvmConnectionFactory rvmLazy;

    /** The bean on the other server ({@link BenchPeerBean#JNDI_NAME}), once looked up by this instance. */
    private BenchPeer peer;

    @Resource(lookup = "java:/jdbc/BenchH2XADS")
    private DataSource h2;

    @Resource(lookup = "java:/jdbc/BenchPgXADS")
    private DataSource pg;

    @Resource(lookup = "java:/TransactionManager")
    private TransactionManager tm;

    /**
     * Moves {@code amount} from account {@code from} to account {@code to} the way {@code c} says; {@code db} is
     * the database of cases 2 to 4 (ignored by the others). The two-server cases ({@code rvm-remote},
     * {@code remote-none}) call {@link BenchPeer} on the other server inside this transaction.
     *
     * @throws IllegalArgumentException for equal or unknown accounts or a non-positive amount
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void transfer(TransferCase c, BenchDatabase db, int from, int to, long amount) {
        if (from == to || amount <= 0) {
            throw new IllegalArgumentException("need two different accounts and a positive amount: from=" + from
                    + " to=" + to + " amount=" + amount);
        }
        try {
            switch (c) {
                case NONE -> {
                    // the transaction alone: begun and committed by the container around this call
                }
                case RVM -> {
                    try (RvmConnection r = connect()) {
                        RvmBalances.transfer(r, from, to, amount);
                    }
                }
                case RVM_LAZY -> {
                    try (RvmConnection r = connect(lazyFactory())) {
                        RvmBalances.transfer(r, from, to, amount);
                    }
                }
                case RVM_AUDIT -> {
                    try (RvmConnection r = connect()) {
                        RvmBalances.transfer(r, from, to, amount);
                        BenchTables.audit(dataSource(db), from, to, amount);
                    }
                }
                case DB -> BenchTables.transfer(dataSource(db), from, to, amount);
                case DB_AUDIT -> BenchTables.transferAndAudit(dataSource(db), from, to, amount);
                case NOOP_AUDIT -> {
                    enlistIdle();
                    BenchTables.audit(dataSource(db), from, to, amount);
                }
                case RVM_REMOTE -> {
                    // as the example's cross-server transfer: the local debit first, then the remote credit
                    try (RvmConnection r = connect()) {
                        RvmBalances.add(r, from, -amount);
                        peer().credit(to, amount);
                    }
                }
                case REMOTE_NONE -> peer().joinOnly();
                default -> throw new IllegalStateException("case " + c);
            }
        } catch (SQLException e) {
            throw new EJBException("transfer " + c.label() + " on " + db.label() + " failed: " + e, e);
        }
    }

    /** Opens {@code accounts} accounts of {@code opening} in RVM (one transaction). */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void openRvmAccounts(int accounts, long opening) {
        try (RvmConnection r = connect()) {
            RvmBalances.create(r, accounts, opening);
        }
    }

    /** Drops, creates and fills the tables of {@code db}; outside a JTA transaction. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void openDbAccounts(BenchDatabase db, int accounts, long opening) {
        try {
            BenchTables.create(dataSource(db), accounts, opening);
        } catch (SQLException e) {
            throw new EJBException("cannot create the tables in " + db.label() + ": " + e, e);
        }
    }

    /** Sum of the first {@code accounts} RVM balances, read under a shared lock. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public long rvmTotal(int accounts) {
        try (RvmConnection r = connect()) {
            return RvmBalances.total(r, accounts);
        }
    }

    /** Sum of the balances in {@code db} and its number of audit rows. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public long[] dbTotals(BenchDatabase db) {
        try {
            return BenchTables.totals(dataSource(db));
        } catch (SQLException e) {
            throw new EJBException("cannot sum the tables of " + db.label() + ": " + e, e);
        }
    }

    /** The RVM store's counters; needs no transaction. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Statistics rvmStatistics() {
        try (RvmConnection r = connect()) {
            return r.statistics();
        }
    }

    private void enlistIdle() {
        try {
            tm.getTransaction().enlistResource(new IdleXAResource());
        } catch (RollbackException | SystemException e) {
            throw new EJBException("cannot enlist the idle resource: " + e, e);
        }
    }

    private DataSource dataSource(BenchDatabase db) {
        return db == BenchDatabase.POSTGRESQL ? pg : h2;
    }

    private RvmConnectionFactory lazyFactory() {
        if (rvmLazy == null) {
            try {
                rvmLazy = InitialContext.doLookup(LAZY);
            } catch (NamingException e) {
                throw new EJBException("no " + LAZY + " (the server-bench driver adds it to the RAR it deploys): "
                        + e, e);
            }
        }
        return rvmLazy;
    }

    /**
     * A proxy of {@link BenchPeerBean} on the other server. The name resolves there only through the EJB client
     * context of {@code WEB-INF/jboss-ejb-client.xml}, which the server-bench driver adds to the copy it deploys on
     * server A: the outbound connection to B, and the local receiver excluded (B deploys the same WAR, and A's own
     * bean must never answer). Looking it up does not contact B; the first call does.
     */
    private BenchPeer peer() {
        if (peer == null) {
            Properties env = new Properties();
            env.put(Context.URL_PKG_PREFIXES, "org.jboss.ejb.client.naming");
            try {
                Context ctx = new InitialContext(env);
                try {
                    peer = (BenchPeer) ctx.lookup(BenchPeerBean.JNDI_NAME);
                } finally {
                    ctx.close();
                }
            } catch (NamingException e) {
                throw new EJBException("no " + BenchPeerBean.JNDI_NAME + " (the two-server cases run on server A of"
                        + " the driver's two-server mode): " + e, e);
            }
        }
        return peer;
    }

    private RvmConnection connect() {
        return connect(rvm);
    }

    private static RvmConnection connect(RvmConnectionFactory factory) {
        try {
            return factory.getConnection();
        } catch (ResourceException e) {
            throw new EJBException("no RVM connection: " + e, e);
        }
    }
}
