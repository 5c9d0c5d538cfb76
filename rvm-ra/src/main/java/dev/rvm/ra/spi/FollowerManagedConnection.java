package dev.rvm.ra.spi;

import dev.rvm.ra.internal.GroupMember;
import dev.rvm.ra.internal.Messages;
import dev.rvm.ra.internal.XaErrors;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import javax.security.auth.Subject;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * What the factory gives on a member of a replicated group that does not lead it: the transaction manager's periodic
 * recovery opens a managed connection on every server and asks its XA resource for branches in doubt; on a follower
 * there are none to act on (the group's branches are decided through the leader's adapter), so {@code recover}
 * answers none instead of the container logging a failed recovery, with its stack trace, at every pass. Every other
 * XA call answers {@code XAER_RMFAIL}, and a connection handle is refused naming the leader. Applications never get
 * one (the connection factory refuses first, {@link RvmConnectionFactoryImpl}), and the pool never matches one.
 * Thread-safe: immutable apart from the log writer.
 */
final class FollowerManagedConnection implements ManagedConnection {
    private final GroupMember member;
    private final XAResource xa = new FollowerXaResource();
    private volatile PrintWriter logWriter;

    FollowerManagedConnection(GroupMember member) {
        this.member = member;
    }

    private String why() {
        return Messages.notLeader(member.notLeader().getMessage());
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        throw new ResourceException(why());
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        throw new ResourceException(why());
    }

    @Override
    public void cleanup() {
        // no handle, no transaction
    }

    @Override
    public void destroy() {
        // nothing held
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        // no handle ever closes
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        // no handle ever closes
    }

    @Override
    public XAResource getXAResource() {
        return xa;
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new ResourceException(why());
    }

    @Override
    public ManagedConnectionMetaData getMetaData() throws ResourceException {
        throw new ResourceException(why());
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
        return "FollowerManagedConnection[" + member + "]";
    }

    /** A follower's XA resource: no branch to recover here; any other call cannot reach the store. */
    private final class FollowerXaResource implements XAResource {
        private XAException unavailable() {
            return XaErrors.of(XAException.XAER_RMFAIL, why(), null);
        }

        @Override
        public Xid[] recover(int flag) {
            return new Xid[0];
        }

        @Override
        public void start(Xid xid, int flags) throws XAException {
            throw unavailable();
        }

        @Override
        public void end(Xid xid, int flags) throws XAException {
            throw unavailable();
        }

        @Override
        public int prepare(Xid xid) throws XAException {
            throw unavailable();
        }

        @Override
        public void commit(Xid xid, boolean onePhase) throws XAException {
            throw unavailable();
        }

        @Override
        public void rollback(Xid xid) throws XAException {
            throw unavailable();
        }

        @Override
        public void forget(Xid xid) throws XAException {
            throw unavailable();
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
}
