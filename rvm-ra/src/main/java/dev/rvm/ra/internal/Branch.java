package dev.rvm.ra.internal;

import dev.rvm.core.BranchId;
import dev.rvm.core.Transaction;
import dev.rvm.core.TransactionState;
import java.util.ArrayList;
import java.util.List;
import javax.transaction.xa.Xid;

/**
 * An XA branch between {@code start} and {@code prepare} (or a one-phase commit or rollback): its RVM
 * transaction, its state and its associations. Once prepared, a branch is the core's and this object is dropped.
 *
 * <p>Association follows the XA resource, as JTA requires, not a thread: each active association records the
 * thread whose {@code start} made it, and the RVM transaction is associated with exactly the threads that have an
 * active association ({@link Transaction#join()} / {@link Transaction#leave(Thread)}), so region writes on those
 * threads belong to this branch. {@code end} may come from any thread.
 *
 * <p>Not thread-safe by itself: callers hold the branch's monitor.
 */
public final class Branch {
    /** XA branch states before prepare (the XA specification's S1, S2 and S4). */
    public enum State {
        /** At least one association exists, active or suspended. */
        ACTIVE,
        /** Every association ended with TMSUCCESS; ready for prepare or one-phase commit. */
        IDLE,
        /** Ended with TMFAIL: the RVM transaction is already aborted; only rollback is left. */
        ROLLBACK_ONLY
    }

    private final Xid xid;
    private final BranchId id;
    private final Transaction txn;
    private State state = State.ACTIVE;
    /** The thread of each active association (a thread appears once per association it started). */
    private final List<Thread> activeOn = new ArrayList<>(2);
    private int suspended;

    /** A new branch on {@code txn}, begun detached; {@link #attach()} makes its first association. */
    public Branch(Xid xid, BranchId id, Transaction txn) {
        this.xid = xid;
        this.id = id;
        this.txn = txn;
    }

    /** The Xid, as the transaction manager gave it. */
    public Xid xid() {
        return xid;
    }

    /** The encoded id. */
    public BranchId id() {
        return id;
    }

    /** The branch's RVM transaction. */
    public Transaction transaction() {
        return txn;
    }

    /** Current state. */
    public State state() {
        return state;
    }

    /** Sets the state. */
    public void state(State s) {
        state = s;
    }

    /** Associations, active or suspended. */
    public int associations() {
        return activeOn.size() + suspended;
    }

    /**
     * Adds an active association on the calling thread and associates the RVM transaction with it; another
     * transaction the thread has is set aside until this association ends.
     *
     * @return the calling thread, to be given back to {@link #endOne} or {@link #suspendOne}
     */
    public Thread attach() {
        Thread me = Thread.currentThread();
        txn.join();
        activeOn.add(me);
        return me;
    }

    /** Turns the active association made on {@code on} into a suspended one. */
    public void suspendOne(Thread on) {
        dropActive(on);
        suspended++;
    }

    /** Turns a suspended association back into an active one (after {@link #attach()} counted it). */
    public void resumedOne() {
        suspended--;
    }

    /** Ends an association: the active one made on {@code on}, or a suspended one if {@code on} is null. */
    public void endOne(Thread on) {
        if (on != null) {
            dropActive(on);
        } else {
            suspended--;
        }
    }

    /** The RVM transaction leaves {@code on} once no active association of this branch remains there. */
    private void dropActive(Thread on) {
        activeOn.remove(on);
        if (!activeOn.contains(on) && txn.state() == TransactionState.ACTIVE) {
            txn.leave(on);
        }
    }

    @Override
    public String toString() {
        return RvmXid.describe(xid) + " (" + state + ", " + activeOn.size() + " active / " + suspended
                + " suspended)";
    }
}
