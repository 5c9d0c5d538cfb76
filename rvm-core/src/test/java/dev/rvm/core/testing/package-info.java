/**
 * Reusable test utilities for rvm-core and the modules built on it (shipped in the rvm-core test-jar).
 *
 * <p>{@link dev.rvm.core.testing.SimulatedStorage} is an in-memory {@link dev.rvm.core.io.Storage} that models
 * power failure: it crashes at a chosen write index, fails a force on demand, and reboots into an image where
 * each unforced write was kept, lost or torn at a sector boundary. {@link dev.rvm.core.testing.ManualExecutor}
 * runs background work (truncation) only when the test says so, which keeps workloads deterministic. All fault
 * state lives in instances, never in statics, so tests may run in parallel.
 */
package dev.rvm.core.testing;
