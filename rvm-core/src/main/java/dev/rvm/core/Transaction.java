package dev.rvm.core;

/**
 * A transaction on recoverable memory — the paper's {@code begin_transaction} ... {@code end_transaction}.
 *
 * <p>A transaction is associated with the thread that began it: region {@code put}s made by that thread are
 * checked against its declared ranges. {@link #suspend()} and {@link #resume()} move the association to another
 * thread (as a JTA transaction manager does). A thread has at most one transaction in use at a time; resource
 * adapters, whose XA branches follow the XA resource rather than the thread, use {@link #join()} and
 * {@link #leave(Thread)}: a transaction may then be associated with several threads, and a thread's transaction may
 * be set aside while another one joins it (JTA's {@code REQUIRES_NEW}) and come back when that one ends.
 *
 * <p>Closing a transaction that is still {@link TransactionState#ACTIVE} aborts it if it is
 * {@link RestoreMode#RESTORE}. A {@code NO_RESTORE} transaction promised never to abort and its changes cannot be
 * undone, so closing it while active commits it with {@link CommitMode#FLUSH}: memory and log stay consistent.
 *
 * <p>Not thread-safe: one thread at a time uses a transaction (an associated one); {@link #join()} and
 * {@link #leave(Thread)} may be called from any thread.
 */
public interface Transaction extends AutoCloseable {

    /** The restore mode given to {@link RecoverableMemory#begin}. */
    RestoreMode restoreMode();

    /** Current state. */
    TransactionState state();

    /** A number unique among the transactions of this store since it was opened, for messages and tools. */
    long id();

    /**
     * Declares that {@code [offset, offset + length)} of {@code region} is about to change — the paper's
     * {@code set_range}. With {@link RestoreMode#RESTORE} the current bytes are saved for {@link #abort()}.
     * With range locks on (the default), takes an exclusive lock on the range, waiting up to the lock timeout.
     * Overlapping and adjacent ranges are merged; declaring a range twice is harmless.
     *
     * @throws RvmException {@link ErrorCode#LOCK_TIMEOUT} or {@link ErrorCode#DEADLOCK} naming the range and
     *         the holder; {@link ErrorCode#ILLEGAL_ARGUMENT} for a range outside the region
     */
    void setRange(Region region, long offset, long length);

    /**
     * Takes a shared lock on a range for a consistent read, held until commit or abort. Waits like
     * {@link #setRange}. Without range locks this is a no-op.
     */
    void lockShared(Region region, long offset, long length);

    /**
     * Commits — the paper's {@code end_transaction}: the new values of every declared range, as they are now,
     * go to the redo log. {@link CommitMode#FLUSH} returns only once they are durable.
     *
     * @throws RvmException {@link ErrorCode#STORE_FAILED} if the log could not be written or forced; the
     *         outcome is then unknown until the store is reopened and recovered
     */
    void commit(CommitMode mode);

    /**
     * Aborts — the paper's {@code abort_transaction}: puts the saved old values back and releases the locks.
     *
     * @throws RvmException {@link ErrorCode#ABORT_NOT_ALLOWED} for a {@link RestoreMode#NO_RESTORE} transaction
     */
    void abort();

    /**
     * First phase of two-phase commit: writes this transaction's redo record, tagged with {@code branch}, and
     * forces it. The ranges stay locked and the old values kept until {@link RecoverableMemory#commitPrepared} or
     * {@link RecoverableMemory#rollbackPrepared}. Needs {@link RestoreMode#RESTORE} and range locks.
     *
     * @return {@link PrepareResult#READ_ONLY} if no range was declared: the transaction is then finished
     * @throws RvmException {@link ErrorCode#DUPLICATE_BRANCH} if {@code branch} is already in doubt
     */
    PrepareResult prepare(BranchId branch);

    /** Detaches this transaction from the calling thread. */
    void suspend();

    /** Associates this transaction with the calling thread, which must have none. */
    void resume();

    /**
     * Associates this active transaction with the calling thread as well — for resource adapters, whose branches
     * follow the XA resource rather than a thread (XA {@code start} with {@code TMJOIN} or {@code TMRESUME} from any
     * thread). If the calling thread has another transaction, that one is <em>set aside</em>: it stays active with
     * its locks, and is the thread's transaction again as soon as this one ends or leaves the thread. A set-aside
     * transaction is waiting for the thread, so if this one asks for a range lock it holds, the request fails at
     * once with {@link ErrorCode#DEADLOCK}. Several threads may be associated with one transaction; they use it one
     * at a time. Joining a thread already associated does nothing.
     *
     * @throws RvmException {@link ErrorCode#TRANSACTION_COMMITTED}, {@link ErrorCode#TRANSACTION_ABORTED},
     *         {@link ErrorCode#TRANSACTION_PREPARED} or {@link ErrorCode#TRANSACTION_FAILED} if this transaction is no
     *         longer active (every call that needs an active transaction is refused so)
     */
    void join();

    /**
     * Ends the association of this transaction with {@code thread}, from any thread (an XA {@code end} may come
     * from another thread than its {@code start}). The thread's set-aside transaction, if any, comes back. Does
     * nothing if the transaction is not associated with {@code thread}.
     */
    void leave(Thread thread);

    /** Aborts an active {@code RESTORE} transaction; commits an active {@code NO_RESTORE} one with FLUSH. */
    @Override
    void close();
}
