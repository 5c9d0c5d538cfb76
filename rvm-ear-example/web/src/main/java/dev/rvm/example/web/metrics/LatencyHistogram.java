package dev.rvm.example.web.metrics;

import java.math.BigDecimal;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durations counted into fixed buckets, plus their count and sum: what a Prometheus histogram needs. Recording
 * is two {@link LongAdder} increments and an add, cheap enough for every commit. Thread-safe.
 */
final class LatencyHistogram {
    /** Upper bounds, in nanoseconds: from a fast force on an SSD to a stalled disk. */
    static final long[] BOUNDS_NANOS = {50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000,
        10_000_000, 25_000_000, 50_000_000, 100_000_000, 250_000_000, 500_000_000, 1_000_000_000};

    /** Per bucket, not cumulative; the last one counts what is above every bound. */
    private final LongAdder[] buckets = new LongAdder[BOUNDS_NANOS.length + 1];
    private final LongAdder count = new LongAdder();
    private final LongAdder sumNanos = new LongAdder();

    LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void record(long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
            i++;
        }
        buckets[i].increment();
        sumNanos.add(nanos);
        count.increment();
    }

    /** Durations at most {@code BOUNDS_NANOS[bound]}: the cumulative count of Prometheus's {@code le} bucket. */
    long atMost(int bound) {
        long n = 0;
        for (int i = 0; i <= bound; i++) {
            n += buckets[i].sum();
        }
        return n;
    }

    long count() {
        return count.sum();
    }

    long sumNanos() {
        return sumNanos.sum();
    }

    /** The {@code le} label of a bound: seconds in plain decimal ("0.00025", "1"), as Prometheus writes them. */
    static String le(int bound) {
        return BigDecimal.valueOf(BOUNDS_NANOS[bound], 9).stripTrailingZeros().toPlainString();
    }
}
