package dev.rvm.core.internal.log;

import java.util.Arrays;

/**
 * Lazily committed ({@code NO_FLUSH}) transactions waiting to be written, with the paper's inter-transaction
 * optimisation: when the group is written, bytes that a later commit overwrote are written once, with their latest
 * value, and overlapping or adjacent ranges become one range.
 *
 * <p>Commit only appends (values are copied at commit time, so later changes to memory never leak into the group);
 * the coalescing work happens once per group, when it is encoded, by sorting the ranges. The group is written as
 * one COMMIT record, so it reaches the log atomically and as a prefix of the commit order. Not thread-safe (the
 * {@link LogWriter} lock guards it).
 */
final class LazyBuffer implements RangeSink {
    /** Groups at least this large are sorted by radix; smaller ones by comparison. */
    private static final int RADIX_MIN = 128;
    private static final int RADIX_BITS = 11;

    private byte[] data = new byte[16 * 1024];
    private int dataLength;
    private int[] segs = new int[256];
    private long[] offsets = new long[256];
    private int[] lengths = new int[256];
    private int[] dataAt = new int[256];
    private int count;
    private long transactions;
    /** Entries and data bytes of the counted transactions; anything beyond belongs to one being added. */
    private int countedEntries;
    private int countedData;
    private long replaced;
    /** Scratch of {@link #encode}, kept between groups: sort order, component ends, radix sort keys. */
    private int[] order = new int[0];
    private int[] componentEnd = new int[0];
    private long[] keys = new long[0];
    private long[] keysTmp = new long[0];
    private int[] radixCounts = new int[0];

