package dev.rvm.ra.spi;

import dev.rvm.core.Transaction;
import dev.rvm.ra.internal.Messages;
import dev.rvm.ra.internal.Store;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.IllegalStateException;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

/**
 * A pooled connection to the store: it owns one {@link RvmXAResource} and one {@link RvmLocalTransaction}, and
 * hands out {@link RvmConnectionImpl} handles. The transaction a handle works in is the XA branch this connection's
 * XA resource is associated with, or else its local transaction.
 *
 * <p>Handles still open when the container cleans up or destroys the connection are closed and reported
 * ({@code RVM000105}). Thread-safe.
 */
public class RvmManagedConnection implements ManagedConnection {
    private final RvmManagedConnectionFactory mcf;
    private final Store store;
    private final RvmXAResource xa;
    private final RvmLocalTransaction local;
    private final List<RvmConnectionImpl> handles = new CopyOnWriteArrayList<>();
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean destroyed;
    private PrintWriter logWriter;

    RvmManagedConnection(RvmManagedConnectionFactory mcf, Store store) {
        this.mcf = mcf;
        this.store = store;
        this.xa = new RvmXAResource(store, mcf.lazyOnePhase());
        this.local = new RvmLocalTransaction(store);
    }

    RvmManagedConnectionFactory factory() {
        return mcf;
    }

    Store store() {
        return store;
    }

    boolean isUsable() {
        return !destroyed && store.isOpen();
    }

    /** The transaction handles work in now: the active XA branch's, else the local one, else {@code null}. */
    Transaction currentTransaction() {
        Transaction t = xa.activeTransaction();
        return t != null ? t : local.transaction();
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        if (destroyed) {
            throw new IllegalStateException("RVM000120: the managed connection is destroyed");
        }
        RvmConnectionImpl h = new RvmConnectionImpl(this);
        handles.add(h);
        return h;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof RvmConnectionImpl)) {
            throw new ResourceException("RVM000120: not an RVM connection handle: " + connection);
        }
        RvmConnectionImpl h = (RvmConnectionImpl) connection;
        RvmManagedConnection old = h.owner();
        if (old != null) {
            old.handles.remove(h);
        }
        h.owner(this);
        handles.add(h);
    }

    /** Called by a handle's close: tells the container, which returns this connection to the pool. */
    void handleClosed(RvmConnectionImpl h) {
        handles.remove(h);
        ConnectionEvent e = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        e.setConnectionHandle(h);
        for (ConnectionEventListener l : listeners) {
            l.connectionClosed(e);
        }
    }

    @Override
    public void cleanup() throws ResourceException {
        for (RvmConnectionImpl h : handles) {
            Messages.handleLeftOpen(h.toString());
            h.invalidate();
        }
        handles.clear();
        local.abandon();
    }

    @Override
    public void destroy() throws ResourceException {
        cleanup();
        destroyed = true;
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() {
        return xa;
    }

    @Override
    public LocalTransaction getLocalTransaction() {
        return local;
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new RvmManagedConnectionMetaData(store);
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public String toString() {
        return "RvmManagedConnection[" + store + ", " + handles.size() + " handle(s)]";
    }
}
