package dev.rvm.it.lazy;

import dev.rvm.core.Region;
import dev.rvm.core.Statistics;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ResourceException;

/**
 * A sequence in RVM, region {@value #REGION}, bytes [{@value #AT}, +16): the last value given out and a check
 * value derived from it, written by the same transaction, so a recovered pair that does not match shows a partial
 * transaction. RVM is each transaction's only resource: the container commits it one-phase, lazily on this
 * connection factory. Thread-safe as the container uses it.
 */
@Stateless
public class LazySequence {
    /** The region. */
    public static final String REGION = "main";
    /** Where the pair lives: the last 64 bytes of the 1 MiB region, past what other tests use. */
    public static final long AT = 1_048_576 - 64;

    @Resource(lookup = "java:/eis/rvm-lazy")
    private RvmConnectionFactory rvm;

    /** The check value of {@code seq}. */
    public static long check(long seq) {
        return seq * 31 + 7;
    }

    /** Takes the next value in a transaction of its own; returns it once the container's commit returned. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long next() {
        try (RvmConnection c = rvm.getConnection()) {
            Region r = c.region(REGION);
            c.setRange(r, AT, 16);
            long seq = r.getLong(AT) + 1;
            r.putLong(AT, seq);
            r.putLong(AT + 8, check(seq));
            return seq;
        } catch (ResourceException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The store's counters of lazy and forced commits and of forces: {@code commitsNoFlush commitsFlush forces}. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public String counters() {
        try (RvmConnection c = rvm.getConnection()) {
            Statistics s = c.statistics();
            return s.commitsNoFlush() + " " + s.commitsFlush() + " " + s.forces();
        } catch (ResourceException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pair as committed, read under a shared lock: {@code seq check}. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public String state() {
        try (RvmConnection c = rvm.getConnection()) {
            Region r = c.region(REGION);
            c.lockShared(r, AT, 16);
            return r.getLong(AT) + " " + r.getLong(AT + 8);
        } catch (ResourceException e) {
            throw new IllegalStateException(e);
        }
    }
}
