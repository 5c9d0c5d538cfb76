package dev.rvm.ra.spi;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.ra.internal.GroupConfig;
import dev.rvm.ra.internal.GroupMember;
import dev.rvm.ra.internal.LazyFlusher;
import dev.rvm.ra.internal.Messages;
import dev.rvm.ra.internal.RvmXid;
import dev.rvm.ra.internal.StartupRecovery;
import dev.rvm.ra.internal.Store;
import dev.rvm.ra.internal.StoreConfig;
import dev.rvm.ra.internal.WorkManagerExecutor;
import dev.rvm.ra.internal.XidCodec;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.io.IOException;
import java.io.Serializable;
import java.util.Objects;
import javax.transaction.xa.XAResource;

/**
 * The resource adapter JavaBean: its configuration properties describe the store, {@link #start} opens it (running
 * crash recovery, creating missing segments, mapping the regions) with truncation as a JCA {@code Work} on the
 * server's WorkManager, gets the branches it finds in doubt resolved promptly ({@link StartupRecovery}), and
 * {@link #stop} closes it cleanly, so undeploy and redeploy lose nothing: prepared
 * branches stay in doubt in the log for the transaction manager's recovery.
 *
 * <p>Properties (all optional): {@code storeDirectory} (default {@code ${jboss.server.data.dir}/rvm}, or
 * {@code java.io.tmpdir/rvm} outside WildFly), {@code logSize} (bytes, default 64 MiB), {@code truncationThreshold}
 * (0..1, default 0.5), {@code lockTimeoutMillis} (default 10000), {@code defaultCommitMode} (FLUSH or NO_FLUSH, for
 * local transactions; default FLUSH), {@code regions} ({@code name:segment:offset:length} list),
 * {@code lazyFlushMillis} (1..10000, default 10: how often the log is forced for the lazy one-phase commits of a
 * connection factory with {@code lazyOnePhaseCommit}); and, to run the store as one member of a group replicated on
 * Apache Ratis, {@code replicaGroup} (UUID), {@code replicaMemberId}, {@code replicaPeers}
 * ({@code id=host:port,...}, every member) and {@code replicaWitnesses} ({@link GroupMember}: only the leader's
 * adapter gives connections). An invalid value
 * fails {@code start} with a {@link ResourceAdapterInternalException} that names the property.
 *
 * <p>{@code equals}/{@code hashCode} compare the configuration properties, as the Connectors specification asks of
 * JavaBeans the container keeps in hashed collections. Thread-safe: start and stop are serialized.
 */
public class RvmResourceAdapter implements ResourceAdapter, Serializable {
    private static final long serialVersionUID = 1L;

    private String storeDirectory;
    private Long logSize;
    private Double truncationThreshold;
    private Long lockTimeoutMillis;
    private String defaultCommitMode;
    private String regions;
    private Long lazyFlushMillis;
    private String replicaGroup;
    private String replicaMemberId;
    private String replicaPeers;
    private String replicaWitnesses;

    private transient volatile Store store;
    private transient volatile GroupMember member;
    private transient WorkManagerExecutor executor;
    private transient LazyFlusher flusher;

    /** A resource adapter with default configuration. */
    public RvmResourceAdapter() {
    }

    @Override
    public synchronized void start(BootstrapContext ctx) throws ResourceAdapterInternalException {
        if (store != null || member != null) {
            return;
        }
        StoreConfig config;
        GroupConfig group;
        long flushPeriod;
        try {
            config = StoreConfig.parse(storeDirectory, logSize, truncationThreshold, lockTimeoutMillis,
                    defaultCommitMode, regions);
            group = GroupConfig.parse(replicaGroup, replicaMemberId, replicaPeers, replicaWitnesses);
            flushPeriod = LazyFlusher.period(lazyFlushMillis);
        } catch (IllegalArgumentException e) {
            throw internal(e.getMessage(), e);
        }
        WorkManagerExecutor ex = new WorkManagerExecutor(ctx.getWorkManager());
        if (group != null) {
            startMember(ctx, config, group, ex, flushPeriod);
            return;
        }
        Store s;
        try {
            s = Store.open(config, ex, null); // the real files: tests open a Store on a fake one directly
        } catch (IllegalArgumentException e) {
            ex.shutdown();
            throw internal(e.getMessage(), e);
        } catch (RvmException e) {
            ex.shutdown();
            throw internal(Messages.openFailed(config.directory().toString(), e), e);
        }
        executor = ex;
        store = s;
        try {
            flusher = LazyFlusher.start(s.memory(), ctx.createTimer(), flushPeriod);
        } catch (UnavailableException e) {
            stop();
            throw internal("RVM000106: no timer for the background flush of lazy commits: " + e, e);
        }
        Messages.storeOpened(config.directory().toString(), s.storeId(), s.inDoubt().size());
        logInDoubt(s);
        StartupRecovery.begin(s, ctx.getWorkManager(), () -> store != s);
    }

