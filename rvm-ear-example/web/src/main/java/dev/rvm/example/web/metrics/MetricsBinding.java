package dev.rvm.example.web.metrics;

import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Binds RVM's meters to the application's {@code MeterRegistry} when the application starts, and unbinds them when
 * it stops. WildFly's micrometer subsystem makes the registry injectable (and Micrometer's classes visible) only
 * when it is configured, so the registry is looked up by class name: without the subsystem this bean logs one line
 * and the application runs without metrics. Thread-safe (CDI calls start and stop once each).
 */
@ApplicationScoped
public class MetricsBinding {
    static final String REGISTRY_CLASS = "io.micrometer.core.instrument.MeterRegistry";
    private static final Logger LOG = Logger.getLogger(MetricsBinding.class.getName());

    @Resource(lookup = "java:/eis/rvm")
    private RvmConnectionFactory rvm;

    private AutoCloseable binding;

    synchronized void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        if (binding != null) {
            return; // already bound: the event may come once per module of the EAR
        }
        Object registry = registry();
        if (registry == null) {
            LOG.info("No Micrometer MeterRegistry (WildFly's micrometer subsystem is not configured): RVM's meters"
                    + " are not registered");
            return;
        }
        try {
            binding = RvmMeters.bind(registry, rvm);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "RVM's meters could not be registered", e);
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (binding == null) {
            return;
        }
        try {
            binding.close();
        } catch (Exception e) {
            // The adapter may be stopping at the same time; the meters go with the application anyway.
            LOG.log(Level.FINE, "RVM's meters unbound with an error", e);
        }
        binding = null;
    }

    private Object registry() {
        Class<?> type;
        try {
            type = Class.forName(REGISTRY_CLASS, false, MetricsBinding.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
        Instance<?> registries = CDI.current().select(type);
        return registries.isResolvable() ? registries.get() : null;
    }
}
