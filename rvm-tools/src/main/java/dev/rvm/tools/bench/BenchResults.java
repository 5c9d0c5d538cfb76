package dev.rvm.tools.bench;

import java.util.List;

/**
 * Everything one benchmark run measured. Immutable. Times are nanoseconds, rates per second, sizes bytes.
 *
 * @param machine a one-line description of the machine, JVM and file system
 * @param options what was run
 * @param floorBefore raw append+force on a zero-filled file, before the cases
 * @param floorAfter the same, after the cases
 * @param interleaved raw append+force and FLUSH commits on 1 and 4 threads taking turns, or {@code null}
 * @param cases the debit-credit cases on {@code options.dir()}
 * @param shmCases {@code FLUSH} cases on the RAM-backed directory, for CPU per commit (empty if skipped)
 * @param recovery recovery speed, or {@code null} if skipped
 * @param truncation truncation speed, or {@code null} if skipped
 * @param truncationLatency commit latency with and without a {@code truncate()} loop (a stress case), or {@code null}
 * @param backgroundTruncation commit latency of commits that overlapped a background truncation started by the
 *        threshold, against those that did not, or {@code null} if skipped
 */
public record BenchResults(String machine, BenchOptions options, Floor floorBefore, Floor floorAfter,
        Interleaved interleaved, List<Case> cases, List<Case> shmCases, Recovery recovery, Truncation truncation,
        TruncationLatency truncationLatency, TruncationLatency backgroundTruncation) {

    /** Copies the lists. */
    public BenchResults {
        cases = List.copyOf(cases);
        shmCases = List.copyOf(shmCases);
    }

    /** The disk floor used for ratios: the mean of the zero-filled measurements before and after the cases. */
    public double floorRate() {
        return (floorBefore.writesPerSecond() + floorAfter.writesPerSecond()) / 2;
    }

    /** The case with these parameters on the disk, or {@code null}. */
    public Case find(AccessPattern p, CommitStyle s, int threads) {
        for (Case c : cases) {
            if (c.pattern() == p && c.style() == s && c.threads() == threads) {
                return c;
            }
        }
        return null;
    }

    /**
     * Raw append+force (1 thread, and grouped on 4 threads) and uniform {@code FLUSH} debit-credit on 1 and 4 threads,
     * alternating in short slices on the same directory: the figures the two {@code FLUSH} targets are judged on.
     *
     * @param floorRate raw appends (each forced) per second
     * @param floorP99 99th percentile of one raw write+force
     * @param oneThreadRate FLUSH transactions per second, 1 thread
     * @param oneThreadP99 99th percentile commit latency, 1 thread
     * @param fourThreadRate FLUSH transactions per second, 4 threads
     * @param fourThreadP99 99th percentile commit latency, 4 threads
     * @param groupedRate raw grouped appends per second, 4 threads ({@link GroupedFloor}): what grouped forcing
     *        allows on this machine
     * @param groupedP99 99th percentile of one grouped append
     * @param groupedForcesPerAppend forces per grouped append
     */
    public record Interleaved(double floorRate, long floorP99, double oneThreadRate, long oneThreadP99,
            double fourThreadRate, long fourThreadP99, double groupedRate, long groupedP99,
            double groupedForcesPerAppend) {
    }

    /**
     * Raw append+force of 32-byte records.
     *
     * @param writesPerSecond appends (each forced) per second
     * @param p50 median time of one write+force
     * @param p99 99th percentile of one write+force
     */
    public record Floor(double writesPerSecond, long p50, long p99) {
    }

    /**
     * One debit-credit case.
     *
     * @param pattern account choice
     * @param style commit style
     * @param threads worker threads
     * @param txPerSecond transactions completed per second
     * @param p50 median commit latency (commit call; prepare + commitPrepared for two-phase)
     * @param p99 99th percentile commit latency
     * @param max largest commit latency
     * @param bytesPerTx log bytes per committed transaction
     * @param forcesPerTx log forces per committed transaction
     * @param cpuPerTx process CPU time per transaction (all threads: workers, JIT, GC, truncation)
     * @param workerCpuPerTx CPU time of the worker threads per transaction
     * @param lockWaitsPerTx range lock waits per transaction
     * @param retries transactions aborted and retried after a lock timeout or deadlock
     * @param truncations truncations completed during the measured interval
     * @param flushNanos mean time of one {@code flush()} call of a {@code NO_FLUSH} case (0 otherwise)
     * @param floor raw append+force measured just before this case, or {@code null}
     */
    public record Case(AccessPattern pattern, CommitStyle style, int threads, double txPerSecond, long p50, long p99,
            long max, double bytesPerTx, double forcesPerTx, double cpuPerTx, double workerCpuPerTx,
            double lockWaitsPerTx, long retries, long truncations, double flushNanos, Floor floor) {

        /** This case with the floor measured next to it. */
        public Case withFloor(Floor f) {
            return new Case(pattern, style, threads, txPerSecond, p50, p99, max, bytesPerTx, forcesPerTx, cpuPerTx,
                    workerCpuPerTx, lockWaitsPerTx, retries, truncations, flushNanos, f);
        }

        /**
         * For a 1-thread {@code NO_FLUSH} case, the most its {@code flush()} calls alone let it reach: one call per
         * {@code flushEvery} transactions, each as long as measured, with the transactions themselves taking no time.
         */
        public double flushOnlyRate(int flushEvery) {
            return flushNanos <= 0 ? Double.NaN : flushEvery / (flushNanos / 1e9);
        }

        /** Rate over the floor measured next to this case, or NaN without one. */
        public double floorRatio() {
            return floor == null ? Double.NaN : txPerSecond / floor.writesPerSecond();
        }
    }

    /**
     * Recovery of a full log.
     *
     * @param logBytes log bytes replayed (Statistics.lastRecoveryBytes)
     * @param records records replayed
     * @param nanos recovery time measured by the engine (Statistics.lastRecoveryNanos)
     * @param openNanos wall time of the whole {@code open}
     */
    public record Recovery(long logBytes, long records, long nanos, long openNanos) {
        /** MB (10^6 bytes) replayed per second. */
        public double mbPerSecond() {
            return nanos == 0 ? 0 : logBytes / 1e6 / (nanos / 1e9);
        }
    }

    /**
     * One {@code truncate()} of a full log.
     *
     * @param logBytes log bytes in use before the truncation
     * @param nanos duration measured by the engine (Statistics.lastTruncationNanos)
     * @param callNanos wall time of the {@code truncate()} call
     */
    public record Truncation(long logBytes, long nanos, long callNanos) {
        /** MB (10^6 bytes) of log applied per second. */
        public double mbPerSecond() {
            return nanos == 0 ? 0 : logBytes / 1e6 / (nanos / 1e9);
        }
    }

    /**
     * One thread committing {@code FLUSH}, first alone, then while another thread calls {@code truncate()} in a loop.
     *
     * @param withoutP50 median commit latency without truncation
     * @param withoutP99 99th percentile without truncation
     * @param withoutTxPerSecond rate without truncation
     * @param withP50 median commit latency during truncations
     * @param withP99 99th percentile during truncations
     * @param withTxPerSecond rate during truncations
     * @param truncations truncations completed during the second interval
     */
    public record TruncationLatency(long withoutP50, long withoutP99, double withoutTxPerSecond, long withP50,
            long withP99, double withTxPerSecond, long truncations) {
        /** p99 with truncation over p99 without. */
        public double p99Ratio() {
            return withoutP99 == 0 ? 0 : (double) withP99 / withoutP99;
        }
    }
}
