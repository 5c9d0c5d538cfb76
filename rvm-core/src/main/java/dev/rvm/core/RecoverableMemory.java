package dev.rvm.core;

import java.util.List;

/**
 * A recoverable memory store: one redo log plus the segments it protects — the paper's {@code rvm_initialize}
 * ... {@code rvm_terminate}.
 *
 * <p>{@link #open(RvmOptions)} creates or opens the log, runs crash recovery and takes an exclusive lock on the
 * store: a second open, in this or another process, fails at once with {@link ErrorCode#STORE_LOCKED}.
 *
 * <p>Thread-safe: many threads may begin, run and commit transactions at once. Concurrent {@code FLUSH} commits
 * share log forces (group commit). Truncation runs in the background while transactions commit.
 */
public interface RecoverableMemory extends AutoCloseable {

    /** Opens (creating if needed) the store described by {@code options} and recovers it. */
    static RecoverableMemory open(RvmOptions options) {
        return StoreFactory.open(options);
    }

    /**
     * Creates a segment file of {@code size} bytes, zero-filled, readable by its owner only.
     *
     * @throws RvmException {@link ErrorCode#SEGMENT_EXISTS}, {@link ErrorCode#BAD_SEGMENT_NAME}
     */
    void createSegment(String name, long size);

    /** True if a segment of that name exists in this store. */
    boolean segmentExists(String name);

    /** The size in bytes of a segment. */
    long segmentSize(String name);

    /**
     * Maps {@code [offset, offset + length)} of a segment into memory — {@code rvm_map}. The bytes are copied in
     * (never mapped read-write); the region shows every committed transaction, including those still in the log.
     *
     * @throws RvmException {@link ErrorCode#OVERLAPPING_MAPPING} if it overlaps an existing mapping
     */
    Region map(String segment, long offset, long length);

    /**
     * Drops a region — {@code rvm_unmap}.
     *
     * @throws RvmException {@link ErrorCode#REGION_IN_USE} while a transaction has declared ranges in it
     */
    void unmap(Region region);

    /** The regions currently mapped. */
    List<Region> regions();

    /**
     * Begins a transaction associated with the calling thread — {@code begin_transaction}.
     *
     * @throws RvmException {@link ErrorCode#THREAD_HAS_TRANSACTION} if the calling thread already has one
     *         (transactions do not nest; see {@link #beginDetached} for a container's independent transaction)
     */
    Transaction begin(RestoreMode mode);

    /**
     * Begins a transaction associated with no thread, for a container or resource adapter that associates it
     * itself with {@link Transaction#join()} — for example a JTA {@code REQUIRES_NEW} transaction begun on a thread
     * whose own transaction the container has suspended. The two transactions stay independent: each commits or
     * aborts on its own.
     */
    Transaction beginDetached(RestoreMode mode);

    /** The transaction associated with the calling thread, or {@code null}. */
    Transaction current();

    /** Forces every {@code NO_FLUSH} commit to the log — {@code rvm_flush}. */
    void flush();

    /**
     * Applies the committed part of the log to the segments and frees its space — {@code rvm_truncate}. Runs
     * while other threads keep committing; waits for a truncation already in progress.
     */
    void truncate();

    /**
     * Second phase, commit: writes and forces the commit mark of a prepared branch, which may have been prepared
     * before a crash. Its new values become committed state. Like a FLUSH commit, the force also makes every
     * {@code NO_FLUSH} commit made before the call durable.
     *
     * @throws RvmException {@link ErrorCode#UNKNOWN_BRANCH} if no branch of that id is in doubt
     */
    void commitPrepared(BranchId branch);

    /**
     * Second phase, rollback: restores the old values of a prepared branch and writes and forces its abort mark
     * (which, like a commit's, also makes every {@code NO_FLUSH} commit made before the call durable).
     *
     * @throws RvmException {@link ErrorCode#UNKNOWN_BRANCH} if no branch of that id is in doubt
     */
    void rollbackPrepared(BranchId branch);

    /** The branches prepared and without an outcome, in prepare order: at any time, not only after recovery. */
    List<BranchId> inDoubt();

    /** A snapshot of the counters — {@code rvm_query} / statistics. */
    Statistics statistics();

    /**
     * Adds a listener told the duration of every commit, prepare, second phase and log force from now on (adding
     * the same listener twice has no effect). Without listeners the engine reads no clock for this.
     *
     * @throws RvmException {@link ErrorCode#ILLEGAL_ARGUMENT} if {@code listener} is null
     */
    void addLatencyListener(LatencyListener listener);

    /** Removes a listener added by {@link #addLatencyListener}; does nothing if it was not there. */
    void removeLatencyListener(LatencyListener listener);

    /** A random id chosen when the log was created; two stores are the same store iff their ids are equal. */
    long storeId();

    /** False after {@link #close()} or after an I/O failure stopped the store. */
    boolean isOpen();

    /**
     * Flushes lazy commits and closes the store — {@code rvm_terminate}. Active transactions are not aborted:
     * they are refused further work ({@link ErrorCode#STORE_CLOSED}); prepared branches stay in doubt in the log.
     *
     * @throws RvmException {@link ErrorCode#STORE_FAILED} if the lazy commits could not be forced; the store is
     *         closed all the same, and reopening it recovers what reached the log
     */
    @Override
    void close();
}
