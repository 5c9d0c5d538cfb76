package dev.rvm.core;

/** Life cycle of a {@link Transaction}. */
public enum TransactionState {
    /** Begun; may declare ranges and change memory. */
    ACTIVE,
    /** Prepared for two-phase commit: its redo record is durable; awaiting the outcome. */
    PREPARED,
    /** Committed (durably, or lazily for {@code NO_FLUSH}). */
    COMMITTED,
    /** Aborted or rolled back: old values restored. */
    ABORTED,
    /** Failed with an I/O error during commit or prepare: the outcome is unknown until recovery. */
    FAILED
}
