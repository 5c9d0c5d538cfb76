package dev.rvm.core.internal.lock;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Byte-range locks per segment, held until commit or abort. Exclusive locks (from {@code setRange}) conflict with
 * every lock of another owner on an overlapping range; shared locks (for consistent reads) only with exclusive
 * ones. A conflicting request waits up to a timeout; before waiting it follows the chain of owners waiting for one
 * another and refuses with {@link ErrorCode#DEADLOCK} if the chain comes back to itself, so a deadlock ends at once
 * rather than by the timeout. Thread-safe.
 */
public final class RangeLockManager {
    private static final int MAX_CHAIN = 1000;

    private final Map<Integer, Table> tables = new ConcurrentHashMap<>();
    private final LongAdder waits = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder deadlocks = new LongAdder();

    /** One held lock. */
    static final class Held {
        final LockOwner owner;
        final int segment;
        final long start;
        final long end;
        final boolean exclusive;

        Held(LockOwner owner, int segment, long start, long end, boolean exclusive) {
            this.owner = owner;
            this.segment = segment;
            this.start = start;
            this.end = end;
            this.exclusive = exclusive;
        }
    }

    /** The locks of one segment, ordered by start offset. */
    private static final class Table {
        final ReentrantLock mutex = new ReentrantLock();
        final Condition released = mutex.newCondition();
        final TreeMap<Long, List<Held>> byStart = new TreeMap<>();
        long maxLength;
        int count;
    }

    /**
     * Locks {@code [start, end)} of segment {@code segment} for {@code owner}.
     *
     * @param segmentName for messages
     * @throws RvmException {@link ErrorCode#LOCK_TIMEOUT} or {@link ErrorCode#DEADLOCK}
     */
    public void lock(LockOwner owner, int segment, String segmentName, long start, long end, boolean exclusive,
            long timeoutNanos) {
        Table t = tables.computeIfAbsent(segment, k -> new Table());
        t.mutex.lock();
        try {
            long deadline = System.nanoTime() + timeoutNanos;
            boolean waited = false;
            while (true) {
                Held conflict = conflict(t, owner, start, end, exclusive);
                if (conflict == null) {
                    if (!coveredByOwn(t, owner, start, end, exclusive)) {
                        add(t, new Held(owner, segment, start, end, exclusive));
                    }
                    return;
                }
                owner.waitingFor = conflict.owner;
                if (closesCycle(owner)) {
                    deadlocks.increment();
                    throw new RvmException(ErrorCode.DEADLOCK, describe(segmentName, start, end, exclusive) + " for "
                            + owner.describe() + " would wait for " + conflict.owner.describe()
                            + ", which waits (directly or not) for it: deadlock");
                }
                if (!waited) {
                    waits.increment();
                    waited = true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    timeouts.increment();
                    throw new RvmException(ErrorCode.LOCK_TIMEOUT, describe(segmentName, start, end, exclusive)
                            + " for " + owner.describe() + " timed out after "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms: [" + conflict.start + ", "
                            + conflict.end + ") is locked " + (conflict.exclusive ? "exclusively" : "shared") + " by "
                            + conflict.owner.describe());
                }
                try {
                    t.released.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RvmException(ErrorCode.LOCK_TIMEOUT, describe(segmentName, start, end, exclusive)
                            + " for " + owner.describe() + " interrupted while waiting for " + conflict.owner.describe(), e);
                }
            }
        } finally {
            owner.waitingFor = null;
            t.mutex.unlock();
        }
    }

    private static String describe(String segmentName, long start, long end, boolean exclusive) {
        return (exclusive ? "exclusive" : "shared") + " lock on [" + start + ", " + end + ") of segment '"
                + segmentName + "'";
    }

    private static Held conflict(Table t, LockOwner owner, long start, long end, boolean exclusive) {
        if (t.count == 0) {
            return null;
        }
        for (List<Held> list : t.byStart.subMap(start - t.maxLength, false, end, false).values()) {
            for (Held h : list) {
                if (h.owner != owner && h.start < end && h.end > start && (exclusive || h.exclusive)) {
                    return h;
                }
            }
        }
        return null;
    }

    private static boolean coveredByOwn(Table t, LockOwner owner, long start, long end, boolean exclusive) {
        List<Held> list = t.byStart.floorEntry(start) == null ? null : t.byStart.floorEntry(start).getValue();
        if (list != null) {
            for (Held h : list) {
                if (h.owner == owner && h.start <= start && h.end >= end && (h.exclusive || !exclusive)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void add(Table t, Held h) {
        t.byStart.computeIfAbsent(h.start, k -> new ArrayList<>(1)).add(h);
        t.maxLength = Math.max(t.maxLength, h.end - h.start);
        t.count++;
        synchronized (h.owner.held) {
            h.owner.held.add(h);
        }
    }

    private static boolean closesCycle(LockOwner owner) {
        LockOwner o = owner.waitingFor;
        for (int i = 0; o != null && i < MAX_CHAIN; i++) {
            if (o == owner) {
                return true;
            }
            o = o.waitingFor;
        }
        return false;
    }

    /** Releases every lock of {@code owner} and wakes the waiters. */
    public void releaseAll(LockOwner owner) {
        List<Held> mine;
        synchronized (owner.held) {
            if (owner.held.isEmpty()) {
                return;
            }
            mine = new ArrayList<>(owner.held);
            owner.held.clear();
        }
        for (Held h : mine) {
            Table t = tables.get(h.segment);
            t.mutex.lock();
            try {
                List<Held> list = t.byStart.get(h.start);
                if (list != null && list.remove(h)) {
                    t.count--;
                    if (list.isEmpty()) {
                        t.byStart.remove(h.start);
                    }
                    if (t.count == 0) {
                        t.maxLength = 0;
                    }
                }
                t.released.signalAll();
            } finally {
                t.mutex.unlock();
            }
        }
    }

    /** Lock requests that had to wait. */
    public long waits() {
        return waits.sum();
    }

    /** Lock requests that timed out. */
    public long timeouts() {
        return timeouts.sum();
    }

    /** Lock requests refused as deadlocks. */
    public long deadlocks() {
        return deadlocks.sum();
    }
}
