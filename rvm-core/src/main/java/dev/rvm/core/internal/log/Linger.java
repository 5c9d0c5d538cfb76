package dev.rvm.core.internal.log;

import java.util.function.IntSupplier;

/**
 * Group commit's wait for stragglers: how long a committer that could force now should wait instead, for
 * transactions that are running but have not yet appended — typically those released by the previous force, which
 * would otherwise always miss the next one and split the committers into two alternating halves. A group waits only
 * while more transactions are active than records are staged, and at most half the last force's duration (capped),
 * so a lone committer never waits. The last to arrive forces at once, while it runs: waking a waiting leader instead
 * would put a thread wake-up (tens of microseconds on a virtual machine) between every two forces.
 *
 * <p>Not thread-safe: the {@link LogWriter} calls it under its lock (the volatile fields are set from outside it).
 */
final class Linger {
    private static final long MAX_NANOS = 500_000;

    /** Transactions begun and not yet finished, from the engine: how many commits may still join a force. */
    private volatile IntSupplier activeTransactions = () -> 0;
    private volatile long lastForceNanos;
    /** A fixed limit in place of the one derived from the last force, if not negative. */
    private final long fixedLimit;
    /** True while the staged group waits for stragglers, until {@link #deadline} at the latest. */
    private boolean waiting;
    private long deadline;

    /** A wait derived from the last force's duration. */
    Linger() {
        this(-1);
    }

    /**
     * A wait of at most {@code fixedLimitNanos} whatever the last force took, if not negative: a test of the
     * group-commit protocol fixes it so that its outcome does not depend on the disk's speed.
     */
    Linger(long fixedLimitNanos) {
        this.fixedLimit = fixedLimitNanos;
    }

    /** Nanoseconds to wait before forcing a group of {@code staged} records; zero or less to force now. */
    long nanosToWait(int staged) {
        if (activeTransactions.getAsInt() <= staged) {
            return 0;
        }
        long now = System.nanoTime();
        if (!waiting) {
            long limit = fixedLimit >= 0 ? fixedLimit : Math.min(MAX_NANOS, lastForceNanos / 2);
            if (limit <= 0) {
                return 0;
            }
            waiting = true;
            deadline = now + limit;
        }
        return deadline - now;
    }

    /** True while a group waits for stragglers (its force will come by the deadline). */
    boolean isWaiting() {
        return waiting;
    }

    /** The staged group is being written out: the next committer starts a new group. */
    void groupClosed() {
        waiting = false;
    }

    /** Records how long the last force took, which bounds the next wait. */
    void forced(long nanos) {
        lastForceNanos = nanos;
    }

    void activeTransactions(IntSupplier count) {
        activeTransactions = count;
    }
}
