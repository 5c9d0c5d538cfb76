package dev.rvm.ra.internal;

import dev.rvm.core.BranchId;
import dev.rvm.core.Transaction;
import javax.transaction.xa.Xid;

/**
 * An XA branch between {@code start} and {@code prepare} (or a one-phase commit or rollback): its RVM
 * transaction, its state and its associations. Once prepared, a branch is the core's and this object is dropped.
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
    private int active;
    private int suspended;
    private Thread owner;

    /** A new branch whose transaction was just begun on the calling thread. */
    public Branch(Xid xid, BranchId id, Transaction txn) {
        this.xid = xid;
        this.id = id;
        this.txn = txn;
        this.active = 1;
        this.owner = Thread.currentThread();
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
        return active + suspended;
    }

    /**
     * Adds an active association on the calling thread, moving the RVM transaction to it if it is not associated
     * with any thread.
     *
     * @return the name of the thread that holds the transaction if it is another one (the caller refuses), or
     *         {@code null} on success
     */
    public String attach() {
        Thread me = Thread.currentThread();
        if (owner != null && owner != me) {
            return owner.getName();
        }
        if (owner == null) {
            txn.resume();
            owner = me;
        }
        active++;
        return null;
    }

    /** Turns an active association into a suspended one. */
    public void suspendOne() {
        active--;
        suspended++;
        release();
    }

    /** Turns a suspended association back into an active one (after {@link #attach()} counted it). */
    public void resumedOne() {
        suspended--;
    }

    /** Ends an association, active or suspended. */
    public void endOne(boolean wasActive) {
        if (wasActive) {
            active--;
        } else {
            suspended--;
        }
        release();
    }

    /** Detaches the transaction from the calling thread once no association is active there. */
    private void release() {
        if (active == 0 && owner == Thread.currentThread()) {
            if (txn.state() == dev.rvm.core.TransactionState.ACTIVE) {
                txn.suspend();
            }
            owner = null;
        }
    }

    @Override
    public String toString() {
        return RvmXid.describe(xid) + " (" + state + ", " + active + " active / " + suspended + " suspended)";
    }
}