    /**
     * Starts this adapter's store as a member of a replicated group. The lazy flusher's timer also notices, within
     * one period, that the member became the leader ({@link GroupMember#current()} maps the regions then).
     */
    private void startMember(BootstrapContext ctx, StoreConfig config, GroupConfig group, WorkManagerExecutor ex,
                             long flushPeriod) throws ResourceAdapterInternalException {
        GroupMember m;
        try {
            m = GroupMember.start(group, config, ex, s -> {
                Messages.leading(group.memberId(), group.group().toString(), s.inDoubt().size());
                logInDoubt(s);
                StartupRecovery.beginWithoutPresumption(s, ctx.getWorkManager(), () -> member == null);
            });
        } catch (IOException | RuntimeException e) {
            ex.shutdown();
            throw internal(Messages.memberStartFailed(group.memberId(), e), e);
        }
        executor = ex;
        member = m;
        try {
            flusher = LazyFlusher.start(() -> {
                try {
                    Store s = m.current();
                    return s == null ? null : s.memory();
                } catch (RuntimeException notMapped) {
                    return null; // logged once by the member
                }
            }, ctx.createTimer(), flushPeriod);
        } catch (UnavailableException e) {
            stop();
            throw internal("RVM000106: no timer for the background flush of lazy commits: " + e, e);
        }
        Messages.memberStarted(group.memberId(), group.group().toString(), config.directory().toString());
    }

    private static void logInDoubt(Store s) {
        s.inDoubt().forEach(id -> {
            try {
                Messages.inDoubtAtStart(RvmXid.describe(XidCodec.decode(id)));
            } catch (IllegalArgumentException e) {
                Messages.foreignBranch(id.toString());
            }
        });
    }

    private static ResourceAdapterInternalException internal(String message, Exception cause) {
        ResourceAdapterInternalException e = new ResourceAdapterInternalException(message);
        e.initCause(cause);
        return e;
    }

    @Override
    public synchronized void stop() {
        Store s = store;
        GroupMember m = member;
        if (s == null && m == null) {
            return;
        }
        store = null;
        member = null;
        if (flusher != null) {
            flusher.stop();
            flusher = null;
        }
        executor.shutdown();
        if (m != null) {
            try {
                m.close(); // closes the active store, if leading, and stops Ratis's threads
                Messages.storeClosed(m.toString());
            } catch (IOException | RuntimeException e) {
                Messages.closeFailed(e);
            }
            return;
        }
        try {
            s.close(); // waits for a truncation in progress; in-doubt branches stay in the log
            Messages.storeClosed(s.config().directory().toString());
        } catch (RuntimeException e) {
            Messages.closeFailed(e);
        }
    }

    /**
     * The open store; {@code ResourceException} if the adapter is not started, or is a member of a replicated
     * group that does not lead it (the message names the leader).
     */
    Store store() throws ResourceException {
        GroupMember m = member;
        Store s;
        if (m != null) {
            try {
                s = m.current();
            } catch (RvmException e) {
                // deposed while it mapped the regions
                throw new ResourceException(e.code() == ErrorCode.NOT_LEADER || e.code() == ErrorCode.NO_QUORUM
                        ? Messages.notLeader(e.getMessage()) : Messages.leaderCannotServe(m.memberId(), e.getMessage()), e);
            } catch (RuntimeException e) {
                throw new ResourceException(Messages.leaderCannotServe(m.memberId(), e.getMessage()), e);
            }
            if (s == null) {
                RvmException why = m.notLeader();
                throw new ResourceException(Messages.notLeader(why.getMessage()), why);
            }
        } else {
            s = store;
        }
        if (s == null || !s.isOpen()) {
            throw new ResourceException(Messages.notStarted() + (s == null ? "" : "; " + Messages.storeUnavailable()));
        }
        return s;
    }

    /** The open store or {@code null} (not started, or a replica that does not lead), for statistics. */
    Store storeOrNull() {
        GroupMember m = member;
        if (m != null) {
            try {
                return m.current();
            } catch (RuntimeException e) {
                return null;
            }
        }
        return store;
    }

    /** This adapter's replicated group membership, or {@code null} for a store of its own. */
    GroupMember groupMember() {
        return member;
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        throw new NotSupportedException("RVM has no inbound messaging");
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        // no inbound endpoints
    }

