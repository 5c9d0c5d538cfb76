package dev.rvm.core.internal;

import java.util.Arrays;

/**
 * The merged ranges one transaction declared in one region: sorted, disjoint, non-adjacent intervals — the
 * paper's intra-transaction optimisation. Not thread-safe (owned by one transaction).
 */
final class DeclaredRanges {
    final RegionImpl region;
    private long[] starts = new long[2];
    private long[] ends = new long[2];
    private int n;

    DeclaredRanges(RegionImpl region) {
        this.region = region;
    }

    int size() {
        return n;
    }

    long start(int i) {
        return starts[i];
    }

    long end(int i) {
        return ends[i];
    }

    /**
     * Adds {@code [s, e)}, merging with overlapping and adjacent intervals. Calls {@code uncovered} for each
     * sub-interval that was not declared before (where old values must be saved). Returns the bytes newly covered.
     */
    long add(long s, long e, Gap uncovered) {
        if (n == 0) {
            uncovered.gap(this, s, e);
            starts[0] = s;
            ends[0] = e;
            n = 1;
            return e - s;
        }
        // first interval that ends at or after s (adjacent counts), and first that starts after e
        int lo = 0;
        while (lo < n && ends[lo] < s) {
            lo++;
        }
        int hi = lo;
        while (hi < n && starts[hi] <= e) {
            hi++;
        }
        long added = 0;
        long cursor = s;
        for (int i = lo; i < hi; i++) {
            if (starts[i] > cursor) {
                uncovered.gap(this, cursor, Math.min(starts[i], e));
                added += Math.min(starts[i], e) - cursor;
            }
            cursor = Math.max(cursor, ends[i]);
        }
        if (cursor < e) {
            uncovered.gap(this, cursor, e);
            added += e - cursor;
        }
        long ms = lo < hi ? Math.min(s, starts[lo]) : s;
        long me = lo < hi ? Math.max(e, ends[hi - 1]) : e;
        int removed = hi - lo;
        if (removed == 0) {
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, n * 2);
                ends = Arrays.copyOf(ends, n * 2);
            }
            System.arraycopy(starts, lo, starts, lo + 1, n - lo);
            System.arraycopy(ends, lo, ends, lo + 1, n - lo);
            n++;
        } else if (removed > 1) {
            System.arraycopy(starts, hi, starts, lo + 1, n - hi);
            System.arraycopy(ends, hi, ends, lo + 1, n - hi);
            n -= removed - 1;
        }
        starts[lo] = ms;
        ends[lo] = me;
        return added;
    }

    /** True if {@code [s, e)} lies inside one declared interval. */
    boolean covers(long s, long e) {
        int lo = 0;
        int hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] < e) {
                lo = mid + 1;
            } else if (starts[mid] > s) {
                hi = mid - 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Receives a newly declared sub-interval. */
    @FunctionalInterface
    interface Gap {
        void gap(DeclaredRanges ranges, long s, long e);
    }
}
