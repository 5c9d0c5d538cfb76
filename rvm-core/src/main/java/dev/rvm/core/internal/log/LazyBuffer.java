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
final class LazyBuffer implements LazyGroup {
    private byte[] data = new byte[16 * 1024];
    private int dataLength;
    private int[] segs = new int[256];
    private long[] offsets = new long[256];
    private int[] lengths = new int[256];
    private int[] dataAt = new int[256];
    private int count;
    private long transactions;
    private long replaced;

    @Override
    public void add(int segmentId, long offset, byte[] src, int off, int len) {
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
        System.arraycopy(src, off, data, dataLength, len);
        segs[count] = segmentId;
        offsets[count] = offset;
        lengths[count] = len;
        dataAt[count] = dataLength;
        dataLength += len;
        count++;
    }

    /** Counts a transaction whose ranges have been added. */
    void transactionAdded() {
        transactions++;
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
     * the same bound {@code TransactionImpl.payloadBound} gives for one transaction.
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
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        sortBySegmentAndOffset(order);
        // Components: maximal runs of overlapping or adjacent ranges in one segment; each becomes one range.
        int[] componentEnd = new int[count];
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
                int at = rb.rangeSlot(segs[first], offsets[first], lengths[first]);
                System.arraycopy(data, dataAt[first], rb.buffer(), at, lengths[first]);
                written += lengths[first];
            } else {
                long start = offsets[first];
                long end = start;
                for (int k = from; k < to; k++) {
                    end = Math.max(end, offsets[order[k]] + lengths[order[k]]);
                }
                int len = Math.toIntExact(end - start);
                int at = rb.rangeSlot(segs[first], start, len);
                byte[] buf = rb.buffer();
                // Apply in commit order so the latest value of each byte wins.
                int[] byCommit = Arrays.copyOfRange(order, from, to);
                Arrays.sort(byCommit);
                for (int e : byCommit) {
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
    }

    /** Orders entries by segment, then offset; equal starts keep commit order. */
    private void sortBySegmentAndOffset(int[] order) {
        boolean packable = count < (1 << 20);
        for (int i = 1; i < count && packable; i++) {
            packable = segs[i] == segs[0];
        }
        for (int i = 0; i < count && packable; i++) {
            packable = offsets[i] >= 0 && offsets[i] < (1L << 43);
        }
        if (packable) {
            // One segment, small offsets: pack (offset, commit index) into a long and use the primitive sort.
            long[] keys = new long[count];
            for (int i = 0; i < count; i++) {
                keys[i] = offsets[i] << 20 | i;
            }
            Arrays.sort(keys);
            for (int i = 0; i < count; i++) {
                order[i] = (int) (keys[i] & ((1 << 20) - 1));
            }
            return;
        }
        mergeSort(order, new int[count], 0, count);
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
