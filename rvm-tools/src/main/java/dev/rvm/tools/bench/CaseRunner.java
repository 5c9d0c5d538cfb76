package dev.rvm.tools.bench;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Statistics;
import dev.rvm.core.Transaction;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one debit-credit case on a fresh store: worker threads move amounts between two accounts per transaction
 * for a warm-up, then for the measured interval, recording commit latency; counters come from
 * {@link Statistics} deltas over the measured interval. Not thread-safe; one case at a time.
 */
final class CaseRunner {
    static final String SEGMENT = "accounts";
    /** Transactions between two {@code flush()} calls of a {@code NO_FLUSH} case (the paper's lazy commits made durable in batches). */
    static final int FLUSH_EVERY = 1000;
    /**
     * A NO_FLUSH case times one commit in this many: two clock reads cost about 50 ns here, a tenth of the whole
     * transaction, so timing every commit would measure the clock as much as the store (JMH samples likewise).
     */
    static final int NO_FLUSH_SAMPLE = 16;

    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;

    private final BenchOptions options;
    private volatile int phase;

    CaseRunner(BenchOptions options) {
        this.options = options;
    }

    /** Runs the case in {@code dir}, which must not hold a store yet. */
    BenchResults.Case run(Path dir, AccessPattern pattern, CommitStyle style, int threads) throws InterruptedException {
        RvmOptions ro = RvmOptions.builder(dir).logSize(options.logSize()).build();
        try (RecoverableMemory rvm = RecoverableMemory.open(ro)) {
            Region region = createAccounts(rvm, options.accounts());
            phase = WARMUP;
            List<Worker> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Worker w = new Worker(rvm, region, style,
                        new AccountPicker(pattern, options.accounts(), i, threads, options.seed()), i);
                w.thread = new Thread(w, "bench-" + style + "-" + i);
                workers.add(w);
            }
            for (Worker w : workers) {
                w.thread.start();
            }
            sleep(options.warmupSeconds());
            ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
            long cpu0 = processCpu();
            long wcpu0 = workerCpu(tmx, workers);
            Statistics s0 = rvm.statistics();
            long t0 = System.nanoTime();
            phase = MEASURE;
            sleep(options.measureSeconds());
            // A measured interval holds at least one whole transaction, however slow the machine (a loaded disk can
            // take longer than a tiny interval to force once); it is then longer than asked, and the rate says so.
            long limit = System.nanoTime() + 60_000_000_000L;
            while (workers.stream().noneMatch(w -> w.measuredOne) && System.nanoTime() < limit) {
                sleep(0.01);
            }
            // Read thread CPU before STOP: a finished thread's CPU time can no longer be read.
            long wcpu1 = workerCpu(tmx, workers);
            long cpu1 = processCpu();
            Statistics s1 = rvm.statistics();
            long t1 = System.nanoTime();
            phase = STOP;
            LatencyHistogram h = new LatencyHistogram();
            long done = 0;
            long retries = 0;
            long flushNanos = 0;
            long flushes = 0;
            for (Worker w : workers) {
                w.thread.join();
                if (w.failure != null) {
                    throw new IllegalStateException("worker " + w.thread.getName() + " failed: " + w.failure, w.failure);
                }
                h.add(w.latency);
                done += w.measured;
                retries += w.retries;
                flushNanos += w.flushNanos;
                flushes += w.flushes;
            }
            double commits = Math.max(1, commits(s1) - commits(s0));
            return new BenchResults.Case(pattern, style, threads, done / ((t1 - t0) / 1e9), h.percentile(0.5),
                    h.percentile(0.99), h.max(), (s1.bytesLogged() - s0.bytesLogged()) / commits,
                    (s1.forces() - s0.forces()) / commits, cpu1 < 0 ? Double.NaN : (cpu1 - cpu0) / commits,
                    (wcpu1 - wcpu0) / commits, (s1.lockWaits() - s0.lockWaits()) / commits, retries,
                    s1.truncations() - s0.truncations(), flushes == 0 ? 0 : flushNanos / (double) flushes, null);
        }
    }

    /** Creates and maps the accounts segment, every balance zero. */
    static Region createAccounts(RecoverableMemory rvm, int accounts) {
        rvm.createSegment(SEGMENT, 8L * accounts);
        return rvm.map(SEGMENT, 0, 8L * accounts);
    }

    /** Committed transactions in a snapshot, whatever their commit style. */
    static long commits(Statistics s) {
        return s.commitsFlush() + s.commitsNoFlush() + s.commitsPrepared();
    }

    /** CPU time of this process, or -1 where the platform does not say. */
    static long processCpu() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    private static long workerCpu(ThreadMXBean tmx, List<Worker> workers) {
        long sum = 0;
        for (Worker w : workers) {
            sum += Math.max(0, tmx.getThreadCpuTime(w.thread.getId()));
        }
        return sum;
    }

    static void sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }

    /**
     * The body of one debit-credit transaction: declares both accounts and moves an amount. Returns the active
     * transaction, or {@code null} if it was aborted after a lock timeout or deadlock (the caller retries).
     */
    static Transaction transfer(RecoverableMemory rvm, Region region, AccountPicker picker) {
        long a = 8L * picker.low();
        long b = 8L * picker.high();
        long amount = picker.amount();
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        try {
            t.setRange(region, a, 8);
            t.setRange(region, b, 8);
        } catch (RvmException e) {
            if (e.code() == ErrorCode.LOCK_TIMEOUT || e.code() == ErrorCode.DEADLOCK) {
                t.abort();
                return null;
            }
            throw e;
        }
        region.putLong(a, region.getLong(a) - amount);
        region.putLong(b, region.getLong(b) + amount);
        return t;
    }

    /** Commits {@code t} in {@code style}; {@code branch} is used by two-phase only. */
    static void commit(RecoverableMemory rvm, Transaction t, CommitStyle style, BranchId branch) {
        switch (style) {
            case FLUSH:
                t.commit(CommitMode.FLUSH);
                break;
            case NO_FLUSH:
                t.commit(CommitMode.NO_FLUSH);
                break;
            default:
                t.prepare(branch);
                rvm.commitPrepared(branch);
                break;
        }
    }

    /** A worker thread's loop and its own counters. */
    private final class Worker implements Runnable {
        private final RecoverableMemory rvm;
        private final Region region;
        private final CommitStyle style;
        private final AccountPicker picker;
        private final byte[] branchBytes = new byte[12];
        private final LatencyHistogram latency = new LatencyHistogram();
        private Thread thread;
        private long measured;
        /** Set once this worker has completed a transaction in the measured interval. */
        private volatile boolean measuredOne;
        private long retries;
        private long flushNanos;
        private long flushes;
        private Throwable failure;

        Worker(RecoverableMemory rvm, Region region, CommitStyle style, AccountPicker picker, int index) {
            this.rvm = rvm;
            this.region = region;
            this.style = style;
            this.picker = picker;
            ByteBuffer.wrap(branchBytes).putInt(index);
        }

        @Override
        public void run() {
            try {
                loop();
            } catch (Throwable e) {
                failure = e;
            }
        }

        private void loop() {
            long n = 0;
            ByteBuffer idBuf = ByteBuffer.wrap(branchBytes);
            int p;
            while ((p = phase) != STOP) {
                picker.next();
                BranchId branch = null;
                if (style == CommitStyle.TWO_PHASE) {
                    idBuf.putLong(4, n + retries);
                    branch = BranchId.of(branchBytes);
                }
                Transaction t = transfer(rvm, region, picker);
                if (t == null) {
                    retries++;
                    continue;
                }
                boolean timed = style != CommitStyle.NO_FLUSH || n % NO_FLUSH_SAMPLE == 0;
                long t0 = timed ? System.nanoTime() : 0;
                commit(rvm, t, style, branch);
                long t1 = timed ? System.nanoTime() : 0;
                n++;
                if (style == CommitStyle.NO_FLUSH && n % FLUSH_EVERY == 0) {
                    long f0 = System.nanoTime();
                    rvm.flush();
                    if (p == MEASURE) {
                        flushNanos += System.nanoTime() - f0;
                        flushes++;
                    }
                }
                if (p == MEASURE) {
                    if (timed) {
                        latency.record(t1 - t0);
                    }
                    if (measured++ == 0) {
                        measuredOne = true;
                    }
                }
            }
        }
    }
}
