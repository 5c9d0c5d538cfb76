package dev.rvm.core;

/**
 * The one exception the engine throws for its own failures. Unchecked; carries an {@link ErrorCode} so that
 * callers (the resource adapter, tools) can react to the kind of failure without parsing the message.
 *
 * <p>Immutable and thread-safe.
 */
public class RvmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /** Creates an exception with the given code and message. */
    public RvmException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /** Creates an exception with the given code, message and cause. */
    public RvmException(ErrorCode code, String message, Throwable cause) {
        super("RVM-" + code.number() + " " + code + ": " + message, cause);
        this.code = code;
    }

    /** What went wrong, machine-readably. */
    public ErrorCode code() {
        return code;
    }
}
