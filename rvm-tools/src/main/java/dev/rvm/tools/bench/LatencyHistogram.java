package dev.rvm.tools.bench;

/**
 * A log-linear histogram of latencies in nanoseconds: exact below 64 ns, then 32 buckets per power of two
 * (about 3 % resolution), so recording is a few instructions and costs no allocation.
 *
 * <p>Not thread-safe: each worker thread records into its own and the results are {@link #add merged}.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 5;
    private static final int SUBS = 1 << SUB_BITS;
    private static final int LINEAR = 2 * SUBS;
    private static final int SIZE = LINEAR + (63 - (SUB_BITS + 1)) * SUBS;

    private final long[] counts = new long[SIZE];
    private long total;
    private long max;

    /** Records one value (negative values count as 0). */
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        total++;
        if (v > max) {
            max = v;
        }
    }

    /** Adds every value of {@code other} to this one. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < SIZE; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    /** Values recorded. */
    public long count() {
        return total;
    }

    /** Largest value recorded. */
    public long max() {
        return max;
    }

    /** The value at quantile {@code q} in [0, 1] (upper edge of its bucket), or 0 when empty. */
    public long percentile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < SIZE; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperEdge(i), max);
            }
        }
        return max;
    }

    private static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v);
        int shift = e - SUB_BITS;
        return LINEAR + (e - (SUB_BITS + 1)) * SUBS + (int) ((v >>> shift) & (SUBS - 1));
    }

    private static long upperEdge(int i) {
        if (i < LINEAR) {
            return i;
        }
        int k = i - LINEAR;
        int e = k / SUBS + SUB_BITS + 1;
        int sub = k % SUBS;
        int shift = e - SUB_BITS;
        return ((long) (SUBS + sub + 1) << shift) - 1;
    }
}
