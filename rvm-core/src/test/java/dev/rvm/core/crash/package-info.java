/**
 * Crash and fault-injection tests of the engine: a deterministic workload crashed at every storage operation and
 * rebooted with lost and torn unforced writes ({@code CrashAtEveryWriteIndexTest}), failed forces
 * ({@code ForceFailureTest}), torn and corrupt logs ({@code TornTailTest}, {@code CorruptLogCatalogueTest}), and
 * a child JVM killed with SIGKILL hundreds of times ({@code KillChildJvmTest}, whose child is {@code BankChild}).
 */
package dev.rvm.core.crash;
