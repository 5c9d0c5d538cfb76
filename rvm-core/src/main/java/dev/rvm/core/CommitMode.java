package dev.rvm.core;

/** The paper's {@code end_transaction} mode: whether commit waits for the log force. */
public enum CommitMode {
    /** Returns only after the commit record is forced to the log: durable on return. */
    FLUSH,
    /**
     * Returns at once; the commit becomes durable at the next {@link RecoverableMemory#flush()}, forced commit, or
     * second phase ({@code commitPrepared}, {@code rollbackPrepared}). A crash may lose the last lazily committed
     * transactions, never part of one, and only a suffix.
     */
    NO_FLUSH
}
