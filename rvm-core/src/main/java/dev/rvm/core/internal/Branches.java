package dev.rvm.core.internal;

import dev.rvm.core.BranchId;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.internal.lock.RangeLockManager;
import dev.rvm.core.internal.log.LogFormat;
import dev.rvm.core.internal.log.LogRecord;
import dev.rvm.core.internal.log.LogWriter;
import dev.rvm.core.internal.log.RecordBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The registry of prepared branches and the second phase of two-phase commit.
 *
 * <p>A branch is in doubt from its forced PREPARE record until its forced outcome mark. Branches are also indexed
 * by the LSN of their newest PREPARE record, so truncation can ask what to do with a PREPARE it is about to free:
 * copy it forward if still in doubt, apply it if committed, drop it if rolled back. The mark always names the
 * LSN of the newest copy (both happen under the branch monitor), which is how recovery pairs them.
 * Thread-safe.
 */
final class Branches {
    enum Decision { RELOGGED, APPLY, DROP }

    /** Room kept for a branch's outcome mark: header, id, prepare LSN, trailer, alignment. */
    static final int MARK_RESERVE = LogFormat.recordLength(1 + BranchId.MAX_LENGTH + 10);

    private final LogWriter writer;
    private final StoreGuard guard;
    private final Mappings mappings;
    private final RangeLockManager locks;
    /** Whether recovered branches lock their ranges (the store's range locks are on). */
    private final boolean rangeLocks;
    private final SegmentRegistry segments;
    private final Counters counters;
    private final Map<BranchId, PreparedBranch> inDoubt = new LinkedHashMap<>();
    private final Map<Long, PreparedBranch> byLsn = new HashMap<>();

    Branches(LogWriter writer, StoreGuard guard, Mappings mappings, RangeLockManager locks, boolean rangeLocks,
            SegmentRegistry segments, Counters counters) {
        this.writer = writer;
        this.guard = guard;
        this.mappings = mappings;
        this.locks = locks;
        this.rangeLocks = rangeLocks;
        this.segments = segments;
        this.counters = counters;
    }

    /** Writes and forces the PREPARE record of {@code t} and registers the branch. */
    void prepare(TransactionImpl t, BranchId id) {
        RecordBuilder rb = new RecordBuilder();
        t.encodePrepare(rb, id);
        byte[] payload = Arrays.copyOfRange(rb.buffer(), LogFormat.HEADER_SIZE, LogFormat.HEADER_SIZE + rb.payloadLength());
        PreparedBranch b = new PreparedBranch(id, t, null, payload, rb.sealedLength());
        synchronized (this) {
            if (inDoubt.putIfAbsent(id, b) != null) {
                throw new RvmException(ErrorCode.DUPLICATE_BRANCH, "branch " + id + " is already prepared and in doubt");
            }
        }
        LogWriter w = writer;
        long end;
        try {
            end = w.appendReserving(rb, b.recordLength + MARK_RESERVE);
        } catch (RuntimeException e) {
            synchronized (this) {
                inDoubt.remove(id);
            }
            throw e;
        }
        synchronized (this) {
            b.prepareLsn = end - rb.sealedLength();
            byLsn.put(b.prepareLsn, b);
            notifyAll();
        }
        t.forEachRegion(mappings::noteLogged);
        w.forceUpTo(end);
    }

    /** Registers a branch rebuilt by recovery, whose PREPARE copy is at {@code lsn}, and locks its ranges. */
    void recovered(LogRecord original, long lsn) {
        byte[] raw = original.rawBytes();
        byte[] payload = Arrays.copyOfRange(raw, LogFormat.HEADER_SIZE, raw.length - LogFormat.TRAILER_SIZE);
        PreparedBranch b = new PreparedBranch(original.branchId(), null, original, payload, raw.length);
        b.prepareLsn = lsn;
        if (rangeLocks) {
            original.forEachRange((seg, offset, data, off, len) -> locks.lock(b, seg, segments.byId(seg).name(), offset,
                    offset + len, true, 0));
        }
        synchronized (this) {
            inDoubt.put(b.id, b);
            byLsn.put(lsn, b);
        }
        writer.reserve(b.recordLength + MARK_RESERVE);
    }

