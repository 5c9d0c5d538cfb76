package dev.rvm.tools.bench;

import dev.rvm.core.CommitMode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Statistics;
import dev.rvm.core.Transaction;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The measurements around the debit-credit cases: recovery speed and truncation speed on a full log, and commit
 * latency while truncation runs. Not thread-safe; one measurement at a time.
 */
final class StoreBenchmarks {
    /** Fill logs to this fraction, leaving room so no append ever waits for space (which would truncate). */
    private static final double FILL = 0.9;
    /** Slices of the latency comparison, alternating without and with truncation. */
    private static final int SLICES = 4;

    private final BenchOptions options;

    StoreBenchmarks(BenchOptions options) {
        this.options = options;
    }

    /** Store options that never truncate by themselves and log every transaction as its own record. */
    private RvmOptions fillable(Path dir, long logSize) {
        return RvmOptions.builder(dir).logSize(logSize).truncationThreshold(1.0).coalescing(false).build();
    }

    /**
     * Fills the log with committed uniform debit-credit transactions ({@code NO_FLUSH}, one record each, then a
     * flush) up to {@value #FILL} of its capacity; returns the log bytes in use.
     */
    private long fill(RecoverableMemory rvm, Region region) {
        AccountPicker picker = new AccountPicker(AccessPattern.UNIFORM, options.accounts(), 0, 1, options.seed());
        Statistics s = rvm.statistics();
        long target = (long) (FILL * s.logCapacity());
        long n = 0;
        while (true) {
            if ((n & 4095) == 0 && rvm.statistics().logUsed() >= target) {
                break;
            }
            picker.next();
            CaseRunner.transfer(rvm, region, picker).commit(CommitMode.NO_FLUSH);
            n++;
        }
        rvm.flush();
        return rvm.statistics().logUsed();
    }

    /**
     * Fills a log of {@code recoveryLogSize}, closes the store without truncating (the log then holds everything,
     * as after a crash with a full log), reopens it and reads the recovery figures; then fills the log again and
     * times one {@code truncate()}.
     */
    RecoveryAndTruncation recoveryAndTruncation(Path dir) {
        RvmOptions ro = fillable(dir, options.recoveryLogSize());
        try (RecoverableMemory rvm = RecoverableMemory.open(ro)) {
            Region region = CaseRunner.createAccounts(rvm, options.accounts());
            fill(rvm, region);
        }
        long t0 = System.nanoTime();
        try (RecoverableMemory rvm = RecoverableMemory.open(ro)) {
            long openNanos = System.nanoTime() - t0;
            Statistics s = rvm.statistics();
            BenchResults.Recovery recovery = new BenchResults.Recovery(s.lastRecoveryBytes(), s.lastRecoveryRecords(), s.lastRecoveryNanos(),
                    openNanos);
            Region region = rvm.map(CaseRunner.SEGMENT, 0, 8L * options.accounts());
            long used = fill(rvm, region);
            long t1 = System.nanoTime();
            rvm.truncate();
            long callNanos = System.nanoTime() - t1;
            return new RecoveryAndTruncation(recovery,
                    new BenchResults.Truncation(used, rvm.statistics().lastTruncationNanos(), callNanos));
        }
    }

    /** Both figures measured on one full log. */
    record RecoveryAndTruncation(BenchResults.Recovery recovery, BenchResults.Truncation truncation) {
    }

