package dev.rvm.core.internal.lock;

/**
 * Something that holds range locks: a live transaction, or a branch rebuilt in doubt by recovery. Its held locks
 * are touched only by the {@link RangeLockManager}, on behalf of one thread at a time (the owner's);
 * {@link #waitingFor} is read by other threads for deadlock detection.
 */
public abstract class LockOwner {
    volatile LockOwner waitingFor;
    /**
     * The transaction that set this one aside on its thread ({@code Transaction.join}), named in lock errors; not a
     * wait edge for deadlock detection (see {@code RangeLockManager.closesCycle}).
     */
    volatile LockOwner setAsideFor;
    /** The locks held, newest first, chained through {@code Held.ownerNext} (no list to allocate per owner). */
    RangeLockManager.Held heldHead;
    int heldCount;

    /** Records that this owner was set aside on its thread for {@code other}, or came back ({@code null}). */
    public final void setAsideFor(LockOwner other) {
        setAsideFor = other;
    }

    /** Whether this owner is set aside on its thread for another transaction. */
    public final boolean isSetAside() {
        return setAsideFor != null;
    }

    /** How the owner is named in lock errors, e.g. "transaction 12" or "in-doubt branch 0a1b...". */
    public abstract String describe();
}
