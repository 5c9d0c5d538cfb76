package dev.rvm.ra.spi;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.PrepareResult;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import dev.rvm.core.TransactionState;
import dev.rvm.ra.internal.Branch;
import dev.rvm.ra.internal.Messages;
import dev.rvm.ra.internal.RvmXid;
import dev.rvm.ra.internal.Store;
import dev.rvm.ra.internal.XaErrors;
import dev.rvm.ra.internal.XaErrors.Call;
import dev.rvm.ra.internal.XidCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * RVM as an XA resource manager: a translation of the XA protocol onto the core's two-phase API. {@code start}
 * begins (or joins, or resumes) the branch's RVM transaction and associates it with the calling thread, setting
 * aside for the time of the association any other transaction the thread has (a JTA {@code REQUIRES_NEW} branch
 * begun while the caller's is suspended without {@code TMSUSPEND}, or a second branch on a second connection);
 * {@code end}, from any thread, ends the association and gives the thread its set-aside transaction back;
 * {@code prepare} is {@code Transaction.prepare} (a forced PREPARE record; {@code XA_RDONLY} if nothing changed),
 * {@code commit} is {@code RecoverableMemory.commitPrepared} or, for one phase, {@code commit(FLUSH)};
 * {@code rollback} is {@code abort} or {@code rollbackPrepared}; {@code recover} lists the core's in-doubt branches.
 *
 * <p>Error codes follow the XA specification and Narayana's expectations: {@code XAER_NOTA} for an unknown Xid,
 * {@code XAER_PROTO} for a call in the wrong state, {@code XAER_DUPID}, {@code XA_RB*} for a rolled-back branch,
 * {@code XAER_RMFAIL} when the store failed (a commit's outcome is then unknown until recovery). RVM never
 * completes a branch heuristically. See {@link XaErrors} for the mapping.
 *
 * <p>One instance per managed connection. Its association state (which branch it is working on) is guarded by
 * the instance; branch state by each branch's monitor. Thread-safe.
 */
public final class RvmXAResource implements XAResource {
    private static final int START_FLAGS = TMJOIN | TMRESUME;
    private final Store store;
    /** One-phase commits use NO_FLUSH (see {@link RvmManagedConnectionFactory#getLazyOnePhaseCommit()}). */
    private final CommitMode onePhaseMode;
    private Branch active;
    /** The thread whose {@code start} made the active association. */
    private Thread activeOn;
    private final Map<BranchId, Branch> suspended = new HashMap<>();
    private boolean scanOpen;

    /** An XA resource on {@code store} whose every commit is forced before it returns. */
    public RvmXAResource(Store store) {
        this(store, false);
    }

    /**
     * An XA resource on {@code store}; if {@code lazyOnePhase}, a one-phase commit returns before its log force
     * (the adapter's background flush makes it durable shortly after). Prepare and second phases are always forced.
     */
    public RvmXAResource(Store store, boolean lazyOnePhase) {
        this.store = store;
        this.onePhaseMode = lazyOnePhase ? CommitMode.NO_FLUSH : CommitMode.FLUSH;
    }

    /** The RVM transaction of the branch this resource is actively associated with, or {@code null}. */
    public synchronized Transaction activeTransaction() {
        return active == null ? null : active.transaction();
    }

    // ---- association

    @Override
    public synchronized void start(Xid xid, int flags) throws XAException {
        BranchId id = XidCodec.encode(xid);
        String x = RvmXid.describe(xid);
        if (flags != TMNOFLAGS && flags != TMJOIN && flags != TMRESUME) {
            throw XaErrors.of(XAException.XAER_INVAL, Messages.xaFailed("start", x, "XAER_INVAL",
                    "flags " + Integer.toHexString(flags) + " are not TMNOFLAGS, TMJOIN or TMRESUME"), null);
        }
        checkOpen("start", x);
        if (active != null) {
            throw proto("start", x, "asked of a resource already associated with " + active);
        }
        if ((flags & START_FLAGS) == 0) {
            startNew(xid, id, x);
            return;
        }
        Branch b = store.branches().get(id);
        if (b == null) {
            throw store.isInDoubt(id) ? proto("start", x, "prepared") : nota("start", x);
        }
        if (flags == TMRESUME && suspended.get(id) != b) {
            throw proto("start(TMRESUME)", x, "not suspended by this resource");
        }
        synchronized (b) {
            if (b.state() == Branch.State.ROLLBACK_ONLY) {
                throw XaErrors.of(XAException.XA_RBROLLBACK, Messages.rolledBack("start", x), null);
            }
            activeOn = attach(b, "start", x);
            if (flags == TMRESUME) {
                b.resumedOne();
                suspended.remove(id);
            }
            b.state(Branch.State.ACTIVE);
        }
        active = b;
    }

    private static Thread attach(Branch b, String op, String x) throws XAException {
        try {
            return b.attach();
        } catch (RvmException e) {
            throw XaErrors.fromCore(e, Call.OTHER, op, x);
        }
    }

    private void startNew(Xid xid, BranchId id, String x) throws XAException {
        if (store.branches().containsKey(id) || store.isInDoubt(id)) {
            throw XaErrors.of(XAException.XAER_DUPID, Messages.duplicateXid(x), null);
        }
        Transaction t;
        try {
            t = store.memory().beginDetached(RestoreMode.RESTORE);
        } catch (RvmException e) {
            throw XaErrors.fromCore(e, Call.OTHER, "start", x);
        }
        Branch b = new Branch(new RvmXid(xid.getFormatId(), xid.getGlobalTransactionId(), xid.getBranchQualifier()),
                id, t);
        if (store.branches().putIfAbsent(id, b) != null) {
            t.close();
            throw XaErrors.of(XAException.XAER_DUPID, Messages.duplicateXid(x), null);
        }
        synchronized (b) {
            activeOn = attach(b, "start", x);
        }
        active = b;
    }

    @Override
    public synchronized void end(Xid xid, int flags) throws XAException {
        BranchId id = XidCodec.encode(xid);
        String x = RvmXid.describe(xid);
        if (flags != TMSUCCESS && flags != TMFAIL && flags != TMSUSPEND) {
            throw XaErrors.of(XAException.XAER_INVAL, Messages.xaFailed("end", x, "XAER_INVAL",
                    "flags " + Integer.toHexString(flags) + " are not TMSUCCESS, TMFAIL or TMSUSPEND"), null);
        }
        checkOpen("end", x);
        boolean wasActive = active != null && active.id().equals(id);
        Branch b = wasActive ? active : suspended.get(id);
        if (b == null) {
            boolean known = store.branches().containsKey(id) || (store.isOpen() && store.isInDoubt(id));
            throw known ? proto("end", x, "not associated with this resource") : nota("end", x);
        }
        if (flags == TMSUSPEND && !wasActive) {
            throw proto("end(TMSUSPEND)", x, "already suspended");
        }
        synchronized (b) {
            Thread on = wasActive ? activeOn : null;
            if (wasActive) {
                active = null;
                activeOn = null;
            } else {
                suspended.remove(id);
            }
            try {
                if (flags == TMSUSPEND) {
                    b.suspendOne(on);
                    suspended.put(id, b);
                    return;
                }
                b.endOne(on);
                if (flags == TMFAIL) {
                    failBranch(b);
                    return;
                }
            } catch (RvmException e) {
                throw XaErrors.fromCore(e, Call.OTHER, "end", x);
            }
            if (b.state() == Branch.State.ROLLBACK_ONLY) {
                throw XaErrors.of(XAException.XA_RBROLLBACK, Messages.rolledBack("end", x), null);
            }
            if (b.associations() == 0) {
                b.state(Branch.State.IDLE);
            }
        }
    }

    /** TMFAIL: the work failed; abort now so its locks go at once, and leave only rollback possible. */
    private static void failBranch(Branch b) {
        b.state(Branch.State.ROLLBACK_ONLY);
        Transaction t = b.transaction();
        if (t.state() == TransactionState.ACTIVE) {
            t.abort();
        }
    }

    // ---- completion

    @Override
    public int prepare(Xid xid) throws XAException {
        BranchId id = XidCodec.encode(xid);
        String x = RvmXid.describe(xid);
        checkOpen("prepare", x);
        Branch b = notPrepared(id, "prepare", x);
        synchronized (b) {
            checkEnded(b, "prepare", x);
            if (b.state() == Branch.State.ROLLBACK_ONLY) {
                store.branches().remove(id);
                throw XaErrors.of(XAException.XA_RBROLLBACK, Messages.rolledBack("prepare", x), null);
            }
            try {
                PrepareResult r = b.transaction().prepare(id);
                store.branches().remove(id);
                return r == PrepareResult.READ_ONLY ? XA_RDONLY : XA_OK;
            } catch (RvmException e) {
                if (e.code() != ErrorCode.DUPLICATE_BRANCH) {
                    store.branches().remove(id);
                }
                throw XaErrors.fromCore(e, Call.OTHER, "prepare", x);
            }
        }
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        BranchId id = XidCodec.encode(xid);
        String x = RvmXid.describe(xid);
        checkOpen("commit", x);
        if (!onePhase) {
            if (store.branches().containsKey(id)) {
                throw proto("commit", x, "not prepared (two-phase commit needs prepare first)");
            }
            try {
                store.memory().commitPrepared(id);
            } catch (RvmException e) {
                throw XaErrors.fromCore(e, Call.SECOND_PHASE, "commit", x);
            }
            return;
        }
        Branch b = notPrepared(id, "commit(onePhase)", x);
        synchronized (b) {
            checkEnded(b, "commit(onePhase)", x);
            store.branches().remove(id);
            if (b.state() == Branch.State.ROLLBACK_ONLY) {
                throw XaErrors.of(XAException.XA_RBROLLBACK, Messages.rolledBack("commit(onePhase)", x), null);
            }
            try {
                // Durable on return unless this connection factory chose lazy one-phase commits.
                b.transaction().commit(onePhaseMode);
            } catch (RvmException e) {
                throw XaErrors.fromCore(e, Call.ONE_PHASE_COMMIT, "commit(onePhase)", x);
            }
        }
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        BranchId id = XidCodec.encode(xid);
        String x = RvmXid.describe(xid);
        checkOpen("rollback", x);
        Branch b = store.branches().get(id);
        if (b == null) {
            try {
                store.memory().rollbackPrepared(id);
            } catch (RvmException e) {
                throw XaErrors.fromCore(e, Call.SECOND_PHASE, "rollback", x);
            }
            return;
        }
        synchronized (b) {
            checkEnded(b, "rollback", x);
            store.branches().remove(id);
            Transaction t = b.transaction();
            if (t.state() == TransactionState.ACTIVE) {
                try {
                    t.abort();
                } catch (RvmException e) {
                    throw XaErrors.fromCore(e, Call.OTHER, "rollback", x);
                }
            }
        }
    }

    /** RVM never completes a branch heuristically, so there is never anything to forget. */
    @Override
    public void forget(Xid xid) throws XAException {
        BranchId id = XidCodec.encode(xid);
        String x = RvmXid.describe(xid);
        checkOpen("forget", x);
        if (store.branches().containsKey(id) || store.isInDoubt(id)) {
            throw proto("forget", x, "not heuristically completed (RVM never decides heuristically)");
        }
        throw nota("forget", x);
    }

    @Override
    public synchronized Xid[] recover(int flag) throws XAException {
        if ((flag & ~(TMSTARTRSCAN | TMENDRSCAN)) != 0) {
            throw XaErrors.of(XAException.XAER_INVAL, Messages.xaFailed("recover", "-", "XAER_INVAL",
                    "flags " + Integer.toHexString(flag) + " are not TMSTARTRSCAN, TMENDRSCAN or TMNOFLAGS"), null);
        }
        checkOpen("recover", "-");
        boolean start = (flag & TMSTARTRSCAN) != 0;
        boolean end = (flag & TMENDRSCAN) != 0;
        if (!start && !scanOpen) {
            // The XA specification's code for a scan flag without an open scan (XAER_PROTO is for other calls).
            throw XaErrors.of(XAException.XAER_INVAL, Messages.xaFailed("recover", "-", "XAER_INVAL",
                    "not in a recovery scan (start one with TMSTARTRSCAN)"), null);
        }
        List<Xid> out = new ArrayList<>();
        if (start) {
            // The whole list at the start of the scan: later calls of the same scan have nothing more to return.
            for (BranchId id : store.inDoubt()) {
                try {
                    out.add(XidCodec.decode(id));
                } catch (IllegalArgumentException e) {
                    Messages.foreignBranch(id.toString());
                }
            }
        }
        scanOpen = !end;
        return out.toArray(new Xid[0]);
    }

    // ---- resource manager identity and timeouts

    /** True only for another RVM XA resource on the same store (same store id). */
    @Override
    public boolean isSameRM(XAResource other) throws XAException {
        checkOpen("isSameRM", "-");
        if (!(other instanceof RvmXAResource)) {
            return false;
        }
        Store o = ((RvmXAResource) other).store;
        return o == store || (o.isOpen() && store.isOpen() && o.storeId() == store.storeId());
    }

    /** RVM branches have no timeout of their own: the transaction manager's timeout applies. */
    @Override
    public int getTransactionTimeout() throws XAException {
        checkOpen("getTransactionTimeout", "-");
        return 0;
    }

    /** Not supported: returns false, as XA allows. */
    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        if (seconds < 0) {
            throw XaErrors.of(XAException.XAER_INVAL, Messages.xaFailed("setTransactionTimeout", "-", "XAER_INVAL",
                    "negative timeout " + seconds), null);
        }
        checkOpen("setTransactionTimeout", "-");
        return false;
    }

    // ---- guards

    private void checkOpen(String op, String x) throws XAException {
        if (!store.isOpen()) {
            throw XaErrors.of(XAException.XAER_RMFAIL, Messages.xaFailed(op, x, "XAER_RMFAIL",
                    Messages.storeUnavailable()), null);
        }
    }

    /** The not-yet-prepared branch {@code id}; XAER_PROTO if it is prepared, XAER_NOTA if unknown. */
    private Branch notPrepared(BranchId id, String op, String x) throws XAException {
        Branch b = store.branches().get(id);
        if (b == null) {
            throw store.isInDoubt(id) ? proto(op, x, "already prepared") : nota(op, x);
        }
        return b;
    }

    private void checkEnded(Branch b, String op, String x) throws XAException {
        if (store.branches().get(b.id()) != b) {
            throw nota(op, x); // completed by another thread meanwhile
        }
        if (b.associations() > 0) {
            throw proto(op, x, "still associated (" + b + "); call end first");
        }
    }

    private static XAException proto(String op, String x, String state) {
        return XaErrors.of(XAException.XAER_PROTO, Messages.protocol(op, x, state), null);
    }

    private static XAException nota(String op, String x) {
        return XaErrors.of(XAException.XAER_NOTA, Messages.unknownXid(op, x), null);
    }

    @Override
    public String toString() {
        return "RvmXAResource[" + store + "]";
    }
}