    /** Second phase for a branch in doubt: writes and forces the outcome, then releases it. */
    void resolve(BranchId id, boolean commit) {
        guard.checkUsable();
        PreparedBranch b;
        synchronized (this) {
            b = inDoubt.get(id);
        }
        if (b == null) {
            throw unknown(id);
        }
        LogWriter w = writer;
        // Lazy commits made before this call go into the log ahead of the outcome, so its force makes them durable
        // too, as a FLUSH commit's force does: a durable outcome never outlives an earlier commit. Sealed before the
        // branch's monitor is taken, since sealing may wait for space that truncation frees under that monitor.
        w.sealLazy();
        synchronized (b) {
            if (b.state != PreparedBranch.State.IN_DOUBT || b.prepareLsn < 0) {
                throw unknown(id);
            }
            RecordBuilder rb = new RecordBuilder()
                    .reset(commit ? LogFormat.COMMIT_PREPARED : LogFormat.ROLLBACK_PREPARED, (byte) 0)
                    .branchId(id).varint(b.prepareLsn);
            // From the reserve, without queueing behind appenders waiting for space: truncation may need this
            // branch's monitor to free that space.
            long end = w.appendReserved(rb);
            b.state = commit ? PreparedBranch.State.COMMITTED : PreparedBranch.State.ROLLED_BACK;
            w.forceUpTo(end);
        }
        synchronized (this) {
            inDoubt.remove(id);
        }
        w.reserve(-(b.recordLength + MARK_RESERVE));
        if (b.txn != null) {
            b.txn.resolved(commit);
        } else {
            if (commit) {
                mappings.installRedo(b.recovered);
            }
            locks.releaseAll(b);
        }
        if (commit) {
            counters.commitsPrepared.increment();
        } else {
            counters.rollbacksPrepared.increment();
            counters.aborts.increment();
        }
    }

    private static RvmException unknown(BranchId id) {
        return new RvmException(ErrorCode.UNKNOWN_BRANCH, "no prepared branch " + id + " is in doubt");
    }

    /** What truncation does with the PREPARE record at {@code lsn}, which it is about to free. */
    Decision decide(long lsn) {
        PreparedBranch b = awaitRegistered(lsn);
        synchronized (b) {
            switch (b.state) {
                case IN_DOUBT:
                    RecordBuilder rb = new RecordBuilder().reset(LogFormat.PREPARE, LogFormat.FLAG_RELOGGED)
                            .bytes(b.payload, 0, b.payload.length);
                    long end = writer.appendReserved(rb);
                    synchronized (this) {
                        byLsn.remove(lsn);
                        b.prepareLsn = end - rb.sealedLength();
                        byLsn.put(b.prepareLsn, b);
                    }
                    return Decision.RELOGGED;
                case COMMITTED:
                    forget(lsn);
                    return Decision.APPLY;
                default:
                    forget(lsn);
                    return Decision.DROP;
            }
        }
    }

    private synchronized void forget(long lsn) {
        byLsn.remove(lsn);
    }

    private synchronized PreparedBranch awaitRegistered(long lsn) {
        while (true) {
            PreparedBranch b = byLsn.get(lsn);
            if (b != null) {
                return b;
            }
            guard.checkUsable();
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RvmException(ErrorCode.ILLEGAL_STATE, "interrupted while truncation waited for a prepare", e);
            }
        }
    }

    /** After truncation moved the head: forgets resolved branches whose PREPARE it freed. */
    synchronized void truncatedTo(long head) {
        Iterator<Map.Entry<Long, PreparedBranch>> it = byLsn.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, PreparedBranch> e = it.next();
            if (e.getKey() < head && e.getValue().state != PreparedBranch.State.IN_DOUBT) {
                it.remove();
            }
        }
    }

    /** Ids in doubt, in prepare order. */
    synchronized List<BranchId> inDoubt() {
        List<BranchId> ids = new ArrayList<>();
        for (PreparedBranch b : inDoubt.values()) {
            if (b.prepareLsn >= 0) {
                ids.add(b.id);
            }
        }
        return ids;
    }

    synchronized int count() {
        return inDoubt.size();
    }

    /** How long the oldest branch now in doubt has been so, in milliseconds; 0 if none is. */
    synchronized long oldestInDoubtMillis() {
        long now = System.nanoTime();
        long oldest = 0;
        for (PreparedBranch b : inDoubt.values()) {
            oldest = Math.max(oldest, now - b.sinceNanos);
        }
        return TimeUnit.NANOSECONDS.toMillis(oldest);
    }
}
