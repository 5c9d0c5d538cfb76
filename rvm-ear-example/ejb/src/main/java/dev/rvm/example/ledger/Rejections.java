package dev.rvm.example.ledger;

import dev.rvm.core.Region;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The record of rejected transfers, kept whatever becomes of the transfer: a transfer that would overdraw its
 * source is rolled back, but the fact that it was tried must survive that rollback — so it is written in a
 * transaction of its own ({@code REQUIRES_NEW}), begun while the transfer's transaction, which already holds RVM
 * ranges, is suspended. It counts the rejections and their amounts in RVM (region {@value #REGION}, bytes
 * [0, 16)) and writes a row to the database's rejection table; both commit together, independently of the transfer.
 * Thread-safe: no state besides the injected, thread-safe resources.
 */
@ApplicationScoped
public class Rejections {
    /** The region that holds the two counters. */
    public static final String REGION = "main";
    private static final Logger LOG = Logger.getLogger(Rejections.class.getName());

    @Resource(lookup = "java:/eis/rvm")
    private RvmConnectionFactory rvm;

    @Resource(lookup = "java:/jdbc/LedgerXADS")
    private DataSource ds;

    /**
     * Records {@code rejected} in a new transaction. A failure is logged and swallowed: the caller's answer is the
     * rejection either way, and its own transaction is rolled back anyway.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void record(TransferResult rejected, String via) {
        try (RvmConnection c = TransferWork.connect(rvm)) {
            Region r = c.region(REGION);
            c.setRange(r, 0, 16);
            r.putLong(0, r.getLong(0) + 1);
            r.putLong(8, r.getLong(8) + rejected.amount());
        }
        try {
            new AuditLog(ds).recordRejection(rejected.from(), rejected.to(), rejected.amount(), via);
        } catch (SQLException e) {
            throw new LedgerException(LedgerException.Reason.AUDIT_FAILED, "rejection not recorded: " + e, e);
        }
    }

    /** Calls {@link #record} and logs, rather than throws, its failure. */
    public static void recordQuietly(Rejections rejections, TransferResult result, String via) {
        if (!TransferResult.REJECTED.equals(result.outcome())) {
            return;
        }
        try {
            rejections.record(result, via);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the rejected transfer " + result.from() + " -> " + result.to() + " of "
                    + result.amount() + " was not recorded", e);
        }
    }

    /** The counters as RVM holds them, read under a shared lock, and the number of rows in the database. */
    @Transactional(Transactional.TxType.REQUIRED)
    public Summary summary() {
        long count;
        long amount;
        try (RvmConnection c = TransferWork.connect(rvm)) {
            Region r = c.region(REGION);
            c.lockShared(r, 0, 16);
            count = r.getLong(0);
            amount = r.getLong(8);
        }
        try {
            return new Summary(count, amount, new AuditLog(ds).rejectionRows());
        } catch (SQLException e) {
            throw new LedgerException(LedgerException.Reason.AUDIT_FAILED, "rejections not read: " + e, e);
        }
    }

    /**
     * Rejected transfers in numbers. Immutable.
     *
     * @param count rejections counted in RVM
     * @param amount their amounts summed, in RVM
     * @param rows rows in the database's rejection table
     */
    public record Summary(long count, long amount, long rows) {
    }
}
