package dev.rvm.core.replication;

import dev.rvm.core.ErrorCode;
import java.io.IOException;

/**
 * A batch or a segment creation could not be replicated. Carries the {@link ErrorCode} the store reports for it
 * ({@link ErrorCode#NOT_LEADER}, {@link ErrorCode#NO_QUORUM}). Immutable.
 */
public class ReplicationException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The code. */
    private final ErrorCode code;

    /** A failure with {@code code}, a message that says what happened and what to do, and its cause (may be null). */
    public ReplicationException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The error code the store reports. */
    public ErrorCode code() {
        return code;
    }
}
