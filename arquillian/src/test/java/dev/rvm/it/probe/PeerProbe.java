package dev.rvm.it.probe;

/**
 * The two-server probe's remote view on the other server: called by {@link TwoServerProbeServlet} inside the
 * transaction it propagates, to stop that server at a chosen point of it for the test to SIGKILL. Implemented by
 * {@link PeerProbeBean}.
 */
public interface PeerProbe {

    /** Enlists a {@link PhaseBlockingXAResource} for {@code phase} in the caller's (imported) transaction. */
    void enlistBlocking(String phase);

    /** Blocks, in the middle of the caller's transaction, until the test kills this server's JVM. */
    void block();
}
