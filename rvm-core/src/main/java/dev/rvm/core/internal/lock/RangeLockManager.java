package dev.rvm.core.internal.lock;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
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
 *
 * <p>Each segment has a table ordered by start offset, under one short mutex. A lock is found by looking only at
 * entries that start less than the longest held length before the requested range, so small locks cost a couple of
 * tree lookups.
 */
public final class RangeLockManager {
    private static final int MAX_CHAIN = 1000;

    private final Map<Integer, Table> tables = new ConcurrentHashMap<>();
    private final LongAdder waits = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder deadlocks = new LongAdder();

    /** One held lock; locks with the same start are chained. */
    static final class Held {
        final LockOwner owner;
        final Table table;
        final long start;
        final long end;
        final boolean exclusive;
        Held next;

        Held(LockOwner owner, Table table, long start, long end, boolean exclusive) {
            this.owner = owner;
            this.table = table;
            this.start = start;
            this.end = end;
            this.exclusive = exclusive;
        }
    }

    /** The locks of one segment, ordered by start offset. Opaque to callers, who may cache it per segment. */
    public static final class Table {
        final ReentrantLock mutex = new ReentrantLock();
        final Condition released = mutex.newCondition();
        final TreeMap<Long, Held> byStart = new TreeMap<>();
        long maxLength;
        int count;
        int waiters;
    }

    /**
     * Locks {@code [start, end)} of segment {@code segment} for {@code owner}.
     *
     * @param segmentName for messages
     * @throws RvmException {@link ErrorCode#LOCK_TIMEOUT} or {@link ErrorCode#DEADLOCK}
     */
    public void lock(LockOwner owner, int segment, String segmentName, long start, long end, boolean exclusive,
            long timeoutNanos) {
        lock(owner, table(segment), segmentName, start, end, exclusive, timeoutNanos);
    }

    /** The lock table of a segment, for callers that lock the same segment often. */
    public Table table(int segment) {
        return tables.computeIfAbsent(segment, k -> new Table());
    }

    /** As {@link #lock(LockOwner, int, String, long, long, boolean, long)}, with the segment's table. */
    public void lock(LockOwner owner, Table t, String segmentName, long start, long end, boolean exclusive,
            long timeoutNanos) {
        t.mutex.lock();
        try {
            long deadline = 0;
            boolean waited = false;
            while (true) {
                Held conflict = t.count == 0 ? null : conflict(t, owner, start, end, exclusive);
                if (conflict == null) {
                    if (t.count == 0 || !coveredByOwn(t, owner, start, end, exclusive)) {
                        add(t, new Held(owner, t, start, end, exclusive));
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
                    deadline = System.nanoTime() + timeoutNanos;
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
                t.waiters++;
                try {
                    t.released.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RvmException(ErrorCode.LOCK_TIMEOUT, describe(segmentName, start, end, exclusive)
                            + " for " + owner.describe() + " interrupted while waiting for " + conflict.owner.describe(), e);
                } finally {
                    t.waiters--;
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
        // Entries that can overlap start after start - maxLength (no held lock is longer) and before end.
        Map.Entry<Long, Held> e = t.byStart.higherEntry(start - t.maxLength);
        while (e != null && e.getKey() < end) {
            for (Held h = e.getValue(); h != null; h = h.next) {
                if (h.owner != owner && h.end > start && (exclusive || h.exclusive)) {
                    return h;
                }
            }
            e = t.byStart.higherEntry(e.getKey());
        }
        return null;
    }

    private static boolean coveredByOwn(Table t, LockOwner owner, long start, long end, boolean exclusive) {
        int n = owner.held.size();
        if (n <= 8) {
            // Small transactions (the common case): the owner's own list is cheaper than a tree lookup.
            for (int i = 0; i < n; i++) {
                Held h = owner.held.get(i);
                if (h.table == t && h.start <= start && h.end >= end && (h.exclusive || !exclusive)) {
                    return true;
                }
            }
            return false;
        }
        Map.Entry<Long, Held> e = t.byStart.floorEntry(start);
        if (e != null) {
            for (Held h = e.getValue(); h != null; h = h.next) {
                if (h.owner == owner && h.end >= end && (h.exclusive || !exclusive)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void add(Table t, Held h) {
        Held first = t.byStart.put(h.start, h);
        h.next = first;
        t.maxLength = Math.max(t.maxLength, h.end - h.start);
        t.count++;
        // Only the owner's own thread adds or releases its locks, one at a time, so the list needs no lock of its own.
        h.owner.held.add(h);
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
        int n = owner.held.size();
        for (int i = 0; i < n; i++) {
            Held h = owner.held.get(i);
            Table t = h.table;
            t.mutex.lock();
            try {
                remove(t, h);
                if (t.waiters > 0) {
                    t.released.signalAll();
                }
            } finally {
                t.mutex.unlock();
            }
        }
        owner.held.clear();
    }

    private static void remove(Table t, Held h) {
        Held first = t.byStart.get(h.start);
        if (first == h) {
            if (h.next == null) {
                t.byStart.remove(h.start);
            } else {
                t.byStart.put(h.start, h.next);
            }
        } else {
            Held p = first;
            while (p != null && p.next != h) {
                p = p.next;
            }
            if (p == null) {
                return;
            }
            p.next = h.next;
        }
        t.count--;
        if (t.count == 0) {
            t.maxLength = 0;
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
