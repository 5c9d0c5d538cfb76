package dev.rvm.example.web.metrics;

import dev.rvm.core.LatencyListener;
import dev.rvm.core.Statistics;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.resource.ResourceException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Registers RVM's meters with an application's {@link MeterRegistry}, named by Micrometer's conventions so that the
 * Prometheus registry writes them by Prometheus's: counters {@code rvm_..._total}, gauges with their unit
 * ({@code _bytes}, {@code _ratio}), latencies in seconds ({@code _count}, {@code _sum}, and {@code le} buckets).
 * Counters and gauges read {@link Statistics} when scraped; the latency timers are fed by the
 * {@link LatencyListener} this class adds to the store.
 *
 * <p>Meters are registered through the registry's name-and-tags methods, the ones WildFly's application registry
 * forwards to its own registries (it keeps meters registered through the builders' {@code register} to itself, so
 * those never reach {@code /metrics}; seen on 39.0.1). Thread-safe once constructed.
 */
final class RvmMeters {
    private final MeterRegistry registry;
    private final StoreStatistics stats;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<LatencyListener.Operation, LatencyHistogram> commitLatency =
            new EnumMap<>(LatencyListener.Operation.class);
    private final LatencyHistogram forceLatency = new LatencyHistogram();

    /**
     * @param registry the application's registry (injected by WildFly)
     * @param stats the store's statistics
     */
    RvmMeters(MeterRegistry registry, StoreStatistics stats) {
        this.registry = registry;
        this.stats = stats;
        counter("rvm.commits", Tags.of("kind", "flush"), Statistics::commitsFlush);
        counter("rvm.commits", Tags.of("kind", "no_flush"), Statistics::commitsNoFlush);
        counter("rvm.commits", Tags.of("kind", "prepared"), Statistics::commitsPrepared);
        counter("rvm.aborts", Tags.empty(), Statistics::aborts);
        counter("rvm.prepares", Tags.of("vote", "prepared"), Statistics::prepares);
        counter("rvm.prepares", Tags.of("vote", "read_only"), Statistics::readOnlyPrepares);
        counter("rvm.prepared.rollbacks", Tags.empty(), Statistics::rollbacksPrepared);
        gauge("rvm.in.doubt", Statistics::inDoubt);
        gaugeDouble("rvm.in.doubt.oldest.seconds", s -> s.oldestInDoubtMillis() / 1e3);
        gaugeDouble("rvm.commits.unforced.oldest.seconds", s -> s.oldestUnforcedCommitMillis() / 1e3);
        counter("rvm.log.forces", Tags.empty(), Statistics::forces);
        counter("rvm.log.records", Tags.empty(), Statistics::recordsWritten);
        counter("rvm.log.written.bytes", Tags.empty(), Statistics::bytesLogged);
        counter("rvm.log.saved.bytes", Tags.of("by", "range_merging"), Statistics::bytesSavedIntra);
        counter("rvm.log.saved.bytes", Tags.of("by", "lazy_coalescing"), Statistics::bytesSavedInter);
        gauge("rvm.log.used.bytes", Statistics::logUsed);
        gauge("rvm.log.capacity.bytes", Statistics::logCapacity);
        gaugeDouble("rvm.log.use.ratio", Statistics::logUse);
        counter("rvm.log.truncations", Tags.empty(), Statistics::truncations);
        meters.add(registry.more().timer("rvm.log.truncation", Tags.empty(), stats,
                c -> (long) read(c, Statistics::truncations), c -> read(c, Statistics::truncationNanosTotal),
                TimeUnit.NANOSECONDS));
        gaugeDouble("rvm.log.truncation.last.seconds", s -> s.lastTruncationNanos() / 1e9);
        counter("rvm.lock.waits", Tags.empty(), Statistics::lockWaits);
        counter("rvm.lock.timeouts", Tags.empty(), Statistics::lockTimeouts);
        counter("rvm.lock.deadlocks", Tags.empty(), Statistics::deadlocks);
        for (LatencyListener.Operation op : LatencyListener.Operation.values()) {
            LatencyHistogram h = new LatencyHistogram();
            commitLatency.put(op, h);
            histogram("rvm.commit.latency", Tags.of("operation", op.name().toLowerCase(Locale.ROOT)), h);
        }
        histogram("rvm.log.force.latency", Tags.empty(), forceLatency);
    }

