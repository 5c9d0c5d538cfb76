package dev.rvm.bench.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuCountersTest {
    private static final String STAT = """
            cpu  100 5 40 9000 30 2 3 7 0 0
            cpu0 50 2 20 4500 15 1 1 3 0 0
            intr 12345 0 0
            ctxt 987654
            btime 1700000000
            """;

    @Test
    void machineCpuIsUserNiceSystemIrqSoftirqAndNotIdleIowaitOrSteal() {
        assertArrayEquals(new long[] {100 + 5 + 40 + 2 + 3, 987_654}, CpuCounters.machine(STAT));
    }

    @Test
    void processCpuIsUtimePlusStimeEvenWithSpacesAndParenthesesInTheCommand() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 321 123 0 0 20 0 80 0 5000 0 0";
        assertEquals(321 + 123, CpuCounters.processTicks(stat));
    }

    @Test
    void switchesAreVoluntaryPlusNonvoluntary() {
        assertEquals(15, CpuCounters.switches("Name:\tjava\nvoluntary_ctxt_switches:\t10\n"
                + "nonvoluntary_ctxt_switches:\t5\n"));
    }

    @Test
    void aReadingSumsTheSwitchesOfEveryThreadOfTheProcess(@TempDir Path proc) throws IOException {
        Files.writeString(proc.resolve("stat"), STAT);
        Path p = Files.createDirectories(proc.resolve("77"));
        Files.writeString(p.resolve("stat"), "77 (java) S 1 1 1 0 -1 0 0 0 0 0 10 20 0 0");
        for (int t : new int[] {77, 78}) {
            Path task = Files.createDirectories(p.resolve("task/" + t));
            Files.writeString(task.resolve("status"), "voluntary_ctxt_switches:\t" + t
                    + "\nnonvoluntary_ctxt_switches:\t1\n");
        }
        assertEquals(new CpuCounters(150, 987_654, 30, 77 + 1 + 78 + 1, Map.of(77L, 78L, 78L, 79L)),
                CpuCounters.read(proc, 77));
        assertEquals(new CpuCounters(150, 987_654, -1, -1), CpuCounters.read(proc, -1));
    }

    @Test
    void theSwitchesOfAThreadThatEndedAreNotSubtractedAndThoseOfANewOneAllCount() {
        CpuCounters before = new CpuCounters(0, 0, 0, 100 + 500, Map.of(1L, 100L, 2L, 500L));
        CpuCounters after = new CpuCounters(0, 0, 0, 130 + 7, Map.of(1L, 130L, 3L, 7L)); // 2 ended, 3 began
        assertEquals(30 + 7, after.minus(before).processSwitches());
    }

    @Test
    void aDifferenceKeepsUnknownFieldsUnknown() {
        CpuCounters a = new CpuCounters(100, 1_000, -1, 50);
        CpuCounters b = new CpuCounters(160, 1_900, 40, 80);
        assertEquals(new CpuCounters(60, 900, -1, 30), b.minus(a));
        assertEquals(CpuCounters.NONE, CpuCounters.read(Path.of("/no/such/proc"), 1));
    }

    @Test
    void perTransactionFiguresAreNaNWhenUnknown() {
        CpuCounters.ClockTicks hz = new CpuCounters.ClockTicks(100, false);
        assertEquals(250.0, CpuCounters.micros(50, hz, 2_000), 1e-9);
        assertEquals(Double.NaN, CpuCounters.micros(-1, hz, 2_000));
        assertEquals(Double.NaN, CpuCounters.perTransaction(10, 0));
    }
}
