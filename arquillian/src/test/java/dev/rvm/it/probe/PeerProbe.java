package dev.rvm.it.probe;

/**
 * The two-server probe's remote view on the other server: called by {@link TwoServerProbeServlet} inside the
 * transaction it propagates, to halt that server at a chosen point of it. Implemented by {@link PeerProbeBean}.
 */
public interface PeerProbe {

    /** Enlists a {@link PhaseHaltingXAResource} for {@code phase} in the caller's (imported) transaction. */
    void enlistHalting(String phase);

    /** Halts this server's JVM at once, in the middle of the caller's transaction. */
    void halt();
}
