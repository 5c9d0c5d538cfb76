package dev.rvm.core.internal;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.PrepareResult;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import dev.rvm.core.TransactionState;
import dev.rvm.core.internal.lock.LockOwner;
import dev.rvm.core.internal.log.LogFormat;
import dev.rvm.core.internal.log.RecordBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * A transaction: declared ranges, undo copies, range locks, and the state machine of {@link TransactionState}.
 * Used by one thread at a time (its associated thread), except that a prepared branch is resolved by whichever
 * thread calls {@code commitPrepared}/{@code rollbackPrepared}, under the branch's monitor.
 */
final class TransactionImpl extends LockOwner implements Transaction, DeclaredRanges.Gap {
    private final Engine engine;
    private final long id;
    private final RestoreMode mode;
    private volatile TransactionState state = TransactionState.ACTIVE;
    private final List<DeclaredRanges> declared = new ArrayList<>(2);
    /** Old values saved by setRange for abort, in the order they were saved (RESTORE only). */
    private RegionImpl[] undoRegions;
    private long[] undoOffsets;
    private byte[][] undoValues;
    private int undoCount;
    private volatile Thread thread;
    private volatile BranchId preparedAs;

    TransactionImpl(Engine engine, long id, RestoreMode mode) {
        this.engine = engine;
        this.id = id;
        this.mode = mode;
        this.thread = Thread.currentThread();
    }

    @Override
    public String describe() {
        Thread t = thread;
        BranchId b = preparedAs;
        return "transaction " + id + (t != null ? " (thread " + t.getName() + ")" : "")
                + (b != null ? " prepared as branch " + b : "");
    }

    /** Every state change goes through here, so the engine's count of active transactions stays exact. */
    private void setState(TransactionState next) {
        if (state == TransactionState.ACTIVE && next != TransactionState.ACTIVE) {
            engine.transactionLeftActive();
        }
        state = next;
    }

    boolean isAssociatedWith(Thread t) {
        return thread == t && state == TransactionState.ACTIVE;
    }

    @Override
    public RestoreMode restoreMode() {
        return mode;
    }

    @Override
    public TransactionState state() {
        return state;
    }

    @Override
    public long id() {
        return id;
    }

    private void checkActive(String op) {
        engine.checkUsable();
        if (state != TransactionState.ACTIVE) {
            throw new RvmException(ErrorCode.ILLEGAL_STATE, op + " refused: " + describe() + " is " + state);
        }
    }

    @Override
    public void setRange(Region region, long offset, long length) {
        checkActive("setRange");
        RegionImpl r = engine.own(region);
        r.checkBounds(offset, length);
        if (length == 0) {
            return;
        }
        engine.lockRange(this, r, offset, length, true);
        DeclaredRanges d = declaredIn(r, true);
        long added = d.add(offset, offset + length, this);
        engine.counters().bytesSavedIntra.add(length - added);
    }

    @Override
    public void lockShared(Region region, long offset, long length) {
        checkActive("lockShared");
        RegionImpl r = engine.own(region);
        r.checkBounds(offset, length);
        if (length > 0) {
            engine.lockRange(this, r, offset, length, false);
        }
    }

    /** A newly declared part of a range: save its old value if this transaction can abort. */
    @Override
    public void gap(DeclaredRanges ranges, long s, long e) {
        if (mode == RestoreMode.RESTORE) {
            saveOldValue(ranges.region, s, Math.toIntExact(e - s));
        }
    }

    private void saveOldValue(RegionImpl r, long at, int len) {
        if (undoRegions == null) {
            undoRegions = new RegionImpl[2];
            undoOffsets = new long[2];
            undoValues = new byte[2][];
        } else if (undoCount == undoRegions.length) {
            int n = undoCount * 2;
            undoRegions = java.util.Arrays.copyOf(undoRegions, n);
            undoOffsets = java.util.Arrays.copyOf(undoOffsets, n);
            undoValues = java.util.Arrays.copyOf(undoValues, n);
        }
        byte[] old = new byte[len];
        r.memory.get(at, old, 0, len);
        undoRegions[undoCount] = r;
        undoOffsets[undoCount] = at;
        undoValues[undoCount] = old;
        undoCount++;
    }

    private DeclaredRanges declaredIn(RegionImpl r, boolean create) {
        for (int i = 0; i < declared.size(); i++) {
            if (declared.get(i).region == r) {
                return declared.get(i);
            }
        }
        if (!create) {
            return null;
        }
        DeclaredRanges d = new DeclaredRanges(r);
        declared.add(d);
        r.users.incrementAndGet();
        return d;
    }