    /**
     * Registers the meters with {@code registry} and adds their latency listener to the adapter's store.
     *
     * @param registry a {@link MeterRegistry} (typed {@code Object} so that callers need not load Micrometer)
     * @param factory the adapter's connection factory
     * @return what unregisters both, when the application stops
     * @throws ResourceException if no connection could be had to add the listener
     */
    static AutoCloseable bind(Object registry, RvmConnectionFactory factory) throws ResourceException {
        StoreStatistics stats = new StoreStatistics(factory);
        RvmMeters meters = new RvmMeters((MeterRegistry) registry, stats);
        LatencyListener listener = meters.latencyListener();
        try (RvmConnection c = factory.getConnection()) {
            c.addLatencyListener(listener);
        } catch (ResourceException | RuntimeException e) {
            meters.close();
            throw e;
        }
        return () -> {
            try (RvmConnection c = factory.getConnection()) {
                c.removeLatencyListener(listener);
            } finally {
                meters.close();
            }
        };
    }

    /** The listener to add to the store: records each commit's and each force's duration into the timers. */
    LatencyListener latencyListener() {
        return new LatencyListener() {
            @Override
            public void completed(Operation operation, long nanos) {
                commitLatency.get(operation).record(nanos);
            }

            @Override
            public void forced(long nanos) {
                forceLatency.record(nanos);
            }
        };
    }

    /** Removes every meter this instance registered (the application is undeployed). */
    void close() {
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
    }

    /**
     * A histogram as WildFly 39 can export it from an application: {@code NAME_seconds_count} and
     * {@code NAME_seconds_sum} (a function timer) and one cumulative counter {@code NAME_buckets_total} per
     * {@code le} bound, {@code +Inf} included, which {@code histogram_quantile} reads like a histogram's buckets.
     * (A {@code Timer} with buckets would be the natural meter, but WildFly 39's application registry keeps
     * builder-registered meters to itself: they never reach {@code /metrics}.)
     */
    private void histogram(String name, Tags tags, LatencyHistogram h) {
        meters.add(registry.more().timer(name, tags, h, LatencyHistogram::count, LatencyHistogram::sumNanos,
                TimeUnit.NANOSECONDS));
        for (int b = 0; b < LatencyHistogram.BOUNDS_NANOS.length; b++) {
            int bound = b;
            meters.add(registry.more().counter(name + ".buckets", tags.and("le", LatencyHistogram.le(b)), h,
                    x -> x.atMost(bound)));
        }
        meters.add(registry.more().counter(name + ".buckets", tags.and("le", "+Inf"), h, LatencyHistogram::count));
    }

    private void counter(String name, Tags tags, ToLongFunction<Statistics> f) {
        meters.add(registry.more().counter(name, tags, stats, c -> read(c, f)));
    }

    private void gauge(String name, ToLongFunction<Statistics> f) {
        gaugeDouble(name, s -> f.applyAsLong(s));
    }

    private void gaugeDouble(String name, ToDoubleFunction<Statistics> f) {
        registry.gauge(name, Tags.empty(), stats, c -> {
            Statistics s = c.get();
            return s == null ? Double.NaN : f.applyAsDouble(s);
        });
        Meter g = registry.find(name).gauge();
        if (g != null) {
            meters.add(g);
        }
    }

    private static double read(StoreStatistics c, ToLongFunction<Statistics> f) {
        Statistics s = c.get();
        return s == null ? Double.NaN : f.applyAsLong(s);
    }
}
