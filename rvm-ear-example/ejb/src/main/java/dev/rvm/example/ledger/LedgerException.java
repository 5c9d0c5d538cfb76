package dev.rvm.example.ledger;

import jakarta.ejb.ApplicationException;

/**
 * Why a transfer failed. Unchecked and marked {@code @ApplicationException(rollback = true)}: it reaches the caller
 * as itself (not wrapped in an {@code EJBException}) and the container-managed transaction rolls back; for the CDI
 * bean, {@code @Transactional} rolls back on any unchecked exception. Immutable.
 */
@ApplicationException(rollback = true, inherited = true)
public class LedgerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, for the REST layer to map onto a status. */
    public enum Reason {
        /** An account name that is not in the ledger. */
        UNKNOWN_ACCOUNT,
        /** A non-positive amount or a self-transfer. */
        INVALID_REQUEST,
        /** The audit row could not be written. */
        AUDIT_FAILED,
        /** No ledger on another server to reach: the outbound connection is not configured, or the peer is down. */
        NO_PEER
    }

    private final Reason reason;

    /**
     * @param reason what went wrong
     * @param message for people
     * @param cause the underlying failure, or {@code null}
     */
    public LedgerException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** @return what went wrong */
    public Reason reason() {
        return reason;
    }
}
