package dev.rvm.core;

/**
 * A snapshot of a store's counters, since it was opened — the paper's {@code rvm_statistics}. Immutable.
 *
 * @param commitsFlush transactions committed with {@code FLUSH} (including one-phase branches)
 * @param commitsNoFlush transactions committed with {@code NO_FLUSH}
 * @param aborts transactions aborted (including rolled-back prepared branches)
 * @param prepares branches prepared (read-only votes not counted)
 * @param readOnlyPrepares prepares that voted read-only
 * @param commitsPrepared prepared branches committed
 * @param rollbacksPrepared prepared branches rolled back
 * @param inDoubt branches prepared and without an outcome now
 * @param forces log forces
 * @param recordsWritten log records written
 * @param bytesLogged bytes appended to the log, framing included
 * @param bytesSavedIntra bytes not logged thanks to merging the ranges of one transaction
 * @param bytesSavedInter bytes not logged thanks to coalescing lazy commits
 * @param truncations truncations completed
 * @param truncationNanosTotal time spent in truncations
 * @param lastTruncationNanos duration of the last truncation
 * @param logCapacity bytes of the log available to records
 * @param logUsed bytes of the log holding records not yet truncated
 * @param lastRecoveryNanos duration of the recovery run by open
 * @param lastRecoveryRecords records replayed by that recovery
 * @param lastRecoveryBytes log bytes replayed by that recovery
 * @param lockWaits range lock requests that had to wait
 * @param lockTimeouts range lock requests that timed out
 * @param deadlocks range lock requests refused as deadlocks
 * @param oldestInDoubtMillis how long the oldest branch now in doubt has been in doubt (0 if none): since its
 *        prepare, or, for a branch rebuilt from the log after a crash, since the store was opened
 * @param oldestUnforcedCommitMillis how long ago the oldest {@code NO_FLUSH} commit that is not yet durable was made
 *        (0 if every commit is durable): what a crash now could take
 */
public record Statistics(
        long commitsFlush,
        long commitsNoFlush,
        long aborts,
        long prepares,
        long readOnlyPrepares,
        long commitsPrepared,
        long rollbacksPrepared,
        long inDoubt,
        long forces,
        long recordsWritten,
        long bytesLogged,
        long bytesSavedIntra,
        long bytesSavedInter,
        long truncations,
        long truncationNanosTotal,
        long lastTruncationNanos,
        long logCapacity,
        long logUsed,
        long lastRecoveryNanos,
        long lastRecoveryRecords,
        long lastRecoveryBytes,
        long lockWaits,
        long lockTimeouts,
        long deadlocks,
        long oldestInDoubtMillis,
        long oldestUnforcedCommitMillis) {

    /** Fraction of the log in use, 0..1. */
    public double logUse() {
        return logCapacity == 0 ? 0 : (double) logUsed / logCapacity;
    }
}
