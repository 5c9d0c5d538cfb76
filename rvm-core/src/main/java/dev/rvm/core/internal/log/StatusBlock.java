package dev.rvm.core.internal.log;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The log status block: where the live log starts, the session epoch, and the segment table. Two copies are kept
 * (A at offset 0, B at 4096) and written alternately, each with a sequence number and a CRC32C, so a torn status
 * write leaves the other copy valid; readers take the valid copy with the higher sequence. Immutable.
 *
 * <pre>
 *   0 u32 magic "RVML"        4 u16 version         6 u16 reserved
 *   8 u64 store id           16 u64 status sequence 24 u64 log file size
 *  32 u64 head lsn           40 u32 epoch           44 u32 flags
 *  48 u64 last recovery time (ms since 1970)        56 u64 records replayed by it
 *  64 u16 segment count, then per segment: u16 id, u64 size, u8 name length, name (UTF-8)
 *  4092 u32 CRC32C of bytes [0, 4092)
 * </pre>
 */
public final class StatusBlock {
    private static final int SEGMENTS_AT = 64;
    private static final int CRC_AT = LogFormat.STATUS_SIZE - 4;

    /** One segment table entry. */
    public record Segment(int id, String name, long size) {
    }

    private final long storeId;
    private final long sequence;
    private final long logSize;
    private final long head;
    private final int epoch;
    private final long lastRecoveryMillis;
    private final long lastRecoveryRecords;
    private final List<Segment> segments;

    /** Creates a status block. */
    public StatusBlock(long storeId, long sequence, long logSize, long head, int epoch, long lastRecoveryMillis,
            long lastRecoveryRecords, List<Segment> segments) {
        this.storeId = storeId;
        this.sequence = sequence;
        this.logSize = logSize;
        this.head = head;
        this.epoch = epoch;
        this.lastRecoveryMillis = lastRecoveryMillis;
        this.lastRecoveryRecords = lastRecoveryRecords;
        this.segments = List.copyOf(segments);
    }

    /** Store id. */
    public long storeId() {
        return storeId;
    }

    /** Write sequence of this copy. */
    public long sequence() {
        return sequence;
    }

    /** Size of the log file. */
    public long logSize() {
        return logSize;
    }

    /** Bytes available to records. */
    public long capacity() {
        return logSize - LogFormat.RECORD_AREA;
    }

    /** LSN of the oldest record not yet applied to the segments. */
    public long head() {
        return head;
    }

    /** Epoch of the last session that opened the log. */
    public int epoch() {
        return epoch;
    }

    /** When the last recovery ran. */
    public long lastRecoveryMillis() {
        return lastRecoveryMillis;
    }

    /** Records replayed by the last recovery. */
    public long lastRecoveryRecords() {
        return lastRecoveryRecords;
    }

    /** Segment table. */
    public List<Segment> segments() {
        return segments;
    }

    /** The copy with the next sequence number and the given changes. */
    public StatusBlock next(long newHead, int newEpoch, List<Segment> newSegments) {
        return new StatusBlock(storeId, sequence + 1, logSize, newHead, newEpoch, lastRecoveryMillis,
                lastRecoveryRecords, newSegments);
    }

    /** The same with recovery facts replaced. */
    public StatusBlock withRecovery(long millis, long records) {
        return new StatusBlock(storeId, sequence, logSize, head, epoch, millis, records, segments);
    }

    /** File offset of the copy this block is written to (alternating by sequence). */
    public long fileOffset() {
        return (sequence & 1) == 0 ? 0 : LogFormat.STATUS_SIZE;
    }

    /** True if the segment table with {@code extra} added still fits. */
    public static boolean fits(List<Segment> segments) {
        int n = SEGMENTS_AT + 2;
        for (Segment s : segments) {
            n += 2 + 8 + 1 + s.name().getBytes(StandardCharsets.UTF_8).length;
        }
        return n <= CRC_AT && segments.size() <= 0xFFFF;
    }

