/**
 * The container-facing side of the adapter (Jakarta Connectors 2.1 SPI): {@link dev.rvm.ra.spi.RvmResourceAdapter}
 * opens and closes the store, {@link dev.rvm.ra.spi.RvmManagedConnectionFactory} and
 * {@link dev.rvm.ra.spi.RvmManagedConnection} serve the pool, {@link dev.rvm.ra.spi.RvmXAResource} and
 * {@link dev.rvm.ra.spi.RvmLocalTransaction} drive the core's transactions, and
 * {@link dev.rvm.ra.spi.RvmStatisticsPlugin} publishes the counters through IronJacamar.
 *
 * <p>Applications do not use these classes; they use {@link dev.rvm.ra}. Thread-safety is stated per class.
 */
package dev.rvm.ra.spi;