    /**
     * One thread commits {@code FLUSH} for the measured time alone and for the same time while another thread
     * calls {@code truncate()} in a loop (the committing thread keeps filling the log it truncates), alternating.
     */
    BenchResults.TruncationLatency truncationLatency(Path dir) throws InterruptedException {
        RvmOptions ro = RvmOptions.builder(dir).logSize(options.logSize()).truncationThreshold(1.0).build();
        try (RecoverableMemory rvm = RecoverableMemory.open(ro)) {
            Region region = CaseRunner.createAccounts(rvm, options.accounts());
            AccountPicker picker = new AccountPicker(AccessPattern.UNIFORM, options.accounts(), 0, 1, options.seed());
            long warmupEnd = System.nanoTime() + (long) (options.warmupSeconds() * 1e9);
            commitUntil(rvm, region, picker, warmupEnd);
            LatencyHistogram without = new LatencyHistogram();
            LatencyHistogram with = new LatencyHistogram();
            long slice = (long) (options.measureSeconds() * 1e9 / SLICES);
            long withoutN = 0;
            long withN = 0;
            long withoutNanos = 0;
            long withNanos = 0;
            long tr0 = rvm.statistics().truncations();
            // Alternate slices so that a drift in the disk's speed affects both sides alike.
            for (int i = 0; i < SLICES; i++) {
                long t0 = System.nanoTime();
                withoutN += commitUntil(rvm, region, picker, t0 + slice, without);
                withoutNanos += System.nanoTime() - t0;
                AtomicBoolean stop = new AtomicBoolean();
                Throwable[] truncFailure = new Throwable[1];
                Thread truncator = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            rvm.truncate();
                        }
                    } catch (Throwable e) {
                        truncFailure[0] = e;
                    }
                }, "bench-truncate-loop");
                truncator.start();
                long t1 = System.nanoTime();
                withN += commitUntil(rvm, region, picker, t1 + slice, with);
                withNanos += System.nanoTime() - t1;
                stop.set(true);
                truncator.join();
                if (truncFailure[0] != null) {
                    throw new IllegalStateException("truncate() loop failed: " + truncFailure[0], truncFailure[0]);
                }
            }
            double withoutRate = withoutN / (withoutNanos / 1e9);
            double withRate = withN / (withNanos / 1e9);
            long truncations = rvm.statistics().truncations() - tr0;
            return new BenchResults.TruncationLatency(without.percentile(0.5), without.percentile(0.99), withoutRate,
                    with.percentile(0.5), with.percentile(0.99), withRate, truncations);
        }
    }

    private static long commitUntil(RecoverableMemory rvm, Region region, AccountPicker picker, long deadline) {
        return commitUntil(rvm, region, picker, deadline, new LatencyHistogram());
    }

    private static long commitUntil(RecoverableMemory rvm, Region region, AccountPicker picker, long deadline,
            LatencyHistogram h) {
        long n = 0;
        while (System.nanoTime() < deadline) {
            picker.next();
            Transaction t = CaseRunner.transfer(rvm, region, picker);
            long t0 = System.nanoTime();
            t.commit(CommitMode.FLUSH);
            h.record(System.nanoTime() - t0);
            n++;
        }
        return n;
    }

    /**
     * Log size and threshold of the background-truncation measurement: small, so that the store truncates itself
     * several times a second and most of its commits overlap a truncation.
     */
    private static final long BACKGROUND_LOG = 256 * 1024;
    private static final double BACKGROUND_THRESHOLD = 0.1;

    /**
     * One thread commits {@code FLUSH}, alternating slices between two stores on the same directory: one whose
     * log never truncates (the baseline) and one with a small log whose threshold starts truncations by themselves,
     * as in production. In the second, a commit's latency counts if a truncation was running at any moment of it
     * (the truncations run on an executor that marks them).
     */
    BenchResults.TruncationLatency backgroundTruncationLatency(Path dir) throws InterruptedException {
        AtomicLong marks = new AtomicLong();
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bench-background-truncation");
            t.setDaemon(true);
            return t;
        });
        // marks is odd while a truncation runs; a commit that sees it odd, or sees it change, overlapped one.
        Executor marking = task -> pool.execute(() -> {
            marks.incrementAndGet();
            try {
                task.run();
            } finally {
                marks.incrementAndGet();
            }
        });
        RvmOptions plain = RvmOptions.builder(dir.resolve("baseline")).logSize(options.logSize())
                .truncationThreshold(1.0).build();
        RvmOptions small = RvmOptions.builder(dir.resolve("truncating")).logSize(BACKGROUND_LOG)
                .truncationThreshold(BACKGROUND_THRESHOLD).truncationExecutor(marking).build();
        try (RecoverableMemory base = RecoverableMemory.open(plain); RecoverableMemory rvm = RecoverableMemory.open(small)) {
            Region baseRegion = CaseRunner.createAccounts(base, options.accounts());
            Region region = CaseRunner.createAccounts(rvm, options.accounts());
            AccountPicker picker = new AccountPicker(AccessPattern.UNIFORM, options.accounts(), 0, 1, options.seed());
            long warm = (long) (options.warmupSeconds() * 1e9);
            commitUntil(base, baseRegion, picker, System.nanoTime() + warm);
            commitUntil(rvm, region, picker, System.nanoTime() + warm);
            LatencyHistogram without = new LatencyHistogram();
            LatencyHistogram during = new LatencyHistogram();
            long withoutN = 0;
            long withoutNanos = 0;
            long duringN = 0;
            long withNanos = 0;
            long tr0 = rvm.statistics().truncations();
            long slice = (long) (options.measureSeconds() * 1e9 / SLICES);
            for (int i = 0; i < SLICES; i++) {
                long t0 = System.nanoTime();
                withoutN += commitUntil(base, baseRegion, picker, t0 + slice, without);
                withoutNanos += System.nanoTime() - t0;
                long t1 = System.nanoTime();
                long deadline = t1 + slice;
                while (System.nanoTime() < deadline) {
                    picker.next();
                    Transaction t = CaseRunner.transfer(rvm, region, picker);
                    long m0 = marks.get();
                    long c0 = System.nanoTime();
                    t.commit(CommitMode.FLUSH);
                    long took = System.nanoTime() - c0;
                    if ((m0 & 1) == 1 || marks.get() != m0) {
                        during.record(took);
                        duringN++;
                    }
                }
                withNanos += System.nanoTime() - t1;
            }
            long truncations = rvm.statistics().truncations() - tr0;
            return new BenchResults.TruncationLatency(without.percentile(0.5), without.percentile(0.99),
                    withoutN / (withoutNanos / 1e9), during.percentile(0.5), during.percentile(0.99),
                    duringN / (withNanos / 1e9), truncations);
        } finally {
            pool.shutdown();
        }
    }
}
