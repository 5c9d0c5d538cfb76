package dev.rvm.example.web.metrics;

import dev.rvm.core.Statistics;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import jakarta.resource.ResourceException;

/**
 * The store's statistics as the meters read them, one connection per read, so that every scrape sees the
 * counters as they are (a connection from the adapter's pool costs microseconds; a scrape reads a few dozen).
 * Thread-safe.
 */
final class StoreStatistics {
    private final RvmConnectionFactory factory;

    StoreStatistics(RvmConnectionFactory factory) {
        this.factory = factory;
    }

    /** The statistics now; {@code null} while the adapter cannot give a connection (stopping, redeploying). */
    Statistics get() {
        try (RvmConnection c = factory.getConnection()) {
            return c.statistics();
        } catch (ResourceException | RuntimeException e) {
            return null;
        }
    }
}
