package dev.rvm.tools.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The debit-credit benchmark, as an API: {@link #run} takes {@link BenchOptions} and returns
 * {@link BenchResults}; {@link #printTable} prints them with the targets marked met or not met.
 *
 * <p>Order of a run: the disk floor, every case on the disk (a fresh store each),
 * the disk floor again, recovery and truncation speed, commit latency under truncation, and {@code FLUSH} cases on
 * the RAM-backed directory for CPU per commit. Not thread-safe: run one benchmark at a time per directory.
 */
public final class DebitCreditBenchmark {

    private DebitCreditBenchmark() {
    }

    /**
     * Runs everything {@code options} asks for.
     *
     * @param progress where to print a line as each part finishes, or {@code null}
     */
    public static BenchResults run(BenchOptions options, PrintStream progress) {
        try {
            return runChecked(options, progress == null ? new PrintStream(OutputStream.nullOutputStream())
                    : progress);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("benchmark interrupted", e);
        }
    }

    private static BenchResults runChecked(BenchOptions o, PrintStream out) throws IOException, InterruptedException {
        Path base = Files.createDirectories(o.dir()).resolve("run-" + ProcessHandle.current().pid());
        Files.createDirectories(base);
        String machine = describeMachine(base);
        out.println("machine: " + machine);
        try {
            BenchResults.Floor before = DiskFloor.measure(base, o.floorSeconds());
            out.printf("disk floor: %,.0f appends+forces/s%n", before.writesPerSecond());
            BenchResults.Interleaved il = null;
            if (o.styles().contains(CommitStyle.FLUSH)) {
                Path dir = base.resolve("interleaved");
                il = new InterleavedFlush(o).run(dir);
                out.printf("interleaved: floor %,.0f/s, FLUSH 1T %,.0f tx/s, FLUSH 4T %,.0f tx/s, grouped floor 4T "
                        + "%,.0f/s%n", il.floorRate(), il.oneThreadRate(), il.fourThreadRate(), il.groupedRate());
                cleanup(dir, o);
            }
            CaseRunner runner = new CaseRunner(o);
            List<BenchResults.Case> cases = new ArrayList<>();
            int n = 0;
            for (CommitStyle style : o.styles()) {
                for (AccessPattern pattern : o.patterns()) {
                    for (int threads : o.threads()) {
                        Path dir = base.resolve("case-" + (n++));
                        BenchResults.Floor adjacent = null;
                        if (style == CommitStyle.FLUSH) {
                            // The disk's speed drifts on shared machines: each FLUSH case gets a floor next to it.
                            adjacent = DiskFloor.measure(base, o.floorSeconds() / 2);
                        }
                        BenchResults.Case c = runner.run(dir, pattern, style, threads).withFloor(adjacent);
                        cases.add(c);
                        out.printf("%-9s %-10s %dT: %,12.0f tx/s  p99 %s%n", style, pattern, threads, c.txPerSecond(),
                                ResultTable.micros(c.p99()));
                        cleanup(dir, o);
                    }
                }
            }
            BenchResults.Floor after = DiskFloor.measure(base, o.floorSeconds());
            out.printf("disk floor again: %,.0f/s%n", after.writesPerSecond());
            BenchResults.Recovery recovery = null;
            BenchResults.Truncation truncation = null;
            if (o.recoveryLogSize() > 0) {
                Path dir = base.resolve("recovery");
                StoreBenchmarks.RecoveryAndTruncation rt = new StoreBenchmarks(o).recoveryAndTruncation(dir);
                recovery = rt.recovery();
                truncation = rt.truncation();
                out.printf("recovery: %.0f MB/s; truncation: %.0f MB/s%n", recovery.mbPerSecond(),
                        truncation.mbPerSecond());
                cleanup(dir, o);
            }
            BenchResults.TruncationLatency tl = null;
            BenchResults.TruncationLatency bg = null;
            if (o.truncationLatency()) {
                Path dir = base.resolve("truncation-latency");
                tl = new StoreBenchmarks(o).truncationLatency(dir);
                out.printf("commit p99 without / with a truncate() loop: %s / %s%n", ResultTable.micros(tl.withoutP99()),
                        ResultTable.micros(tl.withP99()));
                cleanup(dir, o);
                Path bgDir = base.resolve("background-truncation");
                bg = new StoreBenchmarks(o).backgroundTruncationLatency(bgDir);
                out.printf("commit p99 outside / during background truncations: %s / %s (%d truncations)%n",
                        ResultTable.micros(bg.withoutP99()), ResultTable.micros(bg.withP99()), bg.truncations());
                cleanup(bgDir, o);
            }
            List<BenchResults.Case> shm = new ArrayList<>();
            if (o.shmDir() != null) {
                Path shmBase = o.shmDir().resolve("rvm-bench-" + ProcessHandle.current().pid());
                try {
                    List<CommitStyle> shmStyles = new ArrayList<>(List.of(CommitStyle.FLUSH));
                    if (o.styles().contains(CommitStyle.NO_FLUSH)) {
                        shmStyles.add(CommitStyle.NO_FLUSH);
                    }
                    for (CommitStyle style : shmStyles) {
                        for (int threads : o.threads()) {
                            Path dir = shmBase.resolve("case-" + style + "-" + threads);
                            BenchResults.Case c = runner.run(dir, AccessPattern.UNIFORM, style, threads);
                            shm.add(c);
                            out.printf("RAM-backed %s %dT: %,.0f tx/s, %.1f us CPU per commit%n", style, threads,
                                    c.txPerSecond(), c.cpuPerTx() / 1e3);
                            cleanup(dir, o);
                        }
                    }
                } finally {
                    if (!o.keep()) {
                        deleteTree(shmBase);
                    }
                }
            }
            machine = machine + "; at the end" + describeLoad();
            return new BenchResults(machine, o, before, after, il, cases, shm, recovery, truncation, tl, bg);
        } finally {
            if (!o.keep()) {
                deleteTree(base);
            }
        }
    }

    /** Prints the results table and its targets, each marked met or not met. */
    public static void printTable(BenchResults results, PrintStream out) {
        new ResultTable(results).print(out);
    }

    private static void cleanup(Path dir, BenchOptions o) throws IOException {
        if (!o.keep()) {
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String describeMachine(Path dir) {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.replaceFirst(".*:\\s*", ""))
                    .orElse(cpu);
        } catch (IOException | UncheckedIOException e) {
            // not Linux: the CPU stays unnamed
        }
        String fs;
        try {
            FileStore store = Files.getFileStore(dir);
            fs = store.type() + " (" + store.name() + ")";
        } catch (IOException e) {
            fs = "unknown file system";
        }
        return cpu + describeLoad() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB heap, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + ", Java " + System.getProperty("java.runtime.version") + ", "
                + fs + " at " + dir.getParent();
    }

    private static String describeLoad() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return ", load average " + f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return ""; // not Linux: no load figure
        }
    }
}
