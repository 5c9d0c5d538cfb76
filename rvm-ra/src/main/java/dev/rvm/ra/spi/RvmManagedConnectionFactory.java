package dev.rvm.ra.spi;

import dev.rvm.ra.internal.GroupMember;
import dev.rvm.ra.internal.Messages;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.TransactionSupport;
import java.io.PrintWriter;
import java.util.Set;
import javax.security.auth.Subject;
import org.jboss.jca.core.spi.statistics.Statistics;
import org.jboss.jca.core.spi.statistics.StatisticsPlugin;

/**
 * The managed connection factory: creates {@link RvmManagedConnection}s on the store of its
 * {@link RvmResourceAdapter}, and the client {@link dev.rvm.ra.RvmConnectionFactory}. It declares
 * {@code XATransaction} support, and implements IronJacamar's {@link Statistics} so that WildFly shows RVM's
 * counters under the connection definition's {@code statistics=extended} resource.
 *
 * <p>Its one configuration property, {@code lazyOnePhaseCommit} (default false), makes a one-phase XA commit of its
 * connections lazy — RVM's {@code NO_FLUSH}, the paper's {@code no_flush}, for transactions whose only resource is
 * RVM: the commit returns without waiting for the log force, and the adapter's background flush
 * ({@code lazyFlushMillis}) makes it durable shortly after, so a crash may lose the last lazily committed transactions
 * (never part of one). Prepare and the second phase of two-phase commit are always forced. {@code equals} is true
 * for factories of the same class with the same property associated with equal resource adapters, and
 * {@code hashCode} is constant per class (the association is set after the container may already have hashed it). Every managed connection of a store is interchangeable, so
 * {@link #matchManagedConnections} returns any candidate of this factory. Thread-safe.
 */
public class RvmManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation,
        TransactionSupport, Statistics {
    private static final long serialVersionUID = 1L;

    private RvmResourceAdapter ra;
    private Boolean lazyOnePhaseCommit;
    private transient PrintWriter logWriter;
    private final RvmStatisticsPlugin statistics = new RvmStatisticsPlugin(this);

    /** A factory; the container associates it with the adapter. */
    public RvmManagedConnectionFactory() {
    }

    @Override
    public Object createConnectionFactory(ConnectionManager cm) throws ResourceException {
        return new RvmConnectionFactoryImpl(this, cm);
    }

    /** Outside a container: a factory whose connections are not pooled nor enlisted. */
    @Override
    public Object createConnectionFactory() throws ResourceException {
        return new RvmConnectionFactoryImpl(this, null);
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        RvmResourceAdapter ra = resourceAdapter();
        GroupMember member = ra.groupMember();
        if (member != null && ra.storeOrNull() == null) {
            return new FollowerManagedConnection(member); // what the transaction manager's recovery opens there
        }
        return new RvmManagedConnection(this, ra.store());
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo info) {
        for (Object c : candidates) {
            if (c instanceof RvmManagedConnection && ((RvmManagedConnection) c).factory() == this
                    && ((RvmManagedConnection) c).isUsable()) {
                return (ManagedConnection) c;
            }
        }
        return null;
    }

    /** Whether one-phase commits of this factory's connections are lazy (not forced before they return). */
    public Boolean getLazyOnePhaseCommit() {
        return lazyOnePhaseCommit;
    }

    /** Sets {@link #getLazyOnePhaseCommit()}; {@code null} means false. */
    public void setLazyOnePhaseCommit(Boolean lazy) {
        this.lazyOnePhaseCommit = lazy;
    }

    boolean lazyOnePhase() {
        return Boolean.TRUE.equals(lazyOnePhaseCommit);
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
    public ResourceAdapter getResourceAdapter() {
        return ra;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter adapter) throws ResourceException {
        if (!(adapter instanceof RvmResourceAdapter)) {
            throw new ResourceException("RVM000109: an RvmManagedConnectionFactory needs an RvmResourceAdapter, got "
                    + adapter);
        }
        this.ra = (RvmResourceAdapter) adapter;
    }

    RvmResourceAdapter resourceAdapter() throws ResourceException {
        if (ra == null) {
            throw new ResourceException(Messages.notStarted());
        }
        return ra;
    }

    @Override
    public TransactionSupportLevel getTransactionSupport() {
        return TransactionSupportLevel.XATransaction;
    }

    @Override
    public StatisticsPlugin getStatistics() {
        return statistics;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        RvmManagedConnectionFactory f = (RvmManagedConnectionFactory) o;
        return lazyOnePhase() == f.lazyOnePhase() && (ra == null ? f.ra == null : ra.equals(f.ra));
    }

    @Override
    public int hashCode() {
        return getClass().getName().hashCode();
    }
}
