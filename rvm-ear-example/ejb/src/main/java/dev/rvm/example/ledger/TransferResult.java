package dev.rvm.example.ledger;

import java.io.Serializable;

/**
 * What became of a transfer that did not throw: committed, or rejected for insufficient funds (the transaction was
 * marked rollback-only, so nothing of it remains). Serializable, as the remote ledger bean returns it. Immutable.
 *
 * @param outcome {@code COMMITTED} or {@code REJECTED}
 * @param from source account
 * @param to destination account
 * @param amount amount moved
 * @param fromBalance the source balance the transfer produced (negative when rejected)
 * @param message for people
 */
public record TransferResult(String outcome, String from, String to, long amount, long fromBalance, String message)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Outcome of a transfer whose transaction will commit (unless something later marks it rollback-only). */
    public static final String COMMITTED = "COMMITTED";
    /** Outcome of a transfer that would have overdrawn the source account. */
    public static final String REJECTED = "REJECTED";
}
