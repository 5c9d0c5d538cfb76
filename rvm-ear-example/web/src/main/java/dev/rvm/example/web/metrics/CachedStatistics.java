package dev.rvm.example.web.metrics;

import dev.rvm.core.Statistics;
import java.util.function.Supplier;

/**
 * The store's statistics for one scrape: each meter reads one figure, and a scrape reads them all within
 * milliseconds, so a snapshot younger than {@link #MAX_AGE_NANOS} is reused instead of asking the adapter for a
 * connection per meter. Thread-safe (an immutable snapshot behind a volatile reference).
 */
final class CachedStatistics {
    static final long MAX_AGE_NANOS = 200_000_000L;

    private record Taken(Statistics stats, long atNanos) {
    }

    private final Supplier<Statistics> source;
    private volatile Taken last;

    CachedStatistics(Supplier<Statistics> source) {
        this.source = source;
    }

    /** A snapshot at most {@link #MAX_AGE_NANOS} old; {@code null} if the store cannot be read now. */
    Statistics get() {
        Taken t = last;
        long now = System.nanoTime();
        if (t == null || now - t.atNanos() > MAX_AGE_NANOS) {
            Statistics s;
            try {
                s = source.get();
            } catch (RuntimeException e) {
                return t == null ? null : t.stats(); // adapter stopping or redeploying: the last known values
            }
            t = new Taken(s, now);
            last = t;
        }
        return t.stats();
    }
}
