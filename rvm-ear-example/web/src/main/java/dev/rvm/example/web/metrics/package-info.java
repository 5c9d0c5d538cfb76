/**
 * RVM's figures in WildFly's {@code /metrics}: the store's counters and gauges, and commit and force latency
 * histograms, registered with the {@code MeterRegistry} that WildFly's micrometer subsystem gives the application
 * (served in Prometheus text by its {@code registry=prometheus} on the management port). Nothing here serves HTTP.
 *
 * <p>Micrometer's classes are visible to the application only when that subsystem is configured, so only
 * {@link dev.rvm.example.web.metrics.MetricsBinding} is a CDI bean: it checks for Micrometer by name and only then
 * loads {@link dev.rvm.example.web.metrics.RvmMeters}; without the subsystem the example runs without metrics.
 */
package dev.rvm.example.web.metrics;
