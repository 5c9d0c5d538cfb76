package dev.rvm.core.testing;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Raises the engine's log level to WARNING for tests that open stores thousands of times, so that the INFO line
 * of every recovery does not drown the test output. Thread-safe (idempotent).
 */
public final class QuietLogs {
    /** Held so the configured logger is not collected (JUL keeps loggers weakly). */
    private static final Logger ENGINE = Logger.getLogger("dev.rvm.core");

    private QuietLogs() {
    }

    /** Applies the quieter level. */
    public static void install() {
        ENGINE.setLevel(Level.WARNING);
    }
}
