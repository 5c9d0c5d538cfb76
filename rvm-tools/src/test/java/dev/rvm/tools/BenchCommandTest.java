package dev.rvm.tools;

import static dev.rvm.tools.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench command's wiring to the benchmark engine (a tiny run: no timing is asserted). */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void aTinyRunPrintsTheResultsTable() {
        Fixtures.Run r = run("bench", "--dir", dir.toString(), "--shm-dir", "none", "--warmup", "0", "--measure",
                "0.2", "--floor", "0.1", "--threads", "1", "--patterns", "uniform", "--modes", "flush",
                "--recovery-log-size", "0", "--no-truncation-latency", "--log-size", "1M", "--accounts", "100");
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().toUpperCase().contains("UNIFORM"), r.toString());
        assertEquals("", r.err(), "progress lines only on a terminal");
    }

    @Test
    void badBenchOptionsAreAUsageError() {
        Fixtures.Run r = run("bench", "--dir", dir.toString(), "--accounts", "1");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
    }
}
