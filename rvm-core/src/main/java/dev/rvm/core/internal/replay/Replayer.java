package dev.rvm.core.internal.replay;

import dev.rvm.core.BranchId;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.internal.log.LogFormat;
import dev.rvm.core.internal.log.LogRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays records in log order onto a {@link PageApplier} — the one procedure shared by recovery and truncation.
 *
 * <p>COMMIT records apply at once. A PREPARE is held until its outcome: COMMIT_PREPARED applies it at the mark's
 * position, ROLLBACK_PREPARED drops it. An outcome whose PREPARE lies before the replay's start was already
 * handled by an earlier truncation and is skipped. PREPAREs without an outcome remain {@link #unresolved()}.
 * Not thread-safe.
 */
public final class Replayer {
    private final PageApplier applier;
    private final long start;
    private final Map<BranchId, LogRecord> prepared = new LinkedHashMap<>();
    private long records;
    private long bytes;
    /** Created once: a capturing lambda per record would cost an allocation per record. */
    private final LogRecord.RangeVisitor applyVisitor;

    /** Replays records from LSN {@code start} onto {@code applier}. */
    public Replayer(PageApplier applier, long start) {
        this.applier = applier;
        this.start = start;
        this.applyVisitor = (seg, offset, data, off, len) -> {
            try {
                applier.apply(seg, offset, data, off, len);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** Replays one record (it may be a view: anything kept is copied). */
    public void accept(LogRecord r) throws IOException {
        records++;
        bytes += r.length();
        switch (r.type()) {
            case LogFormat.COMMIT:
                applyRanges(r);
                break;
            case LogFormat.PREPARE:
                BranchId id = r.branchId();
                prepared.remove(id); // a copy replaces the original; keep prepare order by re-inserting
                prepared.put(id, r.copy());
                break;
            case LogFormat.COMMIT_PREPARED:
            case LogFormat.ROLLBACK_PREPARED:
                outcome(r);
                break;
            default:
                throw new RvmException(ErrorCode.LOG_CORRUPT, "record at lsn " + r.lsn() + " has unknown type " + r.type());
        }
    }

    private void outcome(LogRecord r) throws IOException {
        BranchId id = r.branchId();
        long ref = r.referencedPrepareLsn();
        LogRecord p = prepared.get(id);
        if (p != null && p.lsn() == ref) {
            prepared.remove(id);
            if (r.type() == LogFormat.COMMIT_PREPARED) {
                applyRanges(p);
            }
            return;
        }
        if (p == null && ref < start) {
            return; // resolved and handled by an earlier truncation
        }
        throw new RvmException(ErrorCode.LOG_CORRUPT, LogFormat.typeName(r.type()) + " at lsn " + r.lsn()
                + " for branch " + id + " refers to a prepare at lsn " + ref + " that the log does not hold"
                + (p == null ? "" : " (latest prepare of that branch is at lsn " + p.lsn() + ")"));
    }

    /** Applies the ranges of a COMMIT or PREPARE record now. */
    public void applyRanges(LogRecord r) throws IOException {
        try {
            r.forEachRange(applyVisitor);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** PREPARE records without an outcome, in prepare order. */
    public List<LogRecord> unresolved() {
        return new ArrayList<>(prepared.values());
    }

    /** Records replayed. */
    public long records() {
        return records;
    }

    /** Log bytes replayed. */
    public long bytes() {
        return bytes;
    }
}
