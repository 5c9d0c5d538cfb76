package dev.rvm.example.web.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Durations land in the first bucket whose bound they do not exceed; counts are cumulative as Prometheus wants. */
class LatencyHistogramTest {

    @Test
    void bucketsAreCumulativeAndBoundsInclusive() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(1);            // le 0.00005
        h.record(50_000);       // exactly the first bound: still le 0.00005
        h.record(50_001);       // le 0.0001
        h.record(3_000_000);    // le 0.005
        h.record(5_000_000_000L); // above every bound: +Inf only
        assertEquals(2, h.atMost(0));
        assertEquals(3, h.atMost(1));
        assertEquals(3, h.atMost(5)); // le 0.0025
        assertEquals(4, h.atMost(6)); // le 0.005
        assertEquals(4, h.atMost(LatencyHistogram.BOUNDS_NANOS.length - 1));
        assertEquals(5, h.count());
        assertEquals(1 + 50_000 + 50_001 + 3_000_000 + 5_000_000_000L, h.sumNanos());
    }

    @Test
    void leLabelsAreSecondsInPlainDecimal() {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < LatencyHistogram.BOUNDS_NANOS.length; i++) {
            labels.add(LatencyHistogram.le(i));
        }
        assertEquals(List.of("0.00005", "0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025",
                "0.05", "0.1", "0.25", "0.5", "1"), labels);
    }
}
