package dev.rvm.core.internal;

import java.util.Arrays;

/**
 * Which transaction each thread works in. A thread has at most one transaction <em>in use</em>; associating it with
 * another (an XA {@code REQUIRES_NEW} branch started while the thread's own branch is open) sets the one in use
 * aside, and it comes back when the newer one leaves the thread. A transaction ended, prepared or detached by another
 * thread (a transaction manager commits on its own thread) may leave a stale entry in a thread's slot; the slot drops
 * it when the thread next looks, so nothing here needs to reach into other threads.
 *
 * <p>Thread-safe: each thread touches only its own slot.
 */
final class ThreadAssociations {
    /** Per-thread slot (a mutable slot: cheaper than ThreadLocal set/remove on every transaction). */
    private static final class Slot {
        /** The transaction in use on this thread; if null, {@link #aside} is empty. */
        TransactionImpl txn;
        /** Transactions set aside on this thread by {@link TransactionImpl#join()}, the newest last. */
        TransactionImpl[] aside;
        int asideCount;
        /** Left by the thread's last finished transaction for its next one (see {@link DeclaredRanges#reset}). */
        DeclaredRanges spare;

        void setAside(TransactionImpl t, TransactionImpl by) {
            if (aside == null) {
                aside = new TransactionImpl[2];
            } else if (asideCount == aside.length) {
                aside = Arrays.copyOf(aside, asideCount * 2);
            }
            aside[asideCount++] = t;
            t.setAsideFor(by);
        }

        /**
         * The top transaction left this thread: the newest set-aside one still associated with it comes back.
         * Entries that ended or left meanwhile (from other threads) are dropped on the way.
         */
        TransactionImpl comeBack(Thread me) {
            while (asideCount > 0) {
                TransactionImpl t = aside[--asideCount];
                aside[asideCount] = null;
                if (t.isAssociatedWith(me)) {
                    t.setAsideFor(null);
                    txn = t;
                    return t;
                }
            }
            txn = null;
            return null;
        }
    }

    private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(Slot::new);

    /**
     * The calling thread's transaction. A transaction finished or detached by another thread may leave a stale entry
     * here; it is dropped, not returned.
     */
    TransactionImpl current() {
        Slot slot = slots.get();
        TransactionImpl t = slot.txn;
        if (t == null) {
            return null;
        }
        Thread me = Thread.currentThread();
        return t.isAssociatedWith(me) ? t : slot.comeBack(me);
    }

    /** {@code t} was just begun on the calling thread, which has no transaction in use (the caller checked). */
    void begun(TransactionImpl t) {
        slots.get().txn = t;
    }

    /**
     * {@code leaving} left the calling thread (suspended, ended or prepared): the thread's set-aside transaction, if
     * any, comes back. {@code reusable}, if not null, is kept for the thread's next transaction.
     */
    void left(TransactionImpl leaving, DeclaredRanges reusable) {
        Slot slot = slots.get();
        if (slot.txn == leaving) {
            slot.comeBack(Thread.currentThread());
        }
        if (reusable != null) {
            slot.spare = reusable.idle();
        }
    }

    /** {@code t} was just associated with the calling thread: it is the thread's transaction now. */
    void joined(TransactionImpl t) {
        Slot slot = slots.get();
        TransactionImpl top = slot.txn;
        if (top == t) {
            return;
        }
        if (top != null && top.isAssociatedWith(Thread.currentThread())) {
            slot.setAside(top, t);
        } else if (top != null) {
            slot.comeBack(Thread.currentThread()); // drop stale entries first, then put what is left aside
            if (slot.txn != null && slot.txn != t) {
                slot.setAside(slot.txn, t);
            }
        }
        slot.txn = t;
    }

    /** A ranges object for a transaction of the calling thread, reusing the one its last transaction left. */
    DeclaredRanges declaredRanges(RegionImpl r, boolean keepOld) {
        Slot slot = slots.get();
        DeclaredRanges d = slot.spare;
        if (d == null) {
            return new DeclaredRanges(r, keepOld);
        }
        slot.spare = null;
        return d.reset(r, keepOld);
    }
}
