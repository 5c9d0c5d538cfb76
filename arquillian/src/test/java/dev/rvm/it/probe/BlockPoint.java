package dev.rvm.it.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Where the two-server probe stops a transaction so that the test can SIGKILL the JVM at that moment: the thread that
 * reaches the point writes the marker file {@code jboss.server.data.dir/rvm-probe-blocked} (what it blocks in) and
 * then blocks until the JVM is killed. The test polls for the marker and kills the process from outside, so the kill
 * is a real SIGKILL at a known point of the protocol. A block nobody ends halts the JVM after
 * {@link #MAX_BLOCK_MINUTES} rather than hold a server thread for ever. Stateless; thread-safe.
 */
public final class BlockPoint {
    /** How long a block lasts when the test does not kill the JVM. */
    static final long MAX_BLOCK_MINUTES = 5;
    private static final Logger LOG = Logger.getLogger(BlockPoint.class.getName());

    private BlockPoint() {
    }

    /** The marker file; the test reads the same path under the server's {@code standalone/data}. */
    static Path marker() {
        return Path.of(System.getProperty("jboss.server.data.dir"), "rvm-probe-blocked");
    }

    /** Writes the marker naming {@code where} and blocks this thread until the JVM is killed. */
    static void blockUntilKilled(String where) {
        try {
            Files.writeString(marker(), where);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the probe's marker " + marker(), e);
        }
        LOG.warning(() -> "blocked in " + where + ", waiting for the test's SIGKILL");
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(MAX_BLOCK_MINUTES);
        while (System.nanoTime() - end < 0) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                // keep blocking: the point is to be killed here, not to go on
            }
        }
        LOG.severe(() -> "not killed within " + MAX_BLOCK_MINUTES + " min while blocked in " + where + "; halting");
        Runtime.getRuntime().halt(1);
    }
}
