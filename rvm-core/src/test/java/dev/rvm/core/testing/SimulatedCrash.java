package dev.rvm.core.testing;

/**
 * Thrown by a {@link SimulatedStorage} at its crash point and by every later call on it: the simulated machine
 * lost power. An {@link Error}, not an exception, so that engine code that catches {@link RuntimeException} to
 * clean up cannot mistake it for an ordinary failure and carry on. Immutable.
 */
public final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    /** A crash described by {@code message}. */
    public SimulatedCrash(String message) {
        super(message, null, false, false);
    }
}
