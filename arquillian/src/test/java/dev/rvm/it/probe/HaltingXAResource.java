package dev.rvm.it.probe;

import java.util.logging.Logger;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * An XA resource that votes yes in prepare and halts the JVM in commit, like the {@code TestXAResource} of the
 * WildFly test suite. Enlisted first, it is committed first: when it halts, every other resource of the transaction
 * has prepared and none has committed, and the transaction manager's log already says commit. It has nothing to
 * recover ({@link #recover} is empty), so after the restart the transaction manager warns that it cannot find it,
 * which is expected. Not thread-safe; one instance per transaction.
 */
public final class HaltingXAResource implements XAResource {
    private static final Logger LOG = Logger.getLogger(HaltingXAResource.class.getName());

    private int timeout;

    @Override
    public void start(Xid xid, int flags) {
    }

    @Override
    public void end(Xid xid, int flags) {
    }

    @Override
    public int prepare(Xid xid) {
        return XA_OK;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) {
        LOG.warning(() -> "halting the JVM in commit (onePhase=" + onePhase + ") of " + xid);
        Runtime.getRuntime().halt(1);
    }

    @Override
    public void rollback(Xid xid) {
    }

    @Override
    public void forget(Xid xid) {
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
        return timeout;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        timeout = seconds;
        return true;
    }
}