    /** Encodes to a {@value LogFormat#STATUS_SIZE}-byte block. */
    public byte[] encode() {
        if (!fits(segments)) {
            throw new IllegalStateException("segment table does not fit in the status block");
        }
        byte[] b = new byte[LogFormat.STATUS_SIZE];
        LogFormat.putInt(b, 0, LogFormat.STATUS_MAGIC);
        b[4] = (byte) LogFormat.VERSION;
        b[5] = (byte) (LogFormat.VERSION >>> 8);
        LogFormat.putLong(b, 8, storeId);
        LogFormat.putLong(b, 16, sequence);
        LogFormat.putLong(b, 24, logSize);
        LogFormat.putLong(b, 32, head);
        LogFormat.putInt(b, 40, epoch);
        LogFormat.putLong(b, 48, lastRecoveryMillis);
        LogFormat.putLong(b, 56, lastRecoveryRecords);
        int p = SEGMENTS_AT;
        b[p++] = (byte) segments.size();
        b[p++] = (byte) (segments.size() >>> 8);
        for (Segment s : segments) {
            byte[] name = s.name().getBytes(StandardCharsets.UTF_8);
            b[p++] = (byte) s.id();
            b[p++] = (byte) (s.id() >>> 8);
            LogFormat.putLong(b, p, s.size());
            p += 8;
            b[p++] = (byte) name.length;
            System.arraycopy(name, 0, b, p, name.length);
            p += name.length;
        }
        LogFormat.putInt(b, CRC_AT, LogFormat.crc(b, 0, CRC_AT));
        return b;
    }

    /** Why a copy was rejected; {@link #OK} if it was not. */
    public enum Verdict {
        /** Valid. */
        OK,
        /** Magic number absent: not an RVM log (or never written). */
        NO_MAGIC,
        /** Written by another format version. */
        BAD_VERSION,
        /** CRC mismatch: torn or damaged. */
        BAD_CRC,
        /** CRC good but fields inconsistent. */
        BAD_FIELDS
    }

    /** Checks a copy without decoding it. */
    public static Verdict check(byte[] b) {
        if (LogFormat.getInt(b, 0) != LogFormat.STATUS_MAGIC) {
            return Verdict.NO_MAGIC;
        }
        if (LogFormat.getInt(b, CRC_AT) != LogFormat.crc(b, 0, CRC_AT)) {
            return Verdict.BAD_CRC;
        }
        int version = (b[4] & 0xFF) | (b[5] & 0xFF) << 8;
        if (version != LogFormat.VERSION) {
            return Verdict.BAD_VERSION;
        }
        try {
            decodeUnchecked(b);
        } catch (RuntimeException e) {
            return Verdict.BAD_FIELDS;
        }
        return Verdict.OK;
    }

    /** Version number in a copy that has the magic. */
    public static int version(byte[] b) {
        return (b[4] & 0xFF) | (b[5] & 0xFF) << 8;
    }

    /** Decodes a copy that {@link #check} found {@link Verdict#OK}. */
    public static StatusBlock decode(byte[] b) {
        if (check(b) != Verdict.OK) {
            throw new RvmException(ErrorCode.STATUS_CORRUPT, "invalid status block: " + check(b));
        }
        return decodeUnchecked(b);
    }

    private static StatusBlock decodeUnchecked(byte[] b) {
        long logSize = LogFormat.getLong(b, 24);
        long head = LogFormat.getLong(b, 32);
        if (logSize <= LogFormat.RECORD_AREA || head < 0) {
            throw new RvmException(ErrorCode.STATUS_CORRUPT, "status block names a log of " + logSize
                    + " bytes and head " + head);
        }
        int p = SEGMENTS_AT;
        int count = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
        p += 2;
        List<Segment> segs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int id = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
            long size = LogFormat.getLong(b, p + 2);
            int nameLen = b[p + 10] & 0xFF;
            p += 11;
            if (p + nameLen > CRC_AT) {
                throw new RvmException(ErrorCode.STATUS_CORRUPT, "status block's segment table overruns its end");
            }
            segs.add(new Segment(id, new String(b, p, nameLen, StandardCharsets.UTF_8), size));
            p += nameLen;
        }
        return new StatusBlock(LogFormat.getLong(b, 8), LogFormat.getLong(b, 16), logSize, head,
                LogFormat.getInt(b, 40), LogFormat.getLong(b, 48), LogFormat.getLong(b, 56),
                Collections.unmodifiableList(segs));
    }
}
