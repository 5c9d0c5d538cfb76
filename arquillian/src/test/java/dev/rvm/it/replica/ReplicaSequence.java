package dev.rvm.it.replica;

import dev.rvm.core.Region;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import dev.rvm.it.probe.PhaseBlockingXAResource;
import jakarta.resource.ResourceException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;

/**
 * A sequence in the replicated store, region {@value #REGION}: the last value given out at offset 0, and each value
 * {@code v} also written into slot {@code v % }{@value #SLOTS} by the same transaction, so a recovered store whose
 * slots do not match its counter shows a partial transaction. RVM is each transaction's only resource: the container
 * commits it one-phase. Thread-safe as the container uses it.
 */
@Stateless
public class ReplicaSequence {
    /** The region. */
    public static final String REGION = "seq";
    /** Slots after the counter. */
    public static final int SLOTS = 1000;

    @Resource(lookup = "java:/eis/rvm-replicated")
    private RvmConnectionFactory rvm;

    @Resource(lookup = "java:/TransactionManager")
    private TransactionManager tm;

    private static long slot(long v) {
        return 8 + (v % SLOTS) * 8;
    }

    /** Takes the next value in a transaction of its own; returns it once the container's commit returned. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long next() throws ResourceException {
        try (RvmConnection c = rvm.getConnection()) {
            Region r = c.region(REGION);
            c.setRange(r, 0, 8);
            long v = r.getLong(0) + 1;
            c.setRange(r, slot(v), 8);
            r.putLong(0, v);
            r.putLong(slot(v), v);
            return v;
        }
    }

    /**
     * Bumps the sequence in a transaction that also enlists a resource blocking in its prepare
     * ({@link PhaseBlockingXAResource}, enlisted after RVM, so RVM's branch is prepared — in the group's log — and
     * the transaction manager has written no record yet): the test SIGKILLs the server there. Never returns.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long nextBlockedAfterPrepare() throws ResourceException, SystemException, RollbackException {
        long v = next();
        tm.getTransaction().enlistResource(new PhaseBlockingXAResource(PhaseBlockingXAResource.Phase.PREPARE));
        return v;
    }

    /** How many branches the store holds prepared and in doubt (no lock taken). */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public long inDoubt() throws ResourceException {
        try (RvmConnection c = rvm.getConnection()) {
            return c.statistics().inDoubt();
        }
    }

    /**
     * The counter as committed, read under a shared lock, after checking that each of the last {@value #SLOTS}
     * values is in its slot; a line {@code counter} or {@code BROKEN ...} naming the first slot that is not.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public String state() throws ResourceException {
        try (RvmConnection c = rvm.getConnection()) {
            Region r = c.region(REGION);
            c.lockShared(r, 0, 8 + SLOTS * 8L);
            long counter = r.getLong(0);
            for (long v = Math.max(1, counter - SLOTS + 1); v <= counter; v++) {
                if (r.getLong(slot(v)) != v) {
                    return "BROKEN counter " + counter + ", slot of " + v + " holds " + r.getLong(slot(v));
                }
            }
            return Long.toString(counter);
        }
    }
}