    /** Called by a region put on the associated thread. */
    void checkWrite(RegionImpl r, long at, long len) {
        if (state != TransactionState.ACTIVE) {
            throw new RvmException(ErrorCode.ILLEGAL_STATE, "write refused: " + describe() + " is " + state);
        }
        DeclaredRanges d = declaredIn(r, false);
        if (d == null || !d.covers(at, at + len)) {
            throw new RvmException(ErrorCode.RANGE_NOT_DECLARED, "write of [" + at + ", " + (at + len) + ") in region '"
                    + r.segment() + "'@" + r.offset() + " is outside every range " + describe()
                    + " declared: call setRange first");
        }
    }

    @Override
    public void commit(CommitMode mode) {
        checkActive("commit");
        if (mode == null) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "commit mode is null");
        }
        if (declared.isEmpty()) {
            finish(TransactionState.COMMITTED);
            count(mode);
            return;
        }
        try {
            engine.logCommit(this, mode);
        } catch (RvmException e) {
            throw failedToLog("commit", e);
        }
        finish(TransactionState.COMMITTED);
        count(mode);
    }

    /**
     * A commit or prepare whose record did not reach the log. If the store stopped (I/O failure), the outcome is
     * unknown until recovery: FAILED. Otherwise nothing was logged (log full, record too large): a RESTORE
     * transaction is rolled back so memory matches the log; a NO_RESTORE one cannot be, so it stays active for the
     * caller to retry the commit.
     */
    private RvmException failedToLog(String op, RvmException e) {
        boolean storeStopped = e.code() == ErrorCode.STORE_FAILED || e.code() == ErrorCode.STORE_CLOSED
                || e.code() == ErrorCode.IO_ERROR;
        if (storeStopped) {
            setState(TransactionState.FAILED);
            release();
            detach();
            return e;
        }
        if (mode == RestoreMode.RESTORE) {
            restoreOldValues();
            finish(TransactionState.ABORTED);
            engine.counters().aborts.increment();
            return new RvmException(e.code(), op + " of " + describe() + " failed and it was rolled back: "
                    + e.getMessage(), e);
        }
        return new RvmException(e.code(), op + " of " + describe() + " failed; it is NO_RESTORE, so it stays active"
                + " and its changes stay in memory: retry the commit. Cause: " + e.getMessage(), e);
    }

    private void count(CommitMode mode) {
        (mode == CommitMode.FLUSH ? engine.counters().commitsFlush : engine.counters().commitsNoFlush).increment();
    }

    /** Number of ranges, and encodes them with their current values into {@code rb} after its header fields. */
    int rangeCount() {
        int c = 0;
        for (DeclaredRanges d : declared) {
            c += d.size();
        }
        return c;
    }

    void encodeRanges(RecordBuilder rb) {
        rb.varint(rangeCount());
        for (DeclaredRanges d : declared) {
            RegionImpl r = d.region;
            for (int i = 0; i < d.size(); i++) {
                long s = d.start(i);
                int len = lengthOf(d.end(i) - s);
                int at = rb.rangeSlot(r.segmentId, r.offset() + s, len);
                r.memory.get(s, rb.buffer(), at, len);
            }
        }
    }

    /** An upper bound of the bytes this transaction's ranges take in a record payload. */
    long payloadBound() {
        long b = 0;
        for (DeclaredRanges d : declared) {
            for (int i = 0; i < d.size(); i++) {
                b += d.end(i) - d.start(i) + 3 * 10;
            }
        }
        return b;
    }

    /** Visits the ranges with their current values (for the lazy group). */
    void visitRanges(dev.rvm.core.internal.log.LazyGroup group, byte[][] scratch) {
        for (DeclaredRanges d : declared) {
            RegionImpl r = d.region;
            for (int i = 0; i < d.size(); i++) {
                long s = d.start(i);
                int len = lengthOf(d.end(i) - s);
                if (scratch[0].length < len) {
                    scratch[0] = new byte[len];
                }
                r.memory.get(s, scratch[0], 0, len);
                group.add(r.segmentId, r.offset() + s, scratch[0], 0, len);
            }
        }
    }

    /** Regions touched, for the engine's map-consistency bookkeeping. */
    void forEachRegion(java.util.function.Consumer<RegionImpl> c) {
        for (int i = 0; i < declared.size(); i++) {
            c.accept(declared.get(i).region);
        }
    }

    private static int lengthOf(long len) {
        if (len > Integer.MAX_VALUE - 1024) {
            throw new RvmException(ErrorCode.RECORD_TOO_LARGE, "a declared range of " + len + " bytes cannot be logged");
        }
        return (int) len;
    }

    @Override
    public void abort() {
        if (mode == RestoreMode.NO_RESTORE) {
            throw new RvmException(ErrorCode.ABORT_NOT_ALLOWED, describe()
                    + " was begun NO_RESTORE, which promises never to abort; its old values were not kept");
        }
        checkActive("abort");
        restoreOldValues();
        finish(TransactionState.ABORTED);
        engine.counters().aborts.increment();
    }

    /** Puts the saved old values back, newest first. */
    void restoreOldValues() {
        for (int i = undoCount - 1; i >= 0; i--) {
            undoRegions[i].memory.put(undoOffsets[i], undoValues[i], 0, undoValues[i].length);
        }
    }

    @Override
    public PrepareResult prepare(BranchId branch) {
        checkActive("prepare");
        if (branch == null) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "branch id is null");
        }
        if (mode != RestoreMode.RESTORE) {
            throw new RvmException(ErrorCode.ILLEGAL_STATE, "prepare refused: " + describe()
                    + " is NO_RESTORE, so it could not roll back after preparing");
        }
        engine.checkTwoPhaseAllowed();
        if (declared.isEmpty()) {
            finish(TransactionState.COMMITTED);
            engine.counters().readOnlyPrepares.increment();
            return PrepareResult.READ_ONLY;
        }
        try {
            engine.branches().prepare(this, branch);
        } catch (RvmException e) {
            if (e.code() == ErrorCode.DUPLICATE_BRANCH) {
                throw e;
            }
            throw failedToLog("prepare", e);
        }
        preparedAs = branch;
        setState(TransactionState.PREPARED);
        detach();
        engine.counters().prepares.increment();
        return PrepareResult.PREPARED;
    }

    /** Encodes this transaction's PREPARE record. */
    void encodePrepare(RecordBuilder rb, BranchId branch) {
        rb.reset(LogFormat.PREPARE, (byte) 0).branchId(branch);
        encodeRanges(rb);
    }

    /** Ends a prepared branch with the given outcome (called by {@link Branches} under the branch monitor). */
    void resolved(boolean committed) {
        if (!committed) {
            restoreOldValues();
        }
        setState(committed ? TransactionState.COMMITTED : TransactionState.ABORTED);
        release();
    }

    private void finish(TransactionState end) {
        setState(end);
        release();
        detach();
    }

    private void release() {
        engine.locks().releaseAll(this);
        for (DeclaredRanges d : declared) {
            d.region.users.decrementAndGet();
        }
        declared.clear();
    }

    private void detach() {
        if (thread == Thread.currentThread()) {
            engine.associate(null, this);
        }
        thread = null;
    }

    @Override
    public void suspend() {
        if (thread != Thread.currentThread() || engine.currentTransaction() != this) {
            throw new RvmException(ErrorCode.ILLEGAL_STATE, "suspend refused: " + describe()
                    + " is not associated with the calling thread");
        }
        engine.associate(null, this);
        thread = null;
    }

    @Override
    public void resume() {
        if (state != TransactionState.ACTIVE) {
            throw new RvmException(ErrorCode.ILLEGAL_STATE, "resume refused: " + describe() + " is " + state);
        }
        if (thread != null) {
            throw new RvmException(ErrorCode.ILLEGAL_STATE, "resume refused: " + describe() + " is associated with "
                    + thread.getName());
        }
        Transaction other = engine.currentTransaction();
        if (other != null) {
            throw new RvmException(ErrorCode.ILLEGAL_STATE, "resume refused: the calling thread already has transaction "
                    + other.id());
        }
        thread = Thread.currentThread();
        engine.associate(this, null);
    }

    @Override
    public void close() {
        if (state != TransactionState.ACTIVE) {
            return;
        }
        if (!engine.isOpen()) {
            setState(TransactionState.ABORTED);
            detach();
            return;
        }
        if (mode == RestoreMode.RESTORE) {
            abort();
        } else {
            commit(CommitMode.FLUSH);
        }
    }

    @Override
    public String toString() {
        return "Transaction[" + id + ", " + mode + ", " + state + "]";
    }
}
