package dev.rvm.tools.bench;

import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Transaction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The noise-proof form of the two {@code FLUSH} targets: raw append+force, {@code FLUSH} commits on 1 thread and
 * on 4 threads, and raw appends grouped by 4 threads ({@link GroupedFloor}) take turns in short slices on the same
 * directory, so a drift in the disk's speed (common on shared and virtual machines) weighs on all four alike. Not
 * thread-safe; one measurement at a time.
 */
final class InterleavedFlush {
    private static final int ROUNDS = 8;
    private static final int GROUP_THREADS = 4;

    private final BenchOptions options;

    InterleavedFlush(BenchOptions options) {
        this.options = options;
    }

    /** Runs {@value #ROUNDS} rounds of four slices each; the slices of one kind add up to the measured time. */
    BenchResults.Interleaved run(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path raw = dir.resolve("floor-interleaved.dat");
        long slice = (long) (options.measureSeconds() * 1e9 / ROUNDS);
        RvmOptions ro = RvmOptions.builder(dir.resolve("store")).logSize(options.logSize()).build();
        try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE); RecoverableMemory rvm = RecoverableMemory.open(ro)) {
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            long fileSize = 64L << 20;
            for (long at = 0; at < fileSize; at += zeros.capacity()) {
                zeros.clear();
                while (zeros.hasRemaining()) {
                    ch.write(zeros, at + zeros.position());
                }
            }
            ch.force(true);
            Region region = CaseRunner.createAccounts(rvm, options.accounts());
            List<AccountPicker> pickers = new ArrayList<>();
            for (int i = 0; i < GROUP_THREADS; i++) {
                pickers.add(new AccountPicker(AccessPattern.UNIFORM, options.accounts(), i, GROUP_THREADS,
                        options.seed()));
            }
            long warm = (long) (options.warmupSeconds() * 1e9);
            commits(rvm, region, pickers.subList(0, 1), warm, new LatencyHistogram());
            commits(rvm, region, pickers, warm, new LatencyHistogram());
            long[] pos = {0};
            GroupedFloor.run(ch, fileSize, pos, GROUP_THREADS, warm, new LatencyHistogram());
            LatencyHistogram hf = new LatencyHistogram();
            LatencyHistogram h1 = new LatencyHistogram();
            LatencyHistogram h4 = new LatencyHistogram();
            LatencyHistogram hg = new LatencyHistogram();
            long ng = 0;
            long fg = 0;
            long tg = 0;
            long nf = 0;
            long n1 = 0;
            long n4 = 0;
            long tf = 0;
            long t1 = 0;
            long t4 = 0;
            for (int r = 0; r < ROUNDS; r++) {
                long t = System.nanoTime();
                nf += appends(ch, pos, fileSize, slice, hf);
                tf += System.nanoTime() - t;
                t = System.nanoTime();
                n1 += commits(rvm, region, pickers.subList(0, 1), slice, h1);
                t1 += System.nanoTime() - t;
                t = System.nanoTime();
                n4 += commits(rvm, region, pickers, slice, h4);
                t4 += System.nanoTime() - t;
                t = System.nanoTime();
                GroupedFloor.Result g = GroupedFloor.run(ch, fileSize, pos, GROUP_THREADS, slice, hg);
                tg += System.nanoTime() - t;
                ng += g.appends();
                fg += g.forces();
            }
            return new BenchResults.Interleaved(nf / (tf / 1e9), hf.percentile(0.99), n1 / (t1 / 1e9),
                    h1.percentile(0.99), n4 / (t4 / 1e9), h4.percentile(0.99), ng / (tg / 1e9), hg.percentile(0.99),
                    fg / (double) Math.max(1, ng));
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    private static long appends(FileChannel ch, long[] pos, long fileSize, long nanos, LatencyHistogram h)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        long n = 0;
        long end = System.nanoTime() + nanos;
        long now;
        do {
            buf.clear();
            buf.putLong(0, n);
            long t0 = System.nanoTime();
            while (buf.hasRemaining()) {
                ch.write(buf, pos[0] + buf.position());
            }
            ch.force(false);
            now = System.nanoTime();
            h.record(now - t0);
            n++;
            pos[0] = pos[0] + 64 > fileSize ? 0 : pos[0] + 32;
        } while (now < end);
        return n;
    }

    /** {@code FLUSH} debit-credit commits on one thread per picker for {@code nanos}; returns the count. */
    private static long commits(RecoverableMemory rvm, Region region, List<AccountPicker> pickers, long nanos,
            LatencyHistogram h) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        long[] counts = new long[pickers.size()];
        LatencyHistogram[] hs = new LatencyHistogram[pickers.size()];
        Throwable[] failures = new Throwable[pickers.size()];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < pickers.size(); i++) {
            int k = i;
            hs[k] = new LatencyHistogram();
            threads.add(new Thread(() -> {
                try {
                    AccountPicker p = pickers.get(k);
                    while (System.nanoTime() < end) {
                        p.next();
                        Transaction t = CaseRunner.transfer(rvm, region, p);
                        if (t == null) {
                            continue;
                        }
                        long t0 = System.nanoTime();
                        CaseRunner.commit(rvm, t, CommitStyle.FLUSH, null);
                        hs[k].record(System.nanoTime() - t0);
                        counts[k]++;
                    }
                } catch (Throwable e) {
                    failures[k] = e;
                }
            }, "bench-interleaved-" + k));
        }
        for (Thread t : threads) {
            t.start();
        }
        long sum = 0;
        for (int i = 0; i < threads.size(); i++) {
            threads.get(i).join();
            if (failures[i] != null) {
                throw new IllegalStateException("FLUSH worker failed: " + failures[i], failures[i]);
            }
            h.add(hs[i]);
            sum += counts[i];
        }
        return sum;
    }
}
