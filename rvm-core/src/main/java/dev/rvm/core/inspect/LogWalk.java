package dev.rvm.core.inspect;

import dev.rvm.core.BranchId;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.internal.log.LogFile;
import dev.rvm.core.internal.log.LogFormat;
import dev.rvm.core.internal.log.LogRecord;
import dev.rvm.core.internal.log.LogScanner;
import dev.rvm.core.internal.log.StatusBlock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;

/**
 * One pass over the log from head to the end of the chain, judging every record as recovery would and collecting
 * what status, in-doubt listing and verification need. Not thread-safe; used once.
 */
final class LogWalk {
    final List<VerifyReport.Problem> problems = new ArrayList<>();
    final Map<BranchId, InDoubtBranch> inDoubt = new LinkedHashMap<>();
    long records;
    long bytes;
    long tail;
    LogEnd end = LogEnd.CLEAN;
    String endDetail = "";

    private final String logName;

    private LogWalk(String logName) {
        this.logName = logName;
    }

    static LogWalk run(LogFile log, StatusBlock st, RecordDecoder decoder, Map<Integer, LogStatus.SegmentEntry> segs,
            String logName, DoubleConsumer progress) throws IOException {
        LogWalk w = new LogWalk(logName);
        long head = st.head();
        long limit = head + log.capacity();
        LogScanner scanner = new LogScanner(log, (int) st.storeId(), head, limit, 0);
        LogRecord r;
        long reported = head;
        while ((r = scanner.next()) != null) {
            w.records++;
            w.bytes += r.length();
            w.check(decoder.decode(r, false), segs, head);
            if (r.end() - reported >= log.capacity() / 100) {
                reported = r.end();
                progress.accept((double) (r.end() - head) / log.capacity());
            }
        }
        w.tail = scanner.position();
        InspectedRecord started = decoder.startedRecordAt(w.tail, limit, scanner.endReason());
        try {
            scanner.checkNoDurableRecordAfterEnd();
            if (started != null) {
                w.end = LogEnd.TORN_TAIL;
                w.endDetail = "torn record at lsn " + w.tail + " (" + scanner.endReason() + ")";
                w.problems.add(new VerifyReport.Problem(VerifyReport.Kind.TORN_TAIL, w.tail, decoder.fileOffset(w.tail),
                        logName, "the log ends in a torn " + started.typeName() + " record (" + scanner.endReason()
                                + "), an unfinished write that recovery will discard"));
            }
        } catch (RvmException e) {
            if (e.code() != ErrorCode.LOG_CORRUPT) {
                throw e;
            }
            w.end = LogEnd.DAMAGED;
            w.endDetail = "invalid record at lsn " + w.tail + " (" + scanner.endReason() + ") followed by durable records";
            w.problems.add(new VerifyReport.Problem(VerifyReport.Kind.LOG_DAMAGED, w.tail, decoder.fileOffset(w.tail),
                    logName, e.getMessage()));
        }
        progress.accept(1.0);
        return w;
    }

    private void check(InspectedRecord rec, Map<Integer, LogStatus.SegmentEntry> segs, long head) {
        if (rec.crc() == InspectedRecord.CrcState.MALFORMED) {
            problem(VerifyReport.Kind.RECORD_MALFORMED, rec, rec.problem());
            return;
        }
        for (InspectedRecord.Range g : rec.ranges()) {
            LogStatus.SegmentEntry s = segs.get(g.segmentId());
            if (s == null) {
                problem(VerifyReport.Kind.BAD_RANGE, rec, rec.typeName() + " record at lsn " + rec.lsn()
                        + " refers to segment id " + g.segmentId() + ", which the segment table does not list");
                return;
            }
            if (g.offset() < 0 || g.offset() > s.size() - g.length()) {
                problem(VerifyReport.Kind.BAD_RANGE, rec, rec.typeName() + " record at lsn " + rec.lsn() + " has range ["
                        + g.offset() + ", " + (g.offset() + g.length()) + ") past the end of segment '" + s.name()
                        + "' (" + s.size() + " bytes)");
                return;
            }
        }
        switch (rec.type()) {
            case LogFormat.PREPARE:
                inDoubt.remove(rec.branchId()); // a copy replaces the original, moving it to the end
                inDoubt.put(rec.branchId(), new InDoubtBranch(rec.branchId(), rec.lsn(), rec.epoch(),
                        rec.ranges().size(), rec.ranges().stream().mapToLong(InspectedRecord.Range::length).sum()));
                break;
            case LogFormat.COMMIT_PREPARED:
            case LogFormat.ROLLBACK_PREPARED:
                InDoubtBranch p = inDoubt.get(rec.branchId());
                if (p != null && p.prepareLsn() == rec.referencedPrepareLsn()) {
                    inDoubt.remove(rec.branchId());
                } else if (p != null || rec.referencedPrepareLsn() >= head) {
                    problem(VerifyReport.Kind.ORPHAN_OUTCOME, rec, rec.typeName() + " at lsn " + rec.lsn()
                            + " for branch " + rec.branchId() + " refers to a prepare at lsn "
                            + rec.referencedPrepareLsn() + " that the log does not hold");
                }
                break;
            case LogFormat.COMMIT:
                break;
            default:
                problem(VerifyReport.Kind.RECORD_MALFORMED, rec, "record at lsn " + rec.lsn() + " has unknown type "
                        + rec.type());
        }
    }

    private void problem(VerifyReport.Kind kind, InspectedRecord rec, String message) {
        problems.add(new VerifyReport.Problem(kind, rec.lsn(), rec.fileOffset(), logName, message));
    }
}
