package dev.rvm.core.internal.log;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lazily committed ({@code NO_FLUSH}) transactions waiting to be written, with the paper's inter-transaction
 * optimisation: the newest value of each byte only. The group is written as one COMMIT record, so it reaches
 * the log atomically and as a prefix of the commit order. Values are copied at commit time, so later changes to
 * memory never leak into the group. Not thread-safe (the {@link LogWriter} lock guards it).
 */
final class LazyBuffer implements LogWriter.LazyGroup {
    private final Map<Integer, ExtentMap> bySegment = new HashMap<>();
    private long transactions;
    private long bytes;
    private long replaced;

    /** Adds one range of one lazily committed transaction. */
    @Override
    public void add(int segmentId, long offset, byte[] src, int off, int len) {
        ExtentMap m = bySegment.computeIfAbsent(segmentId, k -> new ExtentMap());
        long before = m.bytes();
        replaced += m.put(offset, src, off, len);
        bytes += m.bytes() - before;
    }

    /** Counts a transaction that has been added. */
    void transactionAdded() {
        transactions++;
    }

    boolean isEmpty() {
        return transactions == 0;
    }

    /** Distinct bytes buffered. */
    long bytes() {
        return bytes;
    }

    /** Bytes that later commits overwrote before they were written, since the last {@link #encode}. */
    long replacedBytes() {
        return replaced;
    }

    /** Encodes the group as one COMMIT record into {@code rb} and empties the buffer. */
    void encode(RecordBuilder rb) {
        rb.reset(LogFormat.COMMIT, LogFormat.FLAG_GROUP).varint(transactions);
        int count = 0;
        for (ExtentMap m : bySegment.values()) {
            count += m.size();
        }
        rb.varint(count);
        for (Map.Entry<Integer, ExtentMap> s : new TreeMap<>(bySegment).entrySet()) {
            for (Map.Entry<Long, byte[]> e : s.getValue().entries()) {
                byte[] d = e.getValue();
                int at = rb.rangeSlot(s.getKey(), e.getKey(), d.length);
                System.arraycopy(d, 0, rb.buffer(), at, d.length);
            }
        }
        bySegment.clear();
        transactions = 0;
        bytes = 0;
        replaced = 0;
    }
}
