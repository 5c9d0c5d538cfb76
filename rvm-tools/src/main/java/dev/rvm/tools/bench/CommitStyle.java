package dev.rvm.tools.bench;

/** How a debit-credit transaction commits. */
public enum CommitStyle {
    /** {@code commit(FLUSH)}: durable on return. */
    FLUSH,
    /** {@code commit(NO_FLUSH)}, with {@code flush()} after every 1,000 transactions of a thread. */
    NO_FLUSH,
    /** {@code prepare(branch)} then {@code commitPrepared(branch)}: two forces per transaction. */
    TWO_PHASE
}
