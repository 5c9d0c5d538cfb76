package dev.rvm.tools.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the debit-credit benchmark runs. Immutable; build with {@link #builder()} (every field has a default that
 * gives the full run in a few minutes).
 *
 * @param dir base directory; each case gets a fresh subdirectory, deleted afterwards. On the real disk by default
 * @param shmDir RAM-backed base directory for the CPU-per-commit cases, or {@code null} to skip them
 * @param warmupSeconds warm-up of each case, not measured
 * @param measureSeconds measured time of each case
 * @param floorSeconds time of each raw append+force measurement
 * @param accounts number of 8-byte accounts in the region
 * @param threads thread counts to run
 * @param patterns access patterns to run
 * @param styles commit styles to run
 * @param logSize log size of the debit-credit cases
 * @param recoveryLogSize log size filled for the recovery and truncation-speed measurements (0 skips them)
 * @param truncationLatency whether to measure commit latency while truncation runs
 * @param seed random seed
 * @param keep keep the case directories instead of deleting them
 */
public record BenchOptions(Path dir, Path shmDir, double warmupSeconds, double measureSeconds, double floorSeconds,
        int accounts, List<Integer> threads, List<AccessPattern> patterns, List<CommitStyle> styles, long logSize,
        long recoveryLogSize, boolean truncationLatency, long seed, boolean keep) {

    /** Validates and copies the lists. */
    public BenchOptions {
        Objects.requireNonNull(dir, "dir");
        threads = List.copyOf(threads);
        patterns = List.copyOf(patterns);
        styles = List.copyOf(styles);
        if (warmupSeconds < 0 || measureSeconds <= 0 || floorSeconds <= 0) {
            throw new IllegalArgumentException("durations must be positive (warm-up may be 0)");
        }
        if (accounts < 10) {
            throw new IllegalArgumentException("accounts must be at least 10, got " + accounts);
        }
        for (int t : threads) {
            if (t < 1) {
                throw new IllegalArgumentException("thread counts must be positive, got " + t);
            }
        }
    }

    /** A builder with the defaults of the full run. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link BenchOptions}. Not thread-safe. */
    public static final class Builder {
        private Path dir = Path.of("rvm-bench-data").toAbsolutePath();
        private Path shmDir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : null;
        private double warmupSeconds = 1;
        private double measureSeconds = 4;
        private double floorSeconds = 3;
        private int accounts = 100_000;
        private List<Integer> threads = List.of(1, 4);
        private List<AccessPattern> patterns = List.of(AccessPattern.values());
        private List<CommitStyle> styles = List.of(CommitStyle.values());
        private long logSize = 64L << 20;
        private long recoveryLogSize = 256L << 20;
        private boolean truncationLatency = true;
        private long seed = 42;
        private boolean keep;

        private Builder() {
        }

        /** Base directory (default {@code ./rvm-bench-data}). */
        public Builder dir(Path d) {
            this.dir = d;
            return this;
        }

        /** RAM-backed directory for the CPU cases (default {@code /dev/shm} if present); null skips them. */
        public Builder shmDir(Path d) {
            this.shmDir = d;
            return this;
        }

        /** Warm-up seconds per case (default 1). */
        public Builder warmupSeconds(double s) {
            this.warmupSeconds = s;
            return this;
        }

        /** Measured seconds per case (default 4). */
        public Builder measureSeconds(double s) {
            this.measureSeconds = s;
            return this;
        }

        /** Seconds per raw append+force measurement (default 3). */
        public Builder floorSeconds(double s) {
            this.floorSeconds = s;
            return this;
        }

        /** Number of accounts (default 100,000). */
        public Builder accounts(int n) {
            this.accounts = n;
            return this;
        }

        /** Thread counts (default 1 and 4). */
        public Builder threads(List<Integer> t) {
            this.threads = t;
            return this;
        }

        /** Access patterns (default all). */
        public Builder patterns(List<AccessPattern> p) {
            this.patterns = p;
            return this;
        }

        /** Commit styles (default all). */
        public Builder styles(List<CommitStyle> s) {
            this.styles = s;
            return this;
        }

        /** Log size of the cases (default 64 MiB). */
        public Builder logSize(long bytes) {
            this.logSize = bytes;
            return this;
        }

        /** Log filled for recovery and truncation speed (default 256 MiB); 0 skips them. */
        public Builder recoveryLogSize(long bytes) {
            this.recoveryLogSize = bytes;
            return this;
        }

        /** Whether to measure commit latency under truncation (default true). */
        public Builder truncationLatency(boolean on) {
            this.truncationLatency = on;
            return this;
        }

        /** Random seed (default 42). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Keep case directories (default false). */
        public Builder keep(boolean k) {
            this.keep = k;
            return this;
        }

        /** The options. */
        public BenchOptions build() {
            return new BenchOptions(dir, shmDir, warmupSeconds, measureSeconds, floorSeconds, accounts, threads,
                    patterns, styles, logSize, recoveryLogSize, truncationLatency, seed, keep);
        }
    }
}
