package dev.rvm.ra.testing;

import dev.rvm.ra.internal.RvmXid;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * A second XA resource for transaction manager tests: records every call as text, can vote rollback in prepare,
 * and runs a hook in prepare (to simulate a crash at that point). Thread-safe.
 */
public final class RecordingXAResource implements XAResource {
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile boolean voteRollback;
    private volatile Runnable onPrepare;

    /** The calls so far, e.g. {@code start TMNOFLAGS}, {@code prepare}, {@code commit 2pc}. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** Makes prepare answer XA_RBROLLBACK. */
    public void voteRollback() {
        voteRollback = true;
    }

    /** Runs {@code r} at the start of prepare. */
    public void onPrepare(Runnable r) {
        onPrepare = r;
    }

    @Override
    public void start(Xid xid, int flags) {
        calls.add("start " + (flags == TMNOFLAGS ? "TMNOFLAGS" : flags == TMJOIN ? "TMJOIN" : "TMRESUME"));
    }

    @Override
    public void end(Xid xid, int flags) {
        calls.add("end " + (flags == TMSUCCESS ? "TMSUCCESS" : flags == TMFAIL ? "TMFAIL" : "TMSUSPEND"));
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        calls.add("prepare");
        Runnable r = onPrepare;
        if (r != null) {
            r.run();
        }
        if (voteRollback) {
            throw new XAException(XAException.XA_RBROLLBACK);
        }
        return XA_OK;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) {
        calls.add("commit " + (onePhase ? "1pc" : "2pc"));
    }

    @Override
    public void rollback(Xid xid) {
        calls.add("rollback");
    }

    @Override
    public void forget(Xid xid) {
        calls.add("forget");
    }

    @Override
    public Xid[] recover(int flag) {
        return new Xid[0];
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    @Override
    public int getTransactionTimeout() {
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }

    @Override
    public String toString() {
        return "RecordingXAResource" + calls + " " + RvmXid.class.getSimpleName();
    }
}
