package dev.rvm.core.internal;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.LatencyListener;
import dev.rvm.core.PrepareResult;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import dev.rvm.core.TransactionState;
import dev.rvm.core.internal.log.LogFormat;
import dev.rvm.core.internal.log.RecordBuilder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A transaction: the state machine of {@link TransactionState}, its thread association, and its range locks; the
 * ranges it declared (with their undo copies) are kept by {@link DeclaredRegions}.
 * Used by one thread at a time (its associated thread), except that a prepared branch is resolved by whichever
 * thread calls {@code commitPrepared}/{@code rollbackPrepared}, under the branch's monitor.
 */
final class TransactionImpl extends DeclaredRegions implements Transaction {
    /*
     * state and thread are volatile for readers on other threads, but the commit path writes them with release
     * stores: a volatile store costs a full fence, and no reader relies on more than release/acquire ordering.
     */
    private static final VarHandle STATE;
    private static final VarHandle THREAD;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(TransactionImpl.class, "state", TransactionState.class);
            THREAD = l.findVarHandle(TransactionImpl.class, "thread", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Transactions transactions;
    private final long id;
    private final RestoreMode mode;
    private volatile TransactionState state;
    /** The associated thread (the one that began it, or the first to join it), or {@code null}. */
    private volatile Thread thread;
    /**
     * Further associated threads ({@link #join()} from a second thread: an XA branch worked on from several
     * threads); {@code null} almost always. Replaced, never changed in place, under this object's monitor.
     */
    private volatile Thread[] joined;
    private volatile BranchId preparedAs;

    /** A transaction associated with the calling thread, or with none if {@code detached}. */
    TransactionImpl(Transactions transactions, long id, RestoreMode mode, boolean detached) {
        this.transactions = transactions;
        this.id = id;
        this.mode = mode;
        // Plain stores: the new transaction reaches other threads only through locks (range lock tables, branches).
        STATE.set(this, TransactionState.ACTIVE);
        THREAD.set(this, detached ? null : Thread.currentThread());
    }

    @Override
    public String describe() {
        Thread t = thread;
        BranchId b = preparedAs;
        return "transaction " + id + (t != null ? " (thread " + t.getName() + (isSetAside() ? ", set aside" : "")
                + ")" : "") + (b != null ? " prepared as branch " + b : "");
    }

    /** Every state change goes through here, so the count of active transactions stays exact. */
    private void setState(TransactionState next) {
        if (state == TransactionState.ACTIVE && next != TransactionState.ACTIVE) {
            transactions.leftActive();
        }
        STATE.setRelease(this, next);
    }

    boolean isAssociatedWith(Thread t) {
        return (thread == t || joinedBy(t)) && state == TransactionState.ACTIVE;
    }

    private boolean joinedBy(Thread t) {
        Thread[] j = joined;
        if (j != null) {
            for (Thread x : j) {
                if (x == t) {
                    return true;
                }
            }
        }
        return false;
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
        transactions.guard.checkUsable();
        if (state != TransactionState.ACTIVE) {
            throw notActive(op);
        }
    }

    /** The refusal of an operation on a transaction that is no longer active (apart, to keep the checks small). */
    private RvmException notActive(String op) {
        TransactionState s = state;
        return new RvmException(codeFor(s), op + " refused: " + describe() + " is " + s);
    }

    /** The code that names the state a call was refused in. */
    private static ErrorCode codeFor(TransactionState s) {
        switch (s) {
            case COMMITTED:
                return ErrorCode.TRANSACTION_COMMITTED;
            case ABORTED:
                return ErrorCode.TRANSACTION_ABORTED;
            case PREPARED:
                return ErrorCode.TRANSACTION_PREPARED;
            case FAILED:
                return ErrorCode.TRANSACTION_FAILED;
            default:
                return ErrorCode.ILLEGAL_STATE; // ACTIVE again by the time the message is built: a racing caller
        }
    }

    @Override
    public void setRange(Region region, long offset, long length) {
        checkActive("setRange");
        RegionImpl r = transactions.own(region);
        r.checkBounds(offset, length);
        if (length == 0) {
            return;
        }
        transactions.lockRange(this, r, offset, length, true);
        DeclaredRanges d = declaredIn(r, true);
        long added = d.add(offset, offset + length);
        if (added != length) {
            transactions.counters.bytesSavedIntra.add(length - added);
        }
    }

    @Override
    public void lockShared(Region region, long offset, long length) {
        checkActive("lockShared");
        RegionImpl r = transactions.own(region);
        r.checkBounds(offset, length);
        if (length > 0) {
            transactions.lockRange(this, r, offset, length, false);
        }
    }

    private DeclaredRanges declaredIn(RegionImpl r, boolean create) {
        DeclaredRanges d = rangesIn(r);
        if (d != null || !create) {
            return d;
        }
        d = transactions.threads.declaredRanges(r, mode == RestoreMode.RESTORE);
        addRegion(d);
        r.users.incrementAndGet();
        return d;
    }

    /** Called by a region put on the associated thread. */
    void checkWrite(RegionImpl r, long at, long len) {
        if (state != TransactionState.ACTIVE) {
            throw notActive("write");
        }
        DeclaredRanges d = declaredIn(r, false);
        if (d == null || !d.covers(at, at + len)) {
            throw notDeclared(r, at, len);
        }
    }

    private RvmException notDeclared(RegionImpl r, long at, long len) {
        return new RvmException(ErrorCode.RANGE_NOT_DECLARED, "write of [" + at + ", " + (at + len) + ") in region '"
                + r.segment() + "'@" + r.offset() + " is outside every range " + describe()
                + " declared: call setRange first");
    }

    @Override
    public void commit(CommitMode mode) {
        checkActive("commit");
        if (mode == null) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "commit mode is null");
        }
        long t0 = transactions.latency.start();
        try {
            if (hasRegions()) {
                transactions.logCommit(this, mode);
            } else if (mode == CommitMode.FLUSH) {
                // end_transaction(flush) forces the log even with nothing to write: earlier lazy commits are durable.
                transactions.flush();
            }
        } catch (RvmException e) {
            throw failedToLog("commit", e);
        }
        finish(TransactionState.COMMITTED);
        count(mode);
        transactions.latency.completed(mode == CommitMode.FLUSH ? LatencyListener.Operation.COMMIT_FLUSH
                : LatencyListener.Operation.COMMIT_NO_FLUSH, t0);
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
            transactions.counters.aborts.increment();
            return new RvmException(e.code(), op + " of " + describe() + " failed and it was rolled back: "
                    + e.getMessage(), e);
        }
        return new RvmException(e.code(), op + " of " + describe() + " failed; it is NO_RESTORE, so it stays active"
                + " and its changes stay in memory: retry the commit. Cause: " + e.getMessage(), e);
    }

    private void count(CommitMode mode) {
        (mode == CommitMode.FLUSH ? transactions.counters.commitsFlush : transactions.counters.commitsNoFlush).increment();
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
        transactions.counters.aborts.increment();
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
        transactions.checkTwoPhaseAllowed();
        if (!hasRegions()) {
            finish(TransactionState.COMMITTED);
            transactions.counters.readOnlyPrepares.increment();
            return PrepareResult.READ_ONLY;
        }
        long t0 = transactions.latency.start();
        try {
            transactions.prepare(this, branch);
        } catch (RvmException e) {
            if (e.code() == ErrorCode.DUPLICATE_BRANCH) {
                throw e;
            }
            throw failedToLog("prepare", e);
        }
        preparedAs = branch;
        setState(TransactionState.PREPARED);
        detach();
        transactions.counters.prepares.increment();
        transactions.latency.completed(LatencyListener.Operation.PREPARE, t0);
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
        DeclaredRanges reusable = firstRegion();
        setState(end);
        release();
        detach(reusable);
    }

    private void release() {
        transactions.locks.releaseAll(this);
        releaseRegions();
    }

    private void detach() {
        detach(null);
    }

    /**
     * Leaves every thread (the transaction ended or was prepared); the calling thread's slot is updated now, other
     * threads drop it when they next look. {@code reusable}, if not null, is left to the calling thread's next
     * transaction.
     */
    private void detach(DeclaredRanges reusable) {
        Thread me = Thread.currentThread();
        if (thread == me || joinedBy(me)) {
            transactions.threads.left(this, reusable);
        }
        THREAD.setRelease(this, null);
        if (joined != null) {
            joined = null;
        }
    }

    @Override
    public void suspend() {
        Thread me = Thread.currentThread();
        if (!isAssociatedWith(me) || transactions.threads.current() != this) {
            throw new RvmException(ErrorCode.NOT_ASSOCIATED, "suspend refused: " + describe()
                    + " is not associated with the calling thread");
        }
        leave(me);
    }

    @Override
    public void resume() {
        if (state != TransactionState.ACTIVE) {
            throw notActive("resume");
        }
        Thread t = thread;
        if (t != null || joined != null) {
            throw new RvmException(ErrorCode.ASSOCIATED_ELSEWHERE, "resume refused: " + describe()
                    + " is associated with " + (t != null ? t.getName() : "other threads"));
        }
        Transaction other = transactions.threads.current();
        if (other != null) {
            throw new RvmException(ErrorCode.THREAD_HAS_TRANSACTION,
                    "resume refused: the calling thread already has transaction " + other.id());
        }
        join();
    }

    @Override
    public void join() {
        Thread me = Thread.currentThread();
        synchronized (this) {
            if (state != TransactionState.ACTIVE) {
                throw notActive("join");
            }
            if (thread == null) {
                thread = me;
            } else if (thread != me && !joinedBy(me)) {
                Thread[] j = joined;
                Thread[] more = j == null ? new Thread[1] : Arrays.copyOf(j, j.length + 1);
                more[more.length - 1] = me;
                joined = more;
            }
        }
        transactions.threads.joined(this);
    }

    @Override
    public void leave(Thread t) {
        if (t == null) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "thread is null");
        }
        synchronized (this) {
            Thread[] j = joined;
            if (thread == t) {
                thread = j == null ? null : j[0];
                joined = j == null || j.length == 1 ? null : Arrays.copyOfRange(j, 1, j.length);
            } else if (joinedBy(t)) {
                Thread[] rest = new Thread[j.length - 1];
                int k = 0;
                for (Thread x : j) {
                    if (x != t) {
                        rest[k++] = x;
                    }
                }
                joined = rest.length == 0 ? null : rest;
            } else {
                return;
            }
        }
        if (t == Thread.currentThread()) {
            transactions.threads.left(this, null);
        }
    }

    @Override
    public void close() {
        if (state != TransactionState.ACTIVE) {
            return;
        }
        if (!transactions.guard.isOpen()) {
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
