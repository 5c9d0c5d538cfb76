package dev.rvm.core;

/**
 * Told how long each commit, prepare, second phase and log force of a store took, so that an application can feed
 * latency histograms (for example Micrometer timers) without the engine depending on any metrics library.
 * Register with {@link RecoverableMemory#addLatencyListener}.
 *
 * <p>Called on the thread that did the work, right after it, while no lock of the engine is held: keep it short
 * (recording into a histogram is fine, I/O is not). An exception thrown by a listener is ignored, because the work
 * it is told about has already happened and is durable. Implementations must be thread-safe: several threads call
 * at once.
 */
public interface LatencyListener {

    /** What took the time reported to {@link #completed}. */
    enum Operation {
        /** {@link Transaction#commit} with {@link CommitMode#FLUSH}: until the commit was durable. */
        COMMIT_FLUSH,
        /** {@link Transaction#commit} with {@link CommitMode#NO_FLUSH}: no force waited for. */
        COMMIT_NO_FLUSH,
        /** {@link Transaction#prepare} that voted {@code PREPARED}: until the prepare record was durable. */
        PREPARE,
        /** {@link RecoverableMemory#commitPrepared}: until the commit mark was durable. */
        COMMIT_PREPARED,
        /** {@link RecoverableMemory#rollbackPrepared}: until the abort mark was durable. */
        ROLLBACK_PREPARED
    }

    /**
     * One operation completed successfully.
     *
     * @param operation what completed
     * @param nanos how long the call took, in nanoseconds
     */
    void completed(Operation operation, long nanos);

    /**
     * The log was forced once (one force may make many commits durable: group commit).
     *
     * @param nanos how long the force took, in nanoseconds
     */
    void forced(long nanos);
}
