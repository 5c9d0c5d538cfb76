package dev.rvm.core.internal.lock;

/**
 * Something that holds range locks: a live transaction, or a branch rebuilt in doubt by recovery. Its held locks
 * are touched only by the {@link RangeLockManager}, on behalf of one thread at a time (the owner's);
 * {@link #waitingFor} is read by other threads for deadlock detection.
 */
public abstract class LockOwner {
    volatile LockOwner waitingFor;
    /** The locks held, newest first, chained through {@code Held.ownerNext} (no list to allocate per owner). */
    RangeLockManager.Held heldHead;
    int heldCount;

    /** How the owner is named in lock errors, e.g. "transaction 12" or "in-doubt branch 0a1b...". */
    public abstract String describe();
}