    @Override
    public int slot(int segmentId, long offset, int len) {
        if (count == segs.length) {
            int n = count * 2;
            segs = Arrays.copyOf(segs, n);
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
            dataAt = Arrays.copyOf(dataAt, n);
        }
        if (dataLength + len > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, dataLength + len));
        }
        int at = dataLength;
        segs[count] = segmentId;
        offsets[count] = offset;
        lengths[count] = len;
        dataAt[count] = at;
        dataLength += len;
        count++;
        return at;
    }

    @Override
    public byte[] buffer() {
        return data;
    }

    /** Counts a transaction whose ranges have been added. */
    void transactionAdded() {
        transactions++;
        countedEntries = count;
        countedData = dataLength;
    }

    /**
     * Drops the ranges added since the last counted transaction: one that failed half-way through adding its ranges
     * must not reach the log in part.
     */
    void dropUncounted() {
        count = countedEntries;
        dataLength = countedData;
    }

    boolean isEmpty() {
        return transactions == 0;
    }

    /** Bytes buffered (before coalescing). */
    long bytes() {
        return dataLength;
    }

    /**
     * An upper bound of the group's encoded payload: each range's data plus its three varints (at most 10 bytes each),
     * the same bound {@code DeclaredRegions.payloadBound} gives for one transaction.
     */
    long payloadBound() {
        return dataLength + 30L * count;
    }

    /** Bytes that later commits overwrote, found by the last {@link #encode}. */
    long replacedBytes() {
        return replaced;
    }

    /** Coalesces the group into one COMMIT record in {@code rb} and empties the buffer. */
    void encode(RecordBuilder rb) {
        if (order.length < count) {
            order = new int[count];
            componentEnd = new int[count];
        }
        int[] order = this.order;
        int[] componentEnd = this.componentEnd;
        sortBySegmentAndOffset(order);
        // Components: maximal runs of overlapping or adjacent ranges in one segment; each becomes one range.
        int components = 0;
        for (int i = 0; i < count;) {
            int j = i + 1;
            long end = offsets[order[i]] + lengths[order[i]];
            while (j < count && segs[order[j]] == segs[order[i]] && offsets[order[j]] <= end) {
                end = Math.max(end, offsets[order[j]] + lengths[order[j]]);
                j++;
            }
            componentEnd[components++] = j;
            i = j;
        }
        rb.reset(LogFormat.COMMIT, LogFormat.FLAG_GROUP).varint(transactions).varint(components);
        long written = 0;
        int from = 0;
        for (int c = 0; c < components; c++) {
            int to = componentEnd[c];
            int first = order[from];
            if (to - from == 1) {
                int at = rb.slot(segs[first], offsets[first], lengths[first]);
                System.arraycopy(data, dataAt[first], rb.buffer(), at, lengths[first]);
                written += lengths[first];
            } else {
                long start = offsets[first];
                long end = start;
                for (int k = from; k < to; k++) {
                    end = Math.max(end, offsets[order[k]] + lengths[order[k]]);
                }
                int len = Math.toIntExact(end - start);
                int at = rb.slot(segs[first], start, len);
                byte[] buf = rb.buffer();
                int[] apply = order;
                int applyFrom = from;
                int applyTo = to;
                if (overlapping(order, from, to)) {
                    // Apply in commit order so the latest value of each byte wins.
                    apply = Arrays.copyOfRange(order, from, to);
                    Arrays.sort(apply);
                    applyFrom = 0;
                    applyTo = apply.length;
                }
                for (int k = applyFrom; k < applyTo; k++) {
                    int e = apply[k];
                    System.arraycopy(data, dataAt[e], buf, at + (int) (offsets[e] - start), lengths[e]);
                }
                written += len;
            }
            from = to;
        }
        replaced = dataLength - written;
        count = 0;
        dataLength = 0;
        transactions = 0;
        countedEntries = 0;
        countedData = 0;
    }

    /**
     * True if some entries of the sorted run {@code order[from, to)} overlap (rather than only touch), so their
     * order of application matters.
     */
    private boolean overlapping(int[] order, int from, int to) {
        long end = offsets[order[from]] + lengths[order[from]];
        for (int k = from + 1; k < to; k++) {
            int e = order[k];
            if (offsets[e] < end) {
                return true;
            }
            end = Math.max(end, offsets[e] + lengths[e]);
        }
        return false;
    }

    /** Orders entries {@code [0, count)} of {@code order} by segment, then offset; equal starts keep commit order. */
    private void sortBySegmentAndOffset(int[] order) {
        if (count >= RADIX_MIN && radixSort(order)) {
            return;
        }
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        boolean packable = count < (1 << 20);
        for (int i = 1; i < count && packable; i++) {
            packable = segs[i] == segs[0];
        }
        for (int i = 0; i < count && packable; i++) {
            packable = offsets[i] >= 0 && offsets[i] < (1L << 43);
        }
        if (packable) {
            // One segment, small offsets: pack (offset, commit index) into a long and use the primitive sort.
            long[] keys = keys(count);
            for (int i = 0; i < count; i++) {
                keys[i] = offsets[i] << 20 | i;
            }
            Arrays.sort(keys, 0, count);
            for (int i = 0; i < count; i++) {
                order[i] = (int) (keys[i] & ((1 << 20) - 1));
            }
            return;
        }
        mergeSort(order, new int[count], 0, count);
    }

    private long[] keys(int n) {
        if (keys.length < n) {
            keys = new long[n];
            keysTmp = new long[n];
        }
        return keys;
    }

    /**
     * Stable LSD radix sort on the offsets relative to the smallest, for a large group in one segment whose offsets
     * span at most {@code 3 * RADIX_BITS} bits — the usual case, and several times cheaper than a comparison sort
     * on random offsets. Returns false, leaving {@code order} alone, if the group does not qualify.
     */
    private boolean radixSort(int[] order) {
        if (count >= (1 << 20)) {
            return false;
        }
        int seg = segs[0];
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            if (segs[i] != seg) {
                return false;
            }
            min = Math.min(min, offsets[i]);
            max = Math.max(max, offsets[i]);
        }
        int bits = 64 - Long.numberOfLeadingZeros(max - min);
        if (bits > 3 * RADIX_BITS) {
            return false;
        }
        long[] src = keys(count);
        long[] dst = keysTmp;
        for (int i = 0; i < count; i++) {
            src[i] = (offsets[i] - min) << 20 | i; // the entry's index rides along in the low 20 bits
        }
        int passes = (bits + RADIX_BITS - 1) / RADIX_BITS;
        int digit = passes == 0 ? 0 : (bits + passes - 1) / passes;
        if (radixCounts.length < 1 << digit) {
            radixCounts = new int[1 << RADIX_BITS];
        }
        int[] at = radixCounts;
        int mask = (1 << digit) - 1;
        for (int p = 0; p < passes; p++) {
            int shift = 20 + p * digit;
            Arrays.fill(at, 0, mask + 1, 0);
            for (int i = 0; i < count; i++) {
                at[(int) (src[i] >>> shift) & mask]++;
            }
            for (int b = 0, sum = 0; b <= mask; b++) {
                int c = at[b];
                at[b] = sum;
                sum += c;
            }
            for (int i = 0; i < count; i++) {
                long k = src[i];
                dst[at[(int) (k >>> shift) & mask]++] = k;
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        for (int i = 0; i < count; i++) {
            order[i] = (int) (src[i] & ((1 << 20) - 1));
        }
        return true;
    }

    private boolean before(int a, int b) {
        return segs[a] != segs[b] ? segs[a] < segs[b] : offsets[a] < offsets[b];
    }

    /** Stable merge sort of {@code a[from, to)} by (segment, offset), without boxing. */
    private void mergeSort(int[] a, int[] tmp, int from, int to) {
        if (to - from < 16) {
            for (int i = from + 1; i < to; i++) {
                int x = a[i];
                int j = i - 1;
                while (j >= from && before(x, a[j])) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = x;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, tmp, from, mid);
        mergeSort(a, tmp, mid, to);
        if (!before(a[mid], a[mid - 1])) {
            return; // already in order: the common case for sequential access
        }
        System.arraycopy(a, from, tmp, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && !before(tmp[j], tmp[i]))) {
                a[k] = tmp[i++];
            } else {
                a[k] = tmp[j++];
            }
        }
    }
}
