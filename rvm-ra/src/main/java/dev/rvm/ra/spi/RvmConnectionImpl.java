package dev.rvm.ra.spi;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.LatencyListener;
import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.core.Statistics;
import dev.rvm.core.Transaction;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.internal.Messages;
import java.util.Set;

/**
 * The connection handle applications hold. It delegates to its current {@link RvmManagedConnection} (the
 * container may move it with {@code associateConnection}). After {@link #close()} or after the container
 * invalidated it, every method throws {@link ErrorCode#ILLEGAL_STATE}.
 *
 * <p>Not thread-safe: one thread at a time.
 */
public class RvmConnectionImpl implements RvmConnection {
    private volatile RvmManagedConnection mc;
    private volatile boolean closed;

    RvmConnectionImpl(RvmManagedConnection mc) {
        this.mc = mc;
    }

    RvmManagedConnection owner() {
        return mc;
    }

    void owner(RvmManagedConnection m) {
        this.mc = m;
    }

    /** Closed by the container (cleanup or destroy of its managed connection). */
    void invalidate() {
        closed = true;
    }

    private RvmManagedConnection mc() {
        RvmManagedConnection m = mc;
        if (closed || m == null) {
            throw new RvmException(ErrorCode.ILLEGAL_STATE, Messages.closedHandle());
        }
        return m;
    }

    @Override
    public Region region(String name) {
        Region r = mc().store().region(name);
        if (r == null) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, Messages.unknownRegion(name, regionNames()));
        }
        return r;
    }

    @Override
    public Set<String> regionNames() {
        return mc().store().regionNames();
    }

    @Override
    public void setRange(Region region, long offset, long length) {
        transaction("setRange").setRange(region, offset, length);
    }

    @Override
    public void lockShared(Region region, long offset, long length) {
        transaction("lockShared").lockShared(region, offset, length);
    }

    private Transaction transaction(String what) {
        Transaction t = mc().currentTransaction();
        if (t == null) {
            throw new RvmException(ErrorCode.NO_TRANSACTION, Messages.noTransaction(what));
        }
        return t;
    }

    @Override
    public Transaction transaction() {
        return new ContainerTransaction(transaction("transaction"));
    }

    @Override
    public boolean inTransaction() {
        return mc().currentTransaction() != null;
    }

    @Override
    public Statistics statistics() {
        return mc().store().memory().statistics();
    }

    @Override
    public void addLatencyListener(LatencyListener listener) {
        mc().store().memory().addLatencyListener(listener);
    }

    @Override
    public void removeLatencyListener(LatencyListener listener) {
        mc().store().memory().removeLatencyListener(listener);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RvmManagedConnection m = mc;
        if (m != null) {
            m.handleClosed(this);
        }
    }

    @Override
    public String toString() {
        return "RvmConnection@" + Integer.toHexString(System.identityHashCode(this));
    }
}
