package dev.rvm.core.inspect;

/** Whether a running process held the store when it was inspected. Immutable. */
public enum StoreLockState {
    /** Nobody held the store's lock when it was probed. */
    FREE,
    /** Another process (or another open in this JVM) holds the store: it is live. */
    HELD,
    /** The directory has no lock file (for example a copied log); nobody can hold it. */
    NO_LOCK_FILE,
    /** The lock could not be probed (for example no write permission on the lock file). */
    UNKNOWN
}
