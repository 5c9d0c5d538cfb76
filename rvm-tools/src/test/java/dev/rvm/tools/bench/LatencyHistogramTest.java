package dev.rvm.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 50; i++) {
            h.record(i);
        }
        assertEquals(25, h.percentile(0.5));
        assertEquals(50, h.percentile(1.0));
    }

    @Test
    void largeValuesAreWithinFourPercent() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 100_000; v++) {
            h.record(v * 1000);
        }
        long p99 = h.percentile(0.99);
        assertTrue(Math.abs(p99 - 99_000_000L) <= 99_000_000L * 0.04, "p99 " + p99);
        long p50 = h.percentile(0.5);
        assertTrue(Math.abs(p50 - 50_000_000L) <= 50_000_000L * 0.04, "p50 " + p50);
        assertEquals(100_000_000L, h.max());
    }

    @Test
    void mergingAddsCountsAndKeepsTheMaximum() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(10);
        b.record(1_000_000);
        b.record(20);
        a.add(b);
        assertEquals(3, a.count());
        assertEquals(1_000_000, a.max());
        assertEquals(20, a.percentile(0.5));
    }

    @Test
    void emptyHistogramReportsZero() {
        assertEquals(0, new LatencyHistogram().percentile(0.99));
    }
}
