package dev.rvm.core.internal.log;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The circular log's space: records occupy {@code [head, tail)} of {@code capacity} bytes, and {@link #reserved} bytes
 * of what is free are kept back for the branches in doubt — room for truncation to copy each PREPARE forward and for
 * each outcome mark. Ordinary records never use the reserve; those two kinds of record may. A PREPARE is admitted
 * only with its own reserve free as well, so the reserve is always there when truncation or a second phase needs it.
 *
 * <p>An appender that does not fit asks for a truncation ({@code spaceNeeded}) and waits for {@link #advanceHead}; while
 * it waits, later appenders queue behind it at the gate, so the log keeps the order in which commits were made.
 *
 * <p>Not thread-safe by itself: the {@link LogWriter} calls every method with its lock held, and the waits here release
 * that lock. {@link #head()}, {@link #tail()} and {@link #used()} may be read without it.
 */
final class LogSpace {
    private final ReentrantLock lock;
    private final Condition freed;
    private final long capacity;
    private final long logFullTimeoutNanos;
    private final Runnable spaceNeeded;

    private volatile long head;
    private volatile long tail;
    private long reserved;
    /** Set while an appender waits for space, so later appenders queue behind it and log order is kept. */
    private Thread waiter;

    LogSpace(ReentrantLock lock, long capacity, long head, long tail, long logFullTimeoutNanos, Runnable spaceNeeded) {
        this.lock = lock;
        this.freed = lock.newCondition();
        this.capacity = capacity;
        this.head = head;
        this.tail = tail;
        this.logFullTimeoutNanos = logFullTimeoutNanos;
        this.spaceNeeded = spaceNeeded;
    }

    long head() {
        return head;
    }

    long tail() {
        return tail;
    }

    long reserved() {
        return reserved;
    }

    long used() {
        return tail - head;
    }

    /** What an ordinary record may use at most: the whole log less the reserve. */
    long room() {
        return capacity - reserved;
    }

    /** Waits while another appender waits for space, so this one does not overtake it; {@code check} throws if failed. */
    void passGate(Runnable check) {
        while (waiter != null && waiter != Thread.currentThread()) {
            check.run();
            freed.awaitUninterruptibly();
        }
        check.run();
    }

    /**
     * Returns once a record of {@code len} bytes, with {@code extra} bytes to reserve for its branch, fits; the
     * caller then writes it and calls {@link #appended}. {@code useReserve} lets it into the reserve (a PREPARE copy
     * or an outcome mark).
     *
     * @throws RvmException {@link ErrorCode#RECORD_TOO_LARGE} if it can never fit, {@link ErrorCode#LOG_FULL} if no
     *         truncation made room within the timeout
     */
    void awaitRoom(int len, long extra, boolean useReserve, Runnable check) {
        if (len + extra > capacity - (useReserve ? 0 : reserved)) {
            throw tooLarge("a record of " + len + " bytes"
                    + (extra > 0 ? " with " + extra + " bytes kept back for its branch" : ""));
        }
        if (fits(len + extra, useReserve)) {
            return;
        }
        boolean gateOwner = waiter == null;
        if (gateOwner) {
            waiter = Thread.currentThread();
        }
        try {
            awaitGated(len + extra, useReserve, check);
        } finally {
            if (gateOwner) {
                waiter = null;
                freed.signalAll();
            }
        }
    }

    /** {@link ErrorCode#RECORD_TOO_LARGE} for {@code what}, which can never fit in this log. */
    RvmException tooLarge(String what) {
        return new RvmException(ErrorCode.RECORD_TOO_LARGE, what + " does not fit in a log of " + capacity + " bytes ("
                + reserved + " reserved for in-doubt branches)");
    }

    /** The record {@link #awaitRoom} made room for is in the log; its branch's {@code extra} bytes are kept back. */
    void appended(int len, long extra) {
        tail += len;
        reserved += extra;
    }

    private boolean fits(long bytes, boolean useReserve) {
        return tail + bytes - head <= capacity - (useReserve ? 0 : reserved);
    }

    private void awaitGated(long bytes, boolean useReserve, Runnable check) {
        long deadline = System.nanoTime() + logFullTimeoutNanos;
        while (!fits(bytes, useReserve)) {
            check.run();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new RvmException(ErrorCode.LOG_FULL, "no log space for " + bytes + " bytes after waiting "
                        + TimeUnit.NANOSECONDS.toMillis(logFullTimeoutNanos) + " ms (used " + (tail - head) + " of "
                        + capacity + ", " + reserved + " reserved for in-doubt branches)");
            }
            lock.unlock();
            try {
                spaceNeeded.run();
            } finally {
                lock.lock();
            }
            try {
                freed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RvmException(ErrorCode.LOG_FULL, "interrupted while waiting for log space", e);
            }
        }
    }

    /** Frees the log before {@code newHead} (truncation has applied it). */
    void advanceHead(long newHead) {
        if (newHead > head) {
            head = newHead;
        }
        freed.signalAll();
    }

    /** Keeps back {@code bytes} (positive) or releases them (negative) for branches in doubt. */
    void reserve(long bytes) {
        reserved += bytes;
        if (bytes < 0) {
            freed.signalAll();
        }
    }

    /** Wakes every waiter, to see that the writer failed. */
    void wakeAll() {
        freed.signalAll();
    }
}
