package dev.rvm.core.internal;

import java.util.Arrays;

/**
 * The merged ranges one transaction declared in one region: sorted, disjoint, non-adjacent intervals — the
 * paper's intra-transaction optimisation — and, for a transaction that may abort, the old values of the bytes as
 * they were first declared. Not thread-safe (owned by one transaction).
 *
 * <p>Kept in a few flat arrays rather than an object per range, since a typical transaction declares a couple of
 * small ranges and allocation is a large part of its cost.
 */
final class DeclaredRanges {
    /** Old values longer than this get an array of their own, so the shared buffer never copies a large one. */
    private static final int BIG_OLD_VALUE = 4096;

    /** Arrays no larger than these are kept when the object is reused; larger ones are let go with the transaction. */
    private static final int KEEP_INTERVALS = 64;
    private static final int KEEP_OLD_DATA = 4096;

    RegionImpl region;
    /** Interval i is {@code [iv[2i], iv[2i+1])}. */
    private long[] iv = new long[4];
    private int n;
    private boolean keepOld;

    /**
     * Saved old values, oldest first, if {@link #keepOld}: entry k covers {@code [old[3k], old[3k] + old[3k+1])};
     * an old value of at most 8 bytes is {@code old[3k+2]} itself (little-endian), so the usual small range needs
     * no byte array.
     */
    private long[] old;
    private int oldCount;
    /** Data of the mid-sized old values (9 to {@link #BIG_OLD_VALUE} bytes), back to back in entry order. */
    private byte[] oldData;
    private int oldDataLength;
    /** Data of the big old values, in entry order. */
    private byte[][] oldBig;
    private int oldBigCount;

    /** Ranges in {@code region}; {@code keepOld} saves the old value of every newly declared byte, for abort. */
    DeclaredRanges(RegionImpl region, boolean keepOld) {
        reset(region, keepOld);
    }

    /** Lets go of the region and big old values while this object waits for reuse, so they can be collected. */
    DeclaredRanges idle() {
        region = null;
        oldBig = null;
        return this;
    }

    /**
     * Empties this object for another transaction, keeping its arrays if they are small: a thread's transactions
     * reuse one (see {@code ThreadAssociations.Slot}), as allocating and zeroing it was a large part of a small
     * transaction's cost.
     */
    DeclaredRanges reset(RegionImpl region, boolean keepOld) {
        this.region = region;
        this.keepOld = keepOld;
        n = 0;
        if (iv.length > 2 * KEEP_INTERVALS) {
            iv = new long[4];
        }
        if (keepOld && (old == null || old.length > 3 * KEEP_INTERVALS)) {
            old = new long[6];
        }
        oldCount = 0;
        if (oldData != null && oldData.length > KEEP_OLD_DATA) {
            oldData = null;
        }
        oldDataLength = 0;
        oldBig = null;
        oldBigCount = 0;
        return this;
    }

    int size() {
        return n;
    }

    long start(int i) {
        return iv[2 * i];
    }

    long end(int i) {
        return iv[2 * i + 1];
    }

    /**
     * Adds {@code [s, e)}, merging with overlapping and adjacent intervals, and saves the old value of each
     * sub-interval that was not declared before. Returns the bytes newly covered.
     */
    long add(long s, long e) {
        if (n == 0 || s > iv[2 * n - 1]) {
            // After every interval (the first range, or ranges declared in ascending order): append.
            gap(s, e);
            if (2 * n == iv.length) {
                iv = Arrays.copyOf(iv, iv.length * 2);
            }
            iv[2 * n] = s;
            iv[2 * n + 1] = e;
            n++;
            return e - s;
        }
        // first interval that ends at or after s (adjacent counts), and first that starts after e
        int lo = 0;
        while (lo < n && end(lo) < s) {
            lo++;
        }
        int hi = lo;
        while (hi < n && start(hi) <= e) {
            hi++;
        }
        long added = 0;
        long cursor = s;
        for (int i = lo; i < hi; i++) {
            if (start(i) > cursor) {
                gap(cursor, Math.min(start(i), e));
                added += Math.min(start(i), e) - cursor;
            }
            cursor = Math.max(cursor, end(i));
        }
        if (cursor < e) {
            gap(cursor, e);
            added += e - cursor;
        }
        long ms = lo < hi ? Math.min(s, start(lo)) : s;
        long me = lo < hi ? Math.max(e, end(hi - 1)) : e;
        int removed = hi - lo;
        if (removed == 0) {
            if (2 * n == iv.length) {
                iv = Arrays.copyOf(iv, iv.length * 2);
            }
            System.arraycopy(iv, 2 * lo, iv, 2 * lo + 2, 2 * (n - lo));
            n++;
        } else if (removed > 1) {
            System.arraycopy(iv, 2 * hi, iv, 2 * lo + 2, 2 * (n - hi));
            n -= removed - 1;
        }
        iv[2 * lo] = ms;
        iv[2 * lo + 1] = me;
        return added;
    }

    /** True if {@code [s, e)} lies inside one declared interval. */
    boolean covers(long s, long e) {
        int lo = 0;
        int hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (end(mid) < e) {
                lo = mid + 1;
            } else if (start(mid) > s) {
                hi = mid - 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** A newly declared sub-interval: save its old value if this transaction can abort. */
    private void gap(long s, long e) {
        if (!keepOld) {
            return;
        }
        int len = Math.toIntExact(e - s);
        if (3 * oldCount == old.length) {
            old = Arrays.copyOf(old, old.length * 2);
        }
        int k = 3 * oldCount++;
        old[k] = s;
        old[k + 1] = len;
        if (len <= 8) {
            old[k + 2] = getSmall(s, len);
        } else if (len > BIG_OLD_VALUE) {
            byte[] b = new byte[len];
            region.memory.get(s, b, 0, len);
            if (oldBig == null) {
                oldBig = new byte[2][];
            } else if (oldBigCount == oldBig.length) {
                oldBig = Arrays.copyOf(oldBig, oldBigCount * 2);
            }
            oldBig[oldBigCount++] = b;
        } else {
            if (oldData == null) {
                oldData = new byte[Math.max(64, len)];
            } else if (oldDataLength + len > oldData.length) {
                oldData = Arrays.copyOf(oldData, Math.max(oldData.length * 2, oldDataLength + len));
            }
            region.memory.get(s, oldData, oldDataLength, len);
            oldDataLength += len;
        }
    }

    private long getSmall(long at, int len) {
        if (len == 8) {
            return region.memory.getLong(at);
        }
        long v = 0;
        for (int i = len - 1; i >= 0; i--) {
            v = v << 8 | (region.memory.getByte(at + i) & 0xFF);
        }
        return v;
    }

    private void putSmall(long at, int len, long v) {
        if (len == 8) {
            region.memory.putLong(at, v);
            return;
        }
        for (int i = 0; i < len; i++) {
            region.memory.putByte(at + i, (byte) (v >>> (8 * i)));
        }
    }

    /** Puts the saved old values back into the region, newest first. */
    void restoreOldValues() {
        int data = oldDataLength;
        int big = oldBigCount;
        for (int k = 3 * (oldCount - 1); k >= 0; k -= 3) {
            long at = old[k];
            int len = (int) old[k + 1];
            if (len <= 8) {
                putSmall(at, len, old[k + 2]);
            } else if (len > BIG_OLD_VALUE) {
                region.memory.put(at, oldBig[--big], 0, len);
            } else {
                data -= len;
                region.memory.put(at, oldData, data, len);
            }
        }
    }
}
