package dev.rvm.ra.spi;

import dev.rvm.core.RvmException;
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
 * connection factory with {@code lazyOnePhaseCommit}). An invalid value
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

    private transient volatile Store store;
    private transient WorkManagerExecutor executor;
    private transient LazyFlusher flusher;

    /** A resource adapter with default configuration. */
    public RvmResourceAdapter() {
    }

    @Override
    public synchronized void start(BootstrapContext ctx) throws ResourceAdapterInternalException {
        if (store != null) {
            return;
        }
        StoreConfig config;
        long flushPeriod;
        try {
            config = StoreConfig.parse(storeDirectory, logSize, truncationThreshold, lockTimeoutMillis,
                    defaultCommitMode, regions);
            flushPeriod = LazyFlusher.period(lazyFlushMillis);
        } catch (IllegalArgumentException e) {
            throw internal(e.getMessage(), e);
        }
        WorkManagerExecutor ex = new WorkManagerExecutor(ctx.getWorkManager());
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
        s.inDoubt().forEach(id -> {
            try {
                Messages.inDoubtAtStart(RvmXid.describe(XidCodec.decode(id)));
            } catch (IllegalArgumentException e) {
                Messages.foreignBranch(id.toString());
            }
        });
        StartupRecovery.begin(s, ctx.getWorkManager(), () -> store != s);
    }

    private static ResourceAdapterInternalException internal(String message, Exception cause) {
        ResourceAdapterInternalException e = new ResourceAdapterInternalException(message);
        e.initCause(cause);
        return e;
    }

    @Override
    public synchronized void stop() {
        Store s = store;
        if (s == null) {
            return;
        }
        store = null;
        if (flusher != null) {
            flusher.stop();
            flusher = null;
        }
        executor.shutdown();
        try {
            s.close(); // waits for a truncation in progress; in-doubt branches stay in the log
            Messages.storeClosed(s.config().directory().toString());
        } catch (RuntimeException e) {
            Messages.closeFailed(e);
        }
    }

    /** The open store; {@code ResourceException} if the adapter is not started. */
    Store store() throws ResourceException {
        Store s = store;
        if (s == null || !s.isOpen()) {
            throw new ResourceException(Messages.notStarted() + (s == null ? "" : "; " + Messages.storeUnavailable()));
        }
        return s;
    }

    /** The open store or {@code null}, for statistics. */
    Store storeOrNull() {
        return store;
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
                && Objects.equals(lazyFlushMillis, r.lazyFlushMillis);
    }

    @Override
    public int hashCode() {
        return Objects.hash(storeDirectory, logSize, truncationThreshold, lockTimeoutMillis, defaultCommitMode,
                regions, lazyFlushMillis);
    }

    @Override
    public String toString() {
        return "RvmResourceAdapter[" + (store != null ? store : "stopped") + "]";
    }
}
