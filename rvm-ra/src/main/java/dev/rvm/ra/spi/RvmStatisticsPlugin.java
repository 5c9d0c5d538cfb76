package dev.rvm.ra.spi;

import dev.rvm.ra.internal.Store;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.jboss.jca.core.spi.statistics.StatisticsPlugin;

/**
 * RVM's counters for IronJacamar's statistics SPI, which WildFly publishes in its management model (CLI:
 * {@code /deployment=rvm-ra.rar/subsystem=resource-adapters/statistics=statistics/connection-definitions=...}).
 * Values are read from the store's {@link dev.rvm.core.Statistics} at each call; {@link #clear()} rebases the
 * cumulative counters to zero (the core's own counters are never reset). All values are {@code Long}.
 *
 * <p>Thread-safe.
 */
public final class RvmStatisticsPlugin implements StatisticsPlugin {
    private static final long serialVersionUID = 1L;

    private static final Map<String, Stat> STATS = new LinkedHashMap<>();

    static {
        cumulative("Commits", "Transactions and branches committed (one-phase, local and prepared)",
                s -> s.commitsFlush() + s.commitsNoFlush() + s.commitsPrepared());
        cumulative("Aborts", "Transactions and branches rolled back", dev.rvm.core.Statistics::aborts);
        cumulative("Prepares", "Branches prepared (read-only votes excluded)", dev.rvm.core.Statistics::prepares);
        cumulative("ReadOnlyPrepares", "Branches that voted read-only", dev.rvm.core.Statistics::readOnlyPrepares);
        gauge("InDoubt", "Branches prepared and awaiting the transaction manager's outcome",
                dev.rvm.core.Statistics::inDoubt);
        gauge("OldestInDoubtMillis", "How long the oldest branch in doubt has been waiting for its outcome (0: none)",
                dev.rvm.core.Statistics::oldestInDoubtMillis);
        cumulative("Forces", "Log forces", dev.rvm.core.Statistics::forces);
        gauge("LogUsedBytes", "Bytes of the log holding records not yet truncated", dev.rvm.core.Statistics::logUsed);
        gauge("LogCapacityBytes", "Bytes of the log available to records", dev.rvm.core.Statistics::logCapacity);
        gauge("LogUsePercent", "Percentage of the log in use", s -> Math.round(100 * s.logUse()));
        cumulative("Truncations", "Log truncations completed", dev.rvm.core.Statistics::truncations);
    }

    private final RvmManagedConnectionFactory mcf;
    private volatile boolean enabled = true;
    private final Map<String, Long> baseline = new java.util.concurrent.ConcurrentHashMap<>();

    RvmStatisticsPlugin(RvmManagedConnectionFactory mcf) {
        this.mcf = mcf;
    }

    private record Stat(String description, boolean cumulative, ToLongFunction<dev.rvm.core.Statistics> read) {
    }

    private static void cumulative(String name, String description, ToLongFunction<dev.rvm.core.Statistics> f) {
        STATS.put(name, new Stat(description, true, f));
    }

    private static void gauge(String name, String description, ToLongFunction<dev.rvm.core.Statistics> f) {
        STATS.put(name, new Stat(description, false, f));
    }

    @Override
    public Set<String> getNames() {
        return Collections.unmodifiableSet(STATS.keySet());
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class getType(String name) {
        return STATS.containsKey(name) ? Long.class : null;
    }

    @Override
    public String getDescription(String name) {
        Stat s = STATS.get(name);
        return s == null ? null : s.description();
    }

    @Override
    public String getDescription(String name, Locale locale) {
        return getDescription(name);
    }

    @Override
    public Object getValue(String name) {
        Stat stat = STATS.get(name);
        dev.rvm.core.Statistics now = snapshot();
        if (stat == null || now == null) {
            return stat == null ? null : 0L;
        }
        long v = stat.read().applyAsLong(now);
        return stat.cumulative() ? v - baseline.getOrDefault(name, 0L) : v;
    }

    private dev.rvm.core.Statistics snapshot() {
        RvmResourceAdapter ra = mcf.getResourceAdapter() instanceof RvmResourceAdapter
                ? (RvmResourceAdapter) mcf.getResourceAdapter() : null;
        Store s = ra == null ? null : ra.storeOrNull();
        return s == null ? null : s.memory().statistics();
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public void clear() {
        dev.rvm.core.Statistics now = snapshot();
        if (now != null) {
            STATS.forEach((name, stat) -> {
                if (stat.cumulative()) {
                    baseline.put(name, stat.read().applyAsLong(now));
                }
            });
        }
    }
}