    /** No inbound endpoints, so no XA resources here; recovery goes through the managed connection factory. */
    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    // ---- configuration properties (wrapper types, as the Connectors specification requires)

    /** The store directory. */
    public String getStoreDirectory() {
        return storeDirectory;
    }

    /** Sets the store directory; {@code ${property}} and {@code ${property:default}} are resolved at start. */
    public void setStoreDirectory(String storeDirectory) {
        this.storeDirectory = storeDirectory;
    }

    /** Log size in bytes. */
    public Long getLogSize() {
        return logSize;
    }

    /** Sets the log size used when the log is created. */
    public void setLogSize(Long logSize) {
        this.logSize = logSize;
    }

    /** Truncation threshold. */
    public Double getTruncationThreshold() {
        return truncationThreshold;
    }

    /** Sets the fraction of the log in use that starts a truncation. */
    public void setTruncationThreshold(Double truncationThreshold) {
        this.truncationThreshold = truncationThreshold;
    }

    /** Range-lock timeout in milliseconds. */
    public Long getLockTimeoutMillis() {
        return lockTimeoutMillis;
    }

    /** Sets the range-lock timeout in milliseconds. */
    public void setLockTimeoutMillis(Long lockTimeoutMillis) {
        this.lockTimeoutMillis = lockTimeoutMillis;
    }

    /** Commit mode of local transactions. */
    public String getDefaultCommitMode() {
        return defaultCommitMode;
    }

    /** Sets the commit mode of local transactions: FLUSH or NO_FLUSH. */
    public void setDefaultCommitMode(String defaultCommitMode) {
        this.defaultCommitMode = defaultCommitMode;
    }

    /** The region definitions. */
    public String getRegions() {
        return regions;
    }

    /** Sets the region definitions: {@code name:segment:offset:length}, separated by commas. */
    public void setRegions(String regions) {
        this.regions = regions;
    }

    /** How often, in milliseconds, the log is forced for lazy one-phase commits. */
    public Long getLazyFlushMillis() {
        return lazyFlushMillis;
    }

    /** Sets {@link #getLazyFlushMillis()} (1..10000; {@code null} for the default, 10). */
    public void setLazyFlushMillis(Long millis) {
        this.lazyFlushMillis = millis;
    }

    /** The replicated group's id (a UUID, the same on every member); unset for a store of its own. */
    public String getReplicaGroup() {
        return replicaGroup;
    }

    /** Sets {@link #getReplicaGroup()}. */
    public void setReplicaGroup(String replicaGroup) {
        this.replicaGroup = replicaGroup;
    }

    /** This member's id in the replicated group. */
    public String getReplicaMemberId() {
        return replicaMemberId;
    }

    /** Sets {@link #getReplicaMemberId()}. */
    public void setReplicaMemberId(String replicaMemberId) {
        this.replicaMemberId = replicaMemberId;
    }

    /** Every member of the replicated group, this one included: {@code id=host:port}, separated by commas. */
    public String getReplicaPeers() {
        return replicaPeers;
    }

    /** Sets {@link #getReplicaPeers()}. */
    public void setReplicaPeers(String replicaPeers) {
        this.replicaPeers = replicaPeers;
    }

    /** The members that are witnesses ({@code rvm-tools witness}), separated by commas. */
    public String getReplicaWitnesses() {
        return replicaWitnesses;
    }

    /** Sets {@link #getReplicaWitnesses()}. */
    public void setReplicaWitnesses(String replicaWitnesses) {
        this.replicaWitnesses = replicaWitnesses;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        RvmResourceAdapter r = (RvmResourceAdapter) o;
        return Objects.equals(storeDirectory, r.storeDirectory) && Objects.equals(logSize, r.logSize)
                && Objects.equals(truncationThreshold, r.truncationThreshold)
                && Objects.equals(lockTimeoutMillis, r.lockTimeoutMillis)
                && Objects.equals(defaultCommitMode, r.defaultCommitMode) && Objects.equals(regions, r.regions)
                && Objects.equals(lazyFlushMillis, r.lazyFlushMillis) && Objects.equals(replicaGroup, r.replicaGroup)
                && Objects.equals(replicaMemberId, r.replicaMemberId) && Objects.equals(replicaPeers, r.replicaPeers)
                && Objects.equals(replicaWitnesses, r.replicaWitnesses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(storeDirectory, logSize, truncationThreshold, lockTimeoutMillis, defaultCommitMode,
                regions, lazyFlushMillis, replicaGroup, replicaMemberId, replicaPeers, replicaWitnesses);
    }

    @Override
    public String toString() {
        Object what = member != null ? member : store;
        return "RvmResourceAdapter[" + (what != null ? what : "stopped") + "]";
    }
}
