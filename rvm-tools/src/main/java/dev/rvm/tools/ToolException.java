package dev.rvm.tools;

/**
 * A refusal or failure of the tool itself, with the exit code to end with; its message is the one line the
 * operator sees. Immutable.
 */
final class ToolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    ToolException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
