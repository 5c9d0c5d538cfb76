package dev.rvm.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny run of every part, checking the figures are consistent (not fast): no timing is asserted. */
class DebitCreditBenchmarkTest {

    @Test
    void tinyRunProducesEveryFigureAndCleansUp(@TempDir Path dir) throws Exception {
        BenchOptions o = BenchOptions.builder().dir(dir).shmDir(null).warmupSeconds(0).measureSeconds(0.2)
                .floorSeconds(0.05).accounts(1000).threads(List.of(1, 2)).patterns(List.of(AccessPattern.UNIFORM))
                .logSize(1 << 20).recoveryLogSize(1 << 20).build();
        BenchResults r = DebitCreditBenchmark.run(o, null);
        assertEquals(CommitStyle.values().length * 2, r.cases().size());
        for (BenchResults.Case c : r.cases()) {
            assertTrue(c.txPerSecond() > 0, c.toString());
            assertTrue(c.bytesPerTx() > 0, c.toString());
        }
        BenchResults.Case flush = r.find(AccessPattern.UNIFORM, CommitStyle.FLUSH, 1);
        assertEquals(1.0, flush.forcesPerTx(), 0.05, "one force per FLUSH commit on one thread");
        assertEquals(0, flush.flushNanos(), "a FLUSH case calls no flush()");
        BenchResults.Case lazy = r.find(AccessPattern.UNIFORM, CommitStyle.NO_FLUSH, 1);
        assertTrue(lazy.flushNanos() > 0, "flush() every 1,000 NO_FLUSH commits is timed: " + lazy);
        assertTrue(lazy.flushOnlyRate(CaseRunner.FLUSH_EVERY) > lazy.txPerSecond(), lazy.toString());
        assertTrue(r.interleaved().groupedRate() > 0, r.interleaved().toString());
        assertTrue(r.interleaved().groupedForcesPerAppend() <= 0.5, "raw appends of 4 threads grouped: "
                + r.interleaved());
        assertTrue(r.recovery().records() > 0);
        assertTrue(r.truncation().logBytes() > 0);
        assertTrue(r.truncationLatency().truncations() > 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DebitCreditBenchmark.printTable(r, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("targets:"), table);
        assertTrue(table.contains("recovery >= 300 MB/s"), table);
        assertTrue(table.contains("raw appends grouped by 4 threads"), table);
        assertTrue(table.contains("alone allows"), table);
        try (var s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith("run-")), "run directory left behind");
        }
    }
}
