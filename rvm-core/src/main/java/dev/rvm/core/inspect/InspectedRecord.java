package dev.rvm.core.inspect;

import dev.rvm.core.BranchId;
import java.util.List;

/**
 * One record as found in the log. Valid records carry their decoded payload; the started but invalid record that
 * may end the chain carries what its header says and {@link #crc()} tells what is wrong with it. Immutable
 * (value arrays are copies and must not be modified).
 *
 * @param lsn log sequence number (logical position)
 * @param fileOffset where the record starts in the log file
 * @param type record type code ({@code 1} COMMIT, {@code 2} PREPARE, {@code 3} COMMIT_PREPARED,
 *     {@code 4} ROLLBACK_PREPARED)
 * @param typeName printable name of the type
 * @param flags flag bits ({@code 1} coalesced group, {@code 2} prepare copied forward)
 * @param epoch epoch of the session that wrote it
 * @param length total length in the log, framing included (as the header says, for an invalid record)
 * @param transactionCount transactions a COMMIT stands for (more than one for a coalesced group); 1 otherwise
 * @param branchId branch of a PREPARE or outcome record; {@code null} for COMMIT or an invalid record
 * @param referencedPrepareLsn LSN of the PREPARE an outcome record resolves; -1 for other types
 * @param ranges redo ranges of a COMMIT or PREPARE, in log order
 * @param crc validity of the record
 * @param problem what is wrong with an invalid record; empty for a valid one
 */
public record InspectedRecord(
        long lsn,
        long fileOffset,
        int type,
        String typeName,
        int flags,
        int epoch,
        int length,
        long transactionCount,
        BranchId branchId,
        long referencedPrepareLsn,
        List<Range> ranges,
        CrcState crc,
        String problem) {

    /** Compact canonical constructor: copies the range list. */
    public InspectedRecord {
        ranges = List.copyOf(ranges);
    }

    /** Validity of a record. */
    public enum CrcState {
        /** CRC, framing and payload are right. */
        OK,
        /** The CRC32C does not match the bytes. */
        BAD_CRC,
        /** Length or reverse length is wrong. */
        BAD_FRAMING,
        /** CRC right but the payload cannot be decoded (a writer bug or deliberate damage). */
        MALFORMED
    }

    /**
     * One redo range: {@code length} bytes at {@code offset} of a segment.
     *
     * @param segmentId id in the segment table
     * @param segmentName name from the segment table, or {@code "#id"} if the table does not list the id
     * @param offset byte offset in the segment
     * @param length bytes
     * @param value the new bytes, or {@code null} unless they were asked for
     */
    public record Range(int segmentId, String segmentName, long offset, int length, byte[] value) {
    }

    /** True if the record is valid. */
    public boolean valid() {
        return crc == CrcState.OK;
    }
}
