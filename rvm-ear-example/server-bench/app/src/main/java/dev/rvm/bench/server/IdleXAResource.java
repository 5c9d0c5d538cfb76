package dev.rvm.bench.server;

import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * A second XA resource that holds nothing: it votes {@code XA_OK} at prepare (so the transaction manager runs a
 * real two-phase commit, with its log record) and does nothing at any other call. Case {@code noop+audit} puts it
 * where case 2 has RVM, so that case measures what two-phase commit with the database costs when the other
 * resource is free: no case 2 can be faster. A measuring device for the benchmark only — it remembers nothing, so
 * it cannot be recovered. Thread-safe (no state).
 */
final class IdleXAResource implements XAResource {
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
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }
}
