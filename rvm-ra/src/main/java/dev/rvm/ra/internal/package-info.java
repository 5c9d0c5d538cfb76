/**
 * Implementation details of the resource adapter, not for applications: the Xid encoding, the table that maps core
 * error codes to XA codes, the state of XA branches that are not yet prepared, the parsed configuration, the
 * {@link java.util.concurrent.Executor} that runs truncation as a JCA {@code Work}, and the log messages.
 *
 * <p>Prepared branches are not tracked here: they live in the core ({@code RecoverableMemory.inDoubt()}), which
 * rebuilds them after a crash, so the adapter keeps no state that a restart could lose.
 */
package dev.rvm.ra.internal;
