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
 * another and refuses with {@link ErrorCode#DEADLOCK} if the chain comes back to itself, so a deadlock between lock
 * waits ends at once rather than by the timeout (one through a transaction set aside on a thread ends by the
 * timeout: see {@code closesCycle}). Thread-safe.
 *
 * <p>Each segment has a table under one short mutex. While few locks are held in it at once (the usual case: a
 * handful of transactions with a few ranges each) the table is a small unordered array scanned whole, which costs
 * no allocation beyond the lock itself. When more are held it becomes a tree ordered by start offset, where a lock
 * is found by looking only at entries that start less than the longest held length before the requested range;
 * it goes back to the array once most locks are released.
 */
public final class RangeLockManager {
    private static final int MAX_CHAIN = 1000;
    /** Locks a table holds in its array form; beyond that it switches to the tree, and back at a quarter of it. */
    static final int FEW = 16;
    /** Locks released under one hold of a table's mutex, so a huge release does not shut out other lockers. */
    private static final int RELEASE_BATCH = 64;

    private final Map<Integer, Table> tables = new ConcurrentHashMap<>();
    private final LongAdder waits = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder deadlocks = new LongAdder();

    /**
     * One held lock; in the tree, locks with the same start are chained. Released locks are kept for reuse by their
     * table (the fields other than {@code table} change then, always under the table's mutex).
     */
    static final class Held {
        final Table table;
        LockOwner owner;
        long start;
        long end;
        boolean exclusive;
        /** The next lock with the same start (tree form only). */
        Held next;
        /** The owner's next older lock. */
        Held ownerNext;
        /** Index in the table's array (array form only). */
        int slot;

        Held(Table table) {
            this.table = table;
        }
    }

    /** The locks of one segment, ordered by start offset. Opaque to callers, who may cache it per segment. */
    public static final class Table {
        final ReentrantLock mutex = new ReentrantLock();
        final Condition released = mutex.newCondition();
        /** The held locks in {@code few[0, count)} while {@link #byStart} is null. */
        final Held[] few = new Held[FEW];
        /** Non-null while the table is in tree form: held locks by start offset. */
        TreeMap<Long, Held> byStart;
        long maxLength;
        int count;
        int waiters;
        /** Released locks kept for reuse, chained through {@code ownerNext}: most lock requests allocate nothing. */
        Held spare;
        int spareCount;
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
            if (t.count == 0 || conflict(t, owner, start, end, exclusive) == null) {
                grant(t, owner, start, end, exclusive);
            } else {
                lockContended(owner, t, segmentName, start, end, exclusive, timeoutNanos);
            }
        } finally {
            t.mutex.unlock();
        }
    }

    private static void grant(Table t, LockOwner owner, long start, long end, boolean exclusive) {
        if (owner.heldCount == 0 || !coveredByOwn(t, owner, start, end, exclusive)) {
            add(t, newHeld(t, owner, start, end, exclusive));
        }
    }

    /** The rare path, kept apart so the common one stays small: wait for a conflicting lock, mutex held. */
    private void lockContended(LockOwner owner, Table t, String segmentName, long start, long end, boolean exclusive,
            long timeoutNanos) {
        try {
            long deadline = System.nanoTime() + timeoutNanos;
            boolean counted = false;
            while (true) {
                Held conflict = t.count == 0 ? null : conflict(t, owner, start, end, exclusive);
                if (conflict == null) {
                    grant(t, owner, start, end, exclusive);
                    return;
                }
                LockOwner holder = conflict.owner; // conflict itself may be reused once the mutex is let go
                owner.waitingFor = holder;
                if (closesCycle(owner)) {
                    deadlocks.increment();
                    throw new RvmException(ErrorCode.DEADLOCK, describe(segmentName, start, end, exclusive) + " for "
                            + owner.describe() + " would wait for " + holder.describe()
                            + ", which waits (directly or not) for it: deadlock");
                }
                if (!counted) {
                    waits.increment(); // a request refused as a deadlock at once never waited
                    counted = true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    timeouts.increment();
                    throw new RvmException(ErrorCode.LOCK_TIMEOUT, describe(segmentName, start, end, exclusive)
                            + " for " + owner.describe() + " timed out after "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms: [" + conflict.start + ", "
                            + conflict.end + ") is locked " + (conflict.exclusive ? "exclusively" : "shared") + " by "
                            + holder.describe() + (holder.setAsideFor == owner ? ", which this transaction set aside on"
                            + " its thread: if that one waits for this one to end (a REQUIRES_NEW method changing bytes"
                            + " its caller declared), it never releases them" : ""));
                }
                t.waiters++;
                try {
                    t.released.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RvmException(ErrorCode.LOCK_TIMEOUT, describe(segmentName, start, end, exclusive)
                            + " for " + owner.describe() + " interrupted while waiting for " + holder.describe(), e);
                } finally {
                    t.waiters--;
                }
            }
        } finally {
            owner.waitingFor = null;
        }
    }

    private static String describe(String segmentName, long start, long end, boolean exclusive) {
        return (exclusive ? "exclusive" : "shared") + " lock on [" + start + ", " + end + ") of segment '"
                + segmentName + "'";
    }

    private static Held conflict(Table t, LockOwner owner, long start, long end, boolean exclusive) {
        if (t.byStart == null) {
            Held[] few = t.few;
            for (int i = 0; i < t.count; i++) {
                Held h = few[i];
                if (h.owner != owner && h.start < end && h.end > start && (exclusive || h.exclusive)) {
                    return h;
                }
            }
            return null;
        }
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
        if (owner.heldCount <= 8) {
            // Small transactions (the common case): the owner's own chain is cheaper than a table lookup.
            for (Held h = owner.heldHead; h != null; h = h.ownerNext) {
                if (h.table == t && covers(h, start, end, exclusive)) {
                    return true;
                }
            }
            return false;
        }
        if (t.byStart == null) {
            for (int i = 0; i < t.count; i++) {
                Held h = t.few[i];
                if (h.owner == owner && covers(h, start, end, exclusive)) {
                    return true;
                }
            }
            return false;
        }
        Map.Entry<Long, Held> e = t.byStart.floorEntry(start);
        if (e != null) {
            for (Held h = e.getValue(); h != null; h = h.next) {
                if (h.owner == owner && covers(h, start, end, exclusive)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean covers(Held h, long start, long end, boolean exclusive) {
        return h.start <= start && h.end >= end && (h.exclusive || !exclusive);
    }

    private static Held newHeld(Table t, LockOwner owner, long start, long end, boolean exclusive) {
        Held h = t.spare;
        if (h == null) {
            h = new Held(t);
        } else {
            t.spare = h.ownerNext;
            t.spareCount--;
        }
        h.owner = owner;
        h.start = start;
        h.end = end;
        h.exclusive = exclusive;
        h.next = null;
        h.ownerNext = null;
        return h;
    }

    /** Keeps a removed lock for reuse, dropping its owner so a finished transaction is not kept reachable. */
    private static void recycle(Table t, Held h) {
        h.owner = null;
        h.next = null;
        if (t.spareCount < FEW) {
            h.ownerNext = t.spare;
            t.spare = h;
            t.spareCount++;
        } else {
            h.ownerNext = null;
        }
    }

    private static void add(Table t, Held h) {
        if (t.byStart == null && t.count == FEW) {
            toTree(t);
        }
        if (t.byStart == null) {
            h.slot = t.count;
            t.few[t.count] = h;
        } else {
            h.next = t.byStart.put(h.start, h);
        }
        t.maxLength = Math.max(t.maxLength, h.end - h.start);
        t.count++;
        // Only the owner's own thread adds or releases its locks, one at a time, so the chain needs no lock of its own.
        LockOwner o = h.owner;
        h.ownerNext = o.heldHead;
        o.heldHead = h;
        o.heldCount++;
    }

    private static void toTree(Table t) {
        TreeMap<Long, Held> tree = new TreeMap<>();
        for (int i = 0; i < t.count; i++) {
            Held h = t.few[i];
            h.next = tree.put(h.start, h);
            t.few[i] = null;
        }
        t.byStart = tree;
    }

    private static void toFew(Table t) {
        int n = 0;
        long max = 0;
        for (Held first : t.byStart.values()) {
            for (Held h = first; h != null; h = h.next) {
                h.slot = n;
                t.few[n++] = h;
                max = Math.max(max, h.end - h.start);
            }
        }
        for (int i = 0; i < n; i++) {
            t.few[i].next = null;
        }
        t.byStart = null;
        t.maxLength = max;
    }

    /*
     * Only lock waits are edges. A transaction set aside on the requester's thread is not one: it may come back to
     * that thread (a REQUIRES_NEW method's caller, a real deadlock if the new transaction needs its range, which then
     * ends by the timeout), or it may be finished from other threads (a transaction imported by an EJB call, which the
     * container leaves associated with the worker thread when the call returns and the coordinator prepares and
     * commits later), which the requester must simply wait for. Nothing here tells the two apart.
     */
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

    /**
     * Releases every lock of {@code owner} and wakes the waiters. Consecutive locks in one table are released under
     * one hold of its mutex (up to a batch), since a transaction's locks are usually all in one segment.
     */
    public void releaseAll(LockOwner owner) {
        Held h = owner.heldHead;
        owner.heldHead = null;
        owner.heldCount = 0;
        while (h != null) {
            Table t = h.table;
            t.mutex.lock();
            try {
                int batch = 0;
                do {
                    Held older = h.ownerNext;
                    h.ownerNext = null;
                    remove(t, h);
                    h = older;
                } while (h != null && h.table == t && ++batch < RELEASE_BATCH);
                if (t.waiters > 0) {
                    t.released.signalAll();
                }
            } finally {
                t.mutex.unlock();
            }
        }
    }

    private static void remove(Table t, Held h) {
        if (t.byStart == null) {
            int i = h.slot;
            if (i >= t.count || t.few[i] != h) {
                return;
            }
            int last = --t.count;
            Held moved = t.few[last];
            t.few[i] = moved;
            moved.slot = i;
            t.few[last] = null;
        } else {
            if (!removeFromTree(t, h)) {
                return;
            }
            t.count--;
            if (t.count <= FEW / 4) {
                toFew(t);
            }
        }
        if (t.count == 0) {
            t.maxLength = 0;
        }
        recycle(t, h);
    }

    private static boolean removeFromTree(Table t, Held h) {
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
                return false;
            }
            p.next = h.next;
        }
        h.next = null;
        return true;
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
