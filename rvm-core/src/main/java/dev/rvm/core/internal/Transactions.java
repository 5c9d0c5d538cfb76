package dev.rvm.core.internal;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.internal.lock.RangeLockManager;
import dev.rvm.core.internal.log.LogFormat;
import dev.rvm.core.internal.log.LogWriter;
import dev.rvm.core.internal.log.RecordBuilder;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Begins transactions and gives them what they work with: the regions, the range locks, the thread associations,
 * the log (a commit's redo record) and the branches (a prepare). A {@link TransactionImpl} holds this and nothing
 * of the store's lifecycle.
 *
 * <p>Also counts the transactions in state ACTIVE, which group commit reads to decide whether a force should wait
 * for commits that may be about to arrive. Thread-safe.
 */
final class Transactions {
    private final boolean rangeLocks;
    private final long lockTimeoutNanos;
    private final boolean coalescing;
    final StoreGuard guard;
    final ThreadAssociations threads;
    final Mappings mappings;
    final RangeLockManager locks;
    final Branches branches;
    final Counters counters;
    final LatencyListeners latency;
    private final LogWriter writer;
    private final Truncator truncator;
    private final ThreadLocal<RecordBuilder> builders = ThreadLocal.withInitial(RecordBuilder::new);
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger active = new AtomicInteger();

    /**
     * @param rangeLocks whether transactions lock the ranges they declare (two-phase commit needs it)
     * @param coalescing whether {@code NO_FLUSH} commits join the writer's lazy group rather than being sealed alone
     */
    Transactions(boolean rangeLocks, long lockTimeoutNanos, boolean coalescing, StoreGuard guard,
            ThreadAssociations threads, Mappings mappings, RangeLockManager locks, Branches branches, LogWriter writer,
            Truncator truncator, Counters counters, LatencyListeners latency) {
        this.rangeLocks = rangeLocks;
        this.lockTimeoutNanos = lockTimeoutNanos;
        this.coalescing = coalescing;
        this.guard = guard;
        this.threads = threads;
        this.mappings = mappings;
        this.locks = locks;
        this.branches = branches;
        this.writer = writer;
        this.truncator = truncator;
        this.counters = counters;
        this.latency = latency;
    }

    /** Begins a transaction associated with the calling thread, which must have none. */
    TransactionImpl begin(RestoreMode mode) {
        guard.checkUsable();
        if (mode == null) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "restore mode is null");
        }
        TransactionImpl existing = threads.current();
        if (existing != null) {
            throw new RvmException(ErrorCode.THREAD_HAS_TRANSACTION, "thread " + Thread.currentThread().getName()
                    + " already has " + existing.describe() + "; suspend it first (transactions do not nest)");
        }
        TransactionImpl t = new TransactionImpl(this, ids.incrementAndGet(), mode, false);
        active.incrementAndGet();
        threads.begun(t);
        return t;
    }

    /** Begins a transaction associated with no thread. */
    TransactionImpl beginDetached(RestoreMode mode) {
        guard.checkUsable();
        if (mode == null) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "restore mode is null");
        }
        TransactionImpl t = new TransactionImpl(this, ids.incrementAndGet(), mode, true);
        active.incrementAndGet();
        return t;
    }

    /** Transactions in state ACTIVE now. */
    int active() {
        return active.get();
    }

    /** A transaction left state ACTIVE. */
    void leftActive() {
        active.decrementAndGet();
    }

    RegionImpl own(Region region) {
        return mappings.own(region);
    }

    void lockRange(TransactionImpl t, RegionImpl r, long offset, long length, boolean exclusive) {
        if (rangeLocks) {
            long s = r.offset() + offset;
            locks.lock(t, r.lockTable, r.segment(), s, s + length, exclusive, lockTimeoutNanos);
        }
    }

    void checkTwoPhaseAllowed() {
        if (!rangeLocks) {
            throw new RvmException(ErrorCode.ILLEGAL_STATE,
                    "prepare refused: two-phase commit needs range locks, which this store has switched off");
        }
    }

    /** Writes a committing transaction's redo (called by {@link TransactionImpl#commit}). */
    void logCommit(TransactionImpl t, CommitMode mode) {
        guard.checkUsable();
        if (mode == CommitMode.NO_FLUSH && coalescing) {
            writer.appendLazy(null, t::writeRanges, t.payloadBound());
        } else {
            RecordBuilder rb = builders.get().reset(LogFormat.COMMIT, (byte) 0).varint(1);
            t.encodeRanges(rb);
            if (mode == CommitMode.FLUSH) {
                writer.forceUpTo(writer.append(rb));
            } else {
                writer.appendLazy(rb, null, rb.payloadLength());
            }
        }
        t.forEachRegion(mappings::noteLogged);
        truncator.maybeSchedule(false);
    }

    /** Forces every commit made so far: a FLUSH commit with nothing to write still makes earlier lazy ones durable. */
    void flush() {
        guard.checkUsable();
        writer.flushAll();
    }

    /** Writes and forces the PREPARE record of {@code t} and registers the branch. */
    void prepare(TransactionImpl t, BranchId branch) {
        branches.prepare(t, branch);
    }
}
