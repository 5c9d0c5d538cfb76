/**
 * Recoverable virtual memory: the public API.
 *
 * <p>Priorities, in order: never lose or half-apply a committed transaction; never acknowledge what is not
 * durable; then speed. The vocabulary is the paper's (Satyanarayanan et al., SOSP 1993): a
 * {@link dev.rvm.core.RecoverableMemory} maps segments into memory as {@link dev.rvm.core.Region}s; a
 * {@link dev.rvm.core.Transaction} declares ranges with {@code setRange}, changes them, and commits their new
 * values to a redo log. Truncation applies the log to the segments.
 *
 * <p>Threading: {@code RecoverableMemory} and {@code Region} are thread-safe; a {@code Transaction} is used by
 * the one thread it is associated with. Errors: every failure of the engine is an unchecked
 * {@link dev.rvm.core.RvmException} with an {@link dev.rvm.core.ErrorCode}; I/O failures stop the store
 * (fail-stop) until it is reopened and recovered.
 */
package dev.rvm.core;
