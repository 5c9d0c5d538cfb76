package dev.rvm.ra;

import dev.rvm.core.LatencyListener;
import dev.rvm.core.Region;
import dev.rvm.core.Statistics;
import dev.rvm.core.Transaction;
import java.util.Set;

/**
 * A connection handle to the RVM store of the adapter: the configured regions, range declaration for the current
 * transaction, and the store's statistics. Obtained from {@link RvmConnectionFactory#getConnection()}; close it
 * (try-with-resources) when done — the transaction's outcome does not depend on when the handle is closed.
 *
 * <p>Not thread-safe: one thread at a time, the one running the transaction.
 *
 * @see dev.rvm.ra
 */
public interface RvmConnection extends AutoCloseable {

    /**
     * The region configured under {@code name} (the {@code regions} property of the adapter).
     *
     * @throws dev.rvm.core.RvmException {@link dev.rvm.core.ErrorCode#ILLEGAL_ARGUMENT} for an unknown name
     */
    Region region(String name);

    /** The configured region names. */
    Set<String> regionNames();

    /**
     * Declares that {@code [offset, offset + length)} of {@code region} is about to change in the current
     * transaction, and locks it exclusively until the transaction ends — the paper's {@code set_range}.
     *
     * @throws dev.rvm.core.RvmException {@link dev.rvm.core.ErrorCode#NO_TRANSACTION} outside a transaction;
     *         {@link dev.rvm.core.ErrorCode#LOCK_TIMEOUT} or {@link dev.rvm.core.ErrorCode#DEADLOCK}
     */
    void setRange(Region region, long offset, long length);

    /**
     * Takes a shared lock on a range for a consistent read, held until the current transaction ends.
     *
     * @throws dev.rvm.core.RvmException {@link dev.rvm.core.ErrorCode#NO_TRANSACTION} outside a transaction
     */
    void lockShared(Region region, long offset, long length);

    /**
     * The RVM transaction of the current container transaction, for structures that take one (the recoverable heap
     * and map of {@code dev.rvm.core.heap}). It declares and locks ranges; it cannot be committed, aborted or
     * prepared (the transaction manager does that), and closing it does nothing.
     *
     * @throws dev.rvm.core.RvmException {@link dev.rvm.core.ErrorCode#NO_TRANSACTION} outside a transaction
     */
    Transaction transaction();

    /** Whether a transaction (JTA or local) is associated with this connection now. */
    boolean inTransaction();

    /** A snapshot of the store's counters. */
    Statistics statistics();

    /**
     * Adds a listener to the adapter's store, told the duration of every commit, prepare, second phase and log
     * force (for latency histograms). It stays registered after this handle is closed, until
     * {@link #removeLatencyListener} or until the adapter stops: an application that adds one removes it when it
     * is undeployed.
     */
    void addLatencyListener(LatencyListener listener);

    /** Removes a listener added by {@link #addLatencyListener}; does nothing if it is not there. */
    void removeLatencyListener(LatencyListener listener);

    /** Releases the handle; idempotent. */
    @Override
    void close();
}
