package dev.rvm.tools.bench;

import java.io.PrintStream;
import java.util.Locale;

/** Prints {@link BenchResults} as a table followed by its targets. Not thread-safe. */
final class ResultTable {
    private static final double FLUSH_VS_FLOOR = 0.9;
    private static final double GROUP_COMMIT_GAIN = 2.5;
    private static final double NO_FLUSH_RATE = 2_000_000;
    private static final double MAX_BYTES_PER_TX = 96;
    private static final double RECOVERY_MB_S = 300;
    private static final double TRUNCATION_P99_RATIO = 2;

    private final BenchResults r;

    ResultTable(BenchResults r) {
        this.r = r;
    }

    static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }

    private static String us(double nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e3);
    }

    void print(PrintStream out) {
        BenchOptions o = r.options();
        out.println("RVM debit-credit benchmark");
        out.println("machine: " + r.machine());
        out.printf(Locale.ROOT, "accounts %,d; warm-up %.1f s, measured %.1f s per case; case log %d MiB%n",
                o.accounts(), o.warmupSeconds(), o.measureSeconds(), o.logSize() >> 20);
        out.printf(Locale.ROOT, "disk floor, 32-byte append + force(false), zero-filled file: %,.0f/s before "
                + "(p50 %s, p99 %s), %,.0f/s after (mean %,.0f/s); each FLUSH case is compared with a floor "
                + "measured just before it (column floor/s)%n", r.floorBefore().writesPerSecond(),
                micros(r.floorBefore().p50()), micros(r.floorBefore().p99()), r.floorAfter().writesPerSecond(),
                r.floorRate());
        out.println();
        BenchResults.Interleaved il = r.interleaved();
        if (il != null) {
            out.printf(Locale.ROOT, "interleaved on the same directory (%s each, in %d-slice turns): raw append+force "
                    + "%,.0f/s (p99 %s); FLUSH UNIFORM 1 thread %,.0f tx/s (p99 %s) = %.2f x floor; 4 threads %,.0f "
                    + "tx/s (p99 %s) = %.2f x 1 thread%n", o.measureSeconds() + " s", 8, il.floorRate(),
                    micros(il.floorP99()), il.oneThreadRate(), micros(il.oneThreadP99()),
                    il.oneThreadRate() / il.floorRate(), il.fourThreadRate(), micros(il.fourThreadP99()),
                    il.fourThreadRate() / il.oneThreadRate());
            out.printf(Locale.ROOT, "in the same turns, raw %d-byte appends by 4 threads, each group of 4 written and "
                    + "forced by its last (no engine): %,.0f/s (p99 %s, %.2f forces each) = %.2f x raw floor, what "
                    + "grouped forcing gains on this machine; FLUSH 4 threads = %.2f x it%n%n", GroupedFloor.RECORD,
                    il.groupedRate(), micros(il.groupedP99()), il.groupedForcesPerAppend(),
                    il.groupedRate() / il.floorRate(), il.fourThreadRate() / il.groupedRate());
        }
        String head = "%-9s %-10s %3s %12s %8s %7s %9s %9s %9s %6s %9s %8s %8s %8s %5s%n";
        out.printf(Locale.ROOT, head, "mode", "pattern", "thr", "tx/s", "floor/s", "x floor", "p50 us", "p99 us", "max us",
                "B/tx", "forces/tx", "cpu us", "wcpu us", "waits/tx", "trunc");
        for (BenchResults.Case c : r.cases()) {
            printCase(out, c, true);
        }
        if (!r.shmCases().isEmpty()) {
            out.printf(Locale.ROOT, "%nCPU per commit on a RAM-backed directory (%s):%n", o.shmDir());
            out.printf(Locale.ROOT, head, "mode", "pattern", "thr", "tx/s", "", "", "p50 us", "p99 us", "max us", "B/tx",
                    "forces/tx", "cpu us", "wcpu us", "waits/tx", "trunc");
            for (BenchResults.Case c : r.shmCases()) {
                printCase(out, c, false);
            }
        }
        out.println("(cpu us = process CPU per transaction, all threads; wcpu us = worker threads' CPU per "
                + "transaction; latency is of the commit call, prepare + commitPrepared for TWO_PHASE; NO_FLUSH times one "
                + "commit in " + CaseRunner.NO_FLUSH_SAMPLE + ")");
        out.println();
        if (r.recovery() != null) {
            BenchResults.Recovery rc = r.recovery();
            out.printf(Locale.ROOT, "recovery: %,.1f MB of log (%,d records) replayed in %.0f ms = %,.0f MB/s "
                    + "(whole open() %.0f ms; log file in the page cache)%n", rc.logBytes() / 1e6, rc.records(),
                    rc.nanos() / 1e6, rc.mbPerSecond(), rc.openNanos() / 1e6);
        }
        if (r.truncation() != null) {
            BenchResults.Truncation t = r.truncation();
            out.printf(Locale.ROOT, "truncation: %,.1f MB of log applied in %.0f ms = %,.0f MB/s (truncate() call "
                    + "%.0f ms)%n", t.logBytes() / 1e6, t.nanos() / 1e6, t.mbPerSecond(), t.callNanos() / 1e6);
        }
        if (r.truncationLatency() != null) {
            BenchResults.TruncationLatency tl = r.truncationLatency();
            out.printf(Locale.ROOT, "FLUSH commit, 1 thread, without truncation: %,.0f tx/s, p50 %s, p99 %s%n",
                    tl.withoutTxPerSecond(), micros(tl.withoutP50()), micros(tl.withoutP99()));
            out.printf(Locale.ROOT, "same while another thread loops on truncate(): %,.0f tx/s, p50 %s, p99 %s "
                    + "(%d truncations) -> p99 ratio %.2f (the two alternate in 4 slices each)%n", tl.withTxPerSecond(), micros(tl.withP50()),
                    micros(tl.withP99()), tl.truncations(), tl.p99Ratio());
        }
        if (r.backgroundTruncation() != null) {
            BenchResults.TruncationLatency bg = r.backgroundTruncation();
            out.printf(Locale.ROOT, "FLUSH commit, 1 thread, alternating between a store that never truncates (p50 %s, "
                    + "p99 %s, %,.0f tx/s) and a 256 KiB log truncating itself at 10%% in the background: commits "
                    + "overlapping a truncation p50 %s, p99 %s (%,.0f/s); %d truncations -> p99 ratio %.2f%n",
                    micros(bg.withoutP50()), micros(bg.withoutP99()),
                    bg.withoutTxPerSecond(), micros(bg.withP50()), micros(bg.withP99()), bg.withTxPerSecond(),
                    bg.truncations(), bg.p99Ratio());
        }
        out.println();
        printTargets(out);
    }

    private void printCase(PrintStream out, BenchResults.Case c, boolean ratio) {
        String x = ratio && c.floor() != null ? String.format(Locale.ROOT, "%.2f", c.floorRatio()) : "";
        String f = ratio && c.floor() != null ? String.format(Locale.ROOT, "%,.0f", c.floor().writesPerSecond()) : "";
        out.printf(Locale.ROOT, "%-9s %-10s %3d %,12.0f %8s %7s %9s %9s %9s %6.1f %9.4f %8s %8s %8.3f %5d%n",
                c.style(), c.pattern(), c.threads(), c.txPerSecond(), f, x, us(c.p50()), us(c.p99()), us(c.max()), c.bytesPerTx(),
                c.forcesPerTx(), us(c.cpuPerTx()), us(c.workerCpuPerTx()), c.lockWaitsPerTx(), c.truncations());
    }

    private void printTargets(PrintStream out) {
        out.println("targets:");
        BenchResults.Interleaved il = r.interleaved();
        if (il != null) {
            double x1 = il.oneThreadRate() / il.floorRate();
            target(out, "FLUSH 1 thread >= 0.9 x disk floor (interleaved, UNIFORM)", String.format(Locale.ROOT,
                    "%.2f x (%,.0f vs %,.0f/s)", x1, il.oneThreadRate(), il.floorRate()), x1 >= FLUSH_VS_FLOOR);
            double x4 = il.fourThreadRate() / il.oneThreadRate();
            target(out, "FLUSH 4 threads >= 2.5 x 1 thread (interleaved, UNIFORM)", String.format(Locale.ROOT,
                    "%.2f x (%,.0f vs %,.0f tx/s)", x4, il.fourThreadRate(), il.oneThreadRate()),
                    x4 >= GROUP_COMMIT_GAIN);
            row(out, "  raw appends grouped by 4 threads, vs raw floor (no engine)", String.format(Locale.ROOT,
                    "%.2f x (%,.0f vs %,.0f/s)", il.groupedRate() / il.floorRate(), il.groupedRate(), il.floorRate()),
                    "(what the disk allows)");
        }
        for (AccessPattern p : AccessPattern.values()) {
            BenchResults.Case f1 = r.find(p, CommitStyle.FLUSH, 1);
            if (f1 != null && f1.floor() != null) {
                double x = f1.floorRatio();
                target(out, "FLUSH 1 thread >= 0.9 x disk floor (" + p + ")", String.format(Locale.ROOT,
                        "%.2f x (%,.0f vs %,.0f/s)", x, f1.txPerSecond(), f1.floor().writesPerSecond()),
                        x >= FLUSH_VS_FLOOR);
            }
        }
        for (AccessPattern p : AccessPattern.values()) {
            BenchResults.Case f1 = r.find(p, CommitStyle.FLUSH, 1);
            BenchResults.Case f4 = r.find(p, CommitStyle.FLUSH, 4);
            if (f1 != null && f4 != null) {
                double x = f4.txPerSecond() / f1.txPerSecond();
                target(out, "FLUSH 4 threads >= 2.5 x FLUSH 1 thread (" + p + ")",
                        String.format(Locale.ROOT, "%.2f x (%,.0f vs %,.0f tx/s)", x, f4.txPerSecond(),
                                f1.txPerSecond()), x >= GROUP_COMMIT_GAIN);
            }
        }
        for (AccessPattern p : AccessPattern.values()) {
            BenchResults.Case n1 = r.find(p, CommitStyle.NO_FLUSH, 1);
            if (n1 != null) {
                // Without a RAM-backed case of this pattern the CPU time is unknown: only the forces' share is shown.
                // Two ceilings: one from the floor (and the RAM-backed CPU time), and the one the case's own flush()
                // calls set, as measured: 1,000 transactions cannot take less time than the flush that follows them.
                target(out, "NO_FLUSH 1 thread >= 2,000,000 tx/s (" + p + ", disk)",
                        String.format(Locale.ROOT, "%,.0f tx/s (%s %,.0f; flush() %s each, alone allows %,.0f)",
                                n1.txPerSecond(), ramCase(p) != null ? "bound" : "forces alone allow", noFlushBound(p),
                                micros((long) n1.flushNanos()), n1.flushOnlyRate(CaseRunner.FLUSH_EVERY)),
                        n1.txPerSecond() >= NO_FLUSH_RATE);
            }
        }
        for (BenchResults.Case c : r.shmCases()) {
            if (c.style() == CommitStyle.NO_FLUSH && c.threads() == 1) {
                target(out, "NO_FLUSH 1 thread >= 2,000,000 tx/s (" + c.pattern() + ", RAM-backed)",
                        String.format(Locale.ROOT, "%,.0f tx/s", c.txPerSecond()), c.txPerSecond() >= NO_FLUSH_RATE);
            }
        }
        for (BenchResults.Case c : r.cases()) {
            if (c.style() == CommitStyle.FLUSH && c.threads() == 1) {
                target(out, "log bytes per two-range tx <= 96 (FLUSH, " + c.pattern() + ")",
                        String.format(Locale.ROOT, "%.1f B", c.bytesPerTx()), c.bytesPerTx() <= MAX_BYTES_PER_TX);
            }
        }
        if (r.recovery() != null) {
            target(out, "recovery >= 300 MB/s", String.format(Locale.ROOT, "%,.0f MB/s", r.recovery().mbPerSecond()),
                    r.recovery().mbPerSecond() >= RECOVERY_MB_S);
        }
        if (r.truncationLatency() != null) {
            BenchResults.TruncationLatency tl = r.truncationLatency();
            target(out, "commit p99 during truncation <= 2 x without (truncate() loop)", String.format(Locale.ROOT,
                    "%.2f x (%s vs %s)", tl.p99Ratio(), micros(tl.withP99()), micros(tl.withoutP99())),
                    tl.p99Ratio() <= TRUNCATION_P99_RATIO);
            if (r.backgroundTruncation() != null) {
                BenchResults.TruncationLatency bg = r.backgroundTruncation();
                target(out, "commit p99 during truncation <= 2 x without (background)", String.format(Locale.ROOT,
                        "%.2f x (%s vs %s)", bg.p99Ratio(), micros(bg.withP99()), micros(bg.withoutP99())),
                        bg.p99Ratio() <= TRUNCATION_P99_RATIO);
            }
        }
        for (BenchResults.Case c : r.shmCases()) {
            row(out, "CPU per " + c.style() + " commit, RAM-backed, " + c.threads()
                    + " thr",
                    us(c.cpuPerTx()) + " us process / " + us(c.workerCpuPerTx()) + " us worker", "(report)");
        }
    }

    /**
     * The most a single thread can reach on this disk with a {@code flush()} every 1,000 transactions: one floor
     * force per 1,000, plus the CPU time of a transaction of the same pattern as measured on the RAM-backed
     * directory (none if that was not run). The thread cannot compute while it waits for the force, so the two add.
     */
    double noFlushBound(AccessPattern p) {
        double seconds = 1 / (CaseRunner.FLUSH_EVERY * r.floorRate());
        BenchResults.Case ram = ramCase(p);
        if (ram != null) {
            seconds += 1 / ram.txPerSecond();
        }
        return 1 / seconds;
    }

    /** The RAM-backed 1-thread NO_FLUSH case of pattern {@code p}, or null if it was not run. */
    private BenchResults.Case ramCase(AccessPattern p) {
        for (BenchResults.Case c : r.shmCases()) {
            if (c.style() == CommitStyle.NO_FLUSH && c.threads() == 1 && c.pattern() == p) {
                return c;
            }
        }
        return null;
    }

    private static void target(PrintStream out, String what, String measured, boolean met) {
        row(out, what, measured, met ? "MET" : "NOT MET");
    }

    /** One line of the targets list: what, the figure, the verdict. */
    private static void row(PrintStream out, String what, String measured, String verdict) {
        out.printf(Locale.ROOT, "  %-60s %-34s %s%n", what, measured, verdict);
    }
}
