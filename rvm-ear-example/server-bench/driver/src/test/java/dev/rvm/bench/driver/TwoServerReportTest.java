package dev.rvm.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwoServerReportTest {
    /** A 10-second run of {@code tps} transfers per second at 1 ms, with forces on A and on B (-1: no B). */
    private static LoadRun.Result run(String c, int clients, int tps, long forces, long peerForces) {
        long[] lat = new long[tps * 10];
        Arrays.fill(lat, 1_000_000L);
        return new LoadRun.Result(c, "-", clients, lat.length, 10.0, lat, 0, "", forces, CpuCounters.NONE,
                peerForces, CpuCounters.NONE);
    }

    private static TwoServerReport report() {
        return new TwoServerReport(new CpuCounters.ClockTicks(100, false));
    }

    @Test
    void theRatiosAreBetweenCasesAtTheSameClients() {
        TwoServerReport r = report();
        r.add(run("rvm", 16, 2000, 2000, 0));
        r.add(run("rvm-remote", 16, 500, 10_000, 10_000));
        r.add(run("remote-none", 16, 1000, 0, 0));
        r.add(run("rvm", 4, 100, 100, 0));
        assertEquals(0.25, r.ratio("rvm-remote", "rvm", 16).orElseThrow(), 1e-9);
        assertEquals(0.5, r.ratio("rvm-remote", "remote-none", 16).orElseThrow(), 1e-9);
        assertTrue(r.ratio("rvm-remote", "rvm", 4).isEmpty());
        List<String> lines = r.lines(List.of(4, 16));
        String at16 = lines.stream().filter(l -> l.trim().startsWith("16 ")).findFirst().orElseThrow();
        assertTrue(at16.contains("0.250") && at16.contains("0.500") && at16.contains("not measured"), at16);
    }

    @Test
    void aRowHasTheForcesPerTransferOnEachServer() {
        String row = report().row(run("rvm-remote", 16, 500, 10_000, 5_000));
        assertTrue(row.contains(" 2.000 ") && row.contains(" 1.000 "), row);
    }

    @Test
    void aRunWithoutServerBShowsNoForcesOnB() {
        LoadRun.Result one = new LoadRun.Result("rvm", "-", 1, 10, 10.0, new long[10], 0, "", 5, CpuCounters.NONE);
        assertTrue(Double.isNaN(one.peerForcesPerTx()));
    }
}
