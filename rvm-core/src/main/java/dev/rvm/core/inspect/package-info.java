/**
 * Read-only inspection of a store's log, for operators' tools: the status block, the records with their ranges
 * and CRC state, the branches in doubt, and a verification that reports the first problem with its position.
 *
 * <p>Nothing here writes: files are opened read-only through {@link dev.rvm.core.io.Storage#openReadOnly}, and
 * the store's lock is only probed (taken and at once released) to tell whether a running process holds the
 * store. A store held by a process can still be inspected; what is read is then a moment's picture of a log that
 * keeps changing. The reading follows the same rules as recovery (it is built on the engine's log scanner), so
 * what this package calls the end of the log is where recovery would stop.
 *
 * <p>Threading: a {@link dev.rvm.core.inspect.LogInspector} is used by one thread. Errors are
 * {@link dev.rvm.core.RvmException}s with the engine's codes ({@code NOT_A_STORE_FILE}, {@code STATUS_CORRUPT},
 * {@code IO_ERROR}, ...); damage found by {@link dev.rvm.core.inspect.LogInspector#verify} is reported as data,
 * not thrown.
 */
package dev.rvm.core.inspect;
