package dev.rvm.core.inspect;

import java.util.List;

/**
 * What the status block says about a log, with the facts a scan adds (tail, record count, how the log ends).
 * Immutable.
 *
 * @param storeId random id of the store
 * @param statusSequence write sequence of the status copy in use
 * @param statusCopies verdict on each status copy, A then B ({@code OK}, {@code BAD_CRC}, ...)
 * @param logSize size of the log file in bytes
 * @param capacity bytes of the circular record area
 * @param head LSN of the oldest record not yet applied to the segments
 * @param tail LSN just after the last valid record
 * @param recordCount valid records in {@code [head, tail)}
 * @param epoch epoch of the last session that opened the log
 * @param lastRecoveryMillis when the last recovery ran (ms since 1970), 0 if never
 * @param lastRecoveryRecords records replayed by the last recovery
 * @param segments the segment table
 * @param end how the chain of records ends
 * @param endDetail why the chain ends there (a record's position and fault), empty for a clean end
 * @param inDoubt branches prepared and without an outcome in the log
 */
public record LogStatus(
        long storeId,
        long statusSequence,
        List<String> statusCopies,
        long logSize,
        long capacity,
        long head,
        long tail,
        long recordCount,
        int epoch,
        long lastRecoveryMillis,
        long lastRecoveryRecords,
        List<SegmentEntry> segments,
        LogEnd end,
        String endDetail,
        int inDoubt) {

    /** One entry of the segment table. */
    public record SegmentEntry(int id, String name, long size) {
    }

    /** Compact canonical constructor: copies the lists. */
    public LogStatus {
        statusCopies = List.copyOf(statusCopies);
        segments = List.copyOf(segments);
    }

    /** Bytes holding records not yet truncated. */
    public long used() {
        return tail - head;
    }

    /** Fraction of the record area in use, 0..1. */
    public double use() {
        return capacity == 0 ? 0 : (double) used() / capacity;
    }

    /** True if both status copies are valid, the log ends cleanly and nothing is in doubt. */
    public boolean clean() {
        return end == LogEnd.CLEAN && inDoubt == 0 && statusCopies.stream().allMatch("OK"::equals);
    }
}
