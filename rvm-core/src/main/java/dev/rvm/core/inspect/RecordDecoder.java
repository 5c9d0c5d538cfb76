package dev.rvm.core.inspect;

import dev.rvm.core.BranchId;
import dev.rvm.core.RvmException;
import dev.rvm.core.internal.log.LogFile;
import dev.rvm.core.internal.log.LogFormat;
import dev.rvm.core.internal.log.LogRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Turns records of the log into {@link InspectedRecord}s. Stateless apart from its inputs; not thread-safe. */
final class RecordDecoder {
    private final LogFile log;
    private final int storeIdLow;
    private final Map<Integer, LogStatus.SegmentEntry> segments;

    RecordDecoder(LogFile log, int storeIdLow, Map<Integer, LogStatus.SegmentEntry> segments) {
        this.log = log;
        this.storeIdLow = storeIdLow;
        this.segments = segments;
    }

    long fileOffset(long lsn) {
        return LogFormat.RECORD_AREA + Math.floorMod(lsn, log.capacity());
    }

    /** Decodes a valid record; a payload that cannot be decoded gives a {@code MALFORMED} record. */
    InspectedRecord decode(LogRecord r, boolean withValues) {
        BranchId branch = null;
        long ref = -1;
        long txns = 1;
        List<InspectedRecord.Range> ranges = new ArrayList<>();
        try {
            byte t = r.type();
            if (t == LogFormat.PREPARE || t == LogFormat.COMMIT_PREPARED || t == LogFormat.ROLLBACK_PREPARED) {
                branch = r.branchId();
            }
            if (t == LogFormat.COMMIT_PREPARED || t == LogFormat.ROLLBACK_PREPARED) {
                ref = r.referencedPrepareLsn();
            }
            txns = r.transactionCount();
            r.forEachRange((seg, offset, data, off, len) -> ranges.add(new InspectedRecord.Range(seg, segmentName(seg),
                    offset, len, withValues ? Arrays.copyOfRange(data, off, off + len) : null)));
        } catch (RvmException e) {
            return new InspectedRecord(r.lsn(), fileOffset(r.lsn()), r.type(), LogFormat.typeName(r.type()), r.flags(),
                    r.epoch(), r.length(), txns, branch, ref, ranges, InspectedRecord.CrcState.MALFORMED, e.getMessage());
        }
        return new InspectedRecord(r.lsn(), fileOffset(r.lsn()), r.type(), LogFormat.typeName(r.type()), r.flags(),
                r.epoch(), r.length(), txns, branch, ref, ranges, InspectedRecord.CrcState.OK, "");
    }

    String segmentName(int id) {
        LogStatus.SegmentEntry s = segments.get(id);
        return s == null ? "#" + id : s.name();
    }

    /**
     * The record started at {@code lsn} where the chain ended, or {@code null} if nothing this lap of the log wrote
     * starts there (its header names another position or store, or its CRC is right but it is older).
     */
    InspectedRecord startedRecordAt(long lsn, long limit, String reason) throws IOException {
        if (lsn + LogFormat.HEADER_SIZE + LogFormat.TRAILER_SIZE > limit) {
            return null;
        }
        byte[] h = new byte[LogFormat.HEADER_SIZE];
        log.read(lsn, h, 0, h.length);
        if (LogFormat.getLong(h, LogFormat.H_LSN) != lsn || LogFormat.getInt(h, LogFormat.H_STORE) != storeIdLow) {
            return null;
        }
        int len = LogFormat.getInt(h, LogFormat.H_LENGTH);
        InspectedRecord.CrcState state;
        if (len < LogFormat.recordLength(0) || (len & (LogFormat.ALIGN - 1)) != 0 || lsn + len > limit) {
            state = InspectedRecord.CrcState.BAD_FRAMING;
        } else {
            byte[] all = new byte[len];
            log.read(lsn, all, 0, len);
            if (LogFormat.getInt(all, LogFormat.H_CRC) != LogFormat.crc(all, 8, len)) {
                state = InspectedRecord.CrcState.BAD_CRC;
            } else if (LogFormat.getInt(all, len - LogFormat.TRAILER_SIZE) != len) {
                state = InspectedRecord.CrcState.BAD_FRAMING;
            } else {
                return null; // intact but refused for its epoch: a leftover, not a started write
            }
        }
        int type = h[LogFormat.H_TYPE];
        return new InspectedRecord(lsn, fileOffset(lsn), type, LogFormat.typeName(type), h[LogFormat.H_FLAGS],
                LogFormat.getInt(h, LogFormat.H_EPOCH), len, 0, null, -1, List.of(), state, reason);
    }
}
