package dev.rvm.core.internal.heap;

import dev.rvm.core.Transaction;
import dev.rvm.core.TransactionState;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Which transaction holds each of a few stripes (heap arenas, a map's counters), as a hint that lets a transaction
 * pick a stripe nobody else holds instead of queueing behind one. Correctness never rests on it: the range lock a
 * stripe's user takes is what excludes others; a stale hint only costs a wait. A holder counts while it is
 * {@link TransactionState#ACTIVE} or {@link TransactionState#PREPARED}, the states in which it keeps its locks.
 *
 * <p>Thread-safe (lock-free).
 */
public final class Claims {
    private final AtomicReferenceArray<Transaction> holders;

    /** Hints for {@code stripes} stripes. */
    public Claims(int stripes) {
        holders = new AtomicReferenceArray<>(stripes);
    }

    /** Number of stripes. */
    public int stripes() {
        return holders.length();
    }

    /**
     * A stripe for {@code tx}: one it already holds, else a free one, tried from {@code preferred} on, claimed at
     * once; else {@code preferred}, on which the caller will queue.
     */
    public int pick(Transaction tx, int preferred) {
        int n = holders.length();
        for (int i = 0; i < n; i++) {
            if (same(holders.get(i), tx)) {
                return i;
            }
        }
        for (int k = 0; k < n; k++) {
            int i = Math.floorMod(preferred + k, n);
            Transaction h = holders.get(i);
            if ((h == null || !live(h)) && holders.compareAndSet(i, h, tx)) {
                return i;
            }
        }
        return Math.floorMod(preferred, n);
    }

    /** True if no live transaction other than {@code tx} is known to hold stripe {@code i}. */
    public boolean freeFor(Transaction tx, int i) {
        Transaction h = holders.get(i);
        return h == null || same(h, tx) || !live(h);
    }

    /** Records that {@code tx} now holds stripe {@code i} (after it took the stripe's range lock). */
    public void held(Transaction tx, int i) {
        holders.set(i, tx);
    }

    /** By id, not identity: a view of a transaction (as the resource adapter hands out) is the transaction. */
    private static boolean same(Transaction a, Transaction b) {
        return a != null && a.id() == b.id();
    }

    private static boolean live(Transaction t) {
        TransactionState s = t.state();
        return s == TransactionState.ACTIVE || s == TransactionState.PREPARED;
    }
}
