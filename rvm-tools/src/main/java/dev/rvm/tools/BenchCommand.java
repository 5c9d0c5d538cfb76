package dev.rvm.tools;

import dev.rvm.tools.bench.AccessPattern;
import dev.rvm.tools.bench.BenchOptions;
import dev.rvm.tools.bench.BenchResults;
import dev.rvm.tools.bench.CommitStyle;
import dev.rvm.tools.bench.DebitCreditBenchmark;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: the command-line face of {@link DebitCreditBenchmark}. Options left out keep the benchmark's
 * defaults (the full run). Progress lines go to standard error on a terminal only; the table to standard output.
 * Run once by picocli.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the debit-credit benchmark of the core and print its results table. Options not given"
                + " keep the benchmark's defaults (the full run, a few minutes).")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--dir", paramLabel = "DIR", description = "Base directory for the stores (default ./rvm-bench-data).")
    Path dir;

    @Option(names = "--shm-dir", paramLabel = "DIR",
            description = "RAM-backed directory for the CPU-per-commit cases, or 'none' (default /dev/shm if present).")
    String shmDir;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Warm-up per case.")
    Double warmup;

    @Option(names = "--measure", paramLabel = "SECONDS", description = "Measured time per case.")
    Double measure;

    @Option(names = "--floor", paramLabel = "SECONDS", description = "Time of each raw append+force measurement.")
    Double floor;

    @Option(names = "--accounts", paramLabel = "N", description = "Number of 8-byte accounts.")
    Integer accounts;

    @Option(names = "--threads", paramLabel = "N", split = ",", description = "Thread counts, e.g. 1,4.")
    List<Integer> threads;

    @Option(names = "--patterns", paramLabel = "P", split = ",",
            description = "Access patterns: ${COMPLETION-CANDIDATES}.")
    List<AccessPattern> patterns;

    @Option(names = "--modes", paramLabel = "M", split = ",", description = "Commit styles: ${COMPLETION-CANDIDATES}.")
    List<CommitStyle> modes;

    @Option(names = "--log-size", paramLabel = "SIZE", converter = Sizes.class, description = "Log size of the cases.")
    Long logSize;

    @Option(names = "--recovery-log-size", paramLabel = "SIZE", converter = Sizes.class,
            description = "Log filled for the recovery and truncation measurements (0 skips them).")
    Long recoveryLogSize;

    @Option(names = "--truncation-latency", negatable = true, fallbackValue = "true",
            description = "Measure commit latency while truncation runs (default on).")
    Boolean truncationLatency;

    @Option(names = "--seed", description = "Random seed.")
    Long seed;

    @Option(names = "--keep", description = "Keep the case directories.")
    boolean keep;

    @Override
    public Integer call() {
        BenchOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            throw new ToolException(ExitCodes.USAGE, "bench: " + e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintStream progress = common.progressEnabled() ? new PrintStream(new WriterStream(err), true,
                StandardCharsets.UTF_8) : null;
        BenchResults results = DebitCreditBenchmark.run(options, progress);
        PrintStream table = new PrintStream(new WriterStream(spec.commandLine().getOut()), true,
                StandardCharsets.UTF_8);
        DebitCreditBenchmark.printTable(results, table);
        table.flush();
        return ExitCodes.OK;
    }

    private BenchOptions options() {
        BenchOptions.Builder b = BenchOptions.builder();
        if (dir != null) {
            b.dir(dir.toAbsolutePath());
        }
        if (shmDir != null) {
            b.shmDir("none".equals(shmDir) ? null : Path.of(shmDir));
        }
        if (warmup != null) {
            b.warmupSeconds(warmup);
        }
        if (measure != null) {
            b.measureSeconds(measure);
        }
        if (floor != null) {
            b.floorSeconds(floor);
        }
        if (accounts != null) {
            b.accounts(accounts);
        }
        if (threads != null) {
            b.threads(threads);
        }
        if (patterns != null) {
            b.patterns(patterns);
        }
        if (modes != null) {
            b.styles(modes);
        }
        if (logSize != null) {
            b.logSize(logSize);
        }
        if (recoveryLogSize != null) {
            b.recoveryLogSize(recoveryLogSize);
        }
        if (truncationLatency != null) {
            b.truncationLatency(truncationLatency);
        }
        if (seed != null) {
            b.seed(seed);
        }
        return b.keep(keep).build();
    }

    /** Bytes to a picocli writer, so the benchmark's PrintStream output lands where the tool's output goes. */
    private static final class WriterStream extends OutputStream {
        private final PrintWriter w;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        WriterStream(PrintWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public void flush() {
            w.print(line.toString(StandardCharsets.UTF_8));
            w.flush();
            line.reset();
        }
    }
}
