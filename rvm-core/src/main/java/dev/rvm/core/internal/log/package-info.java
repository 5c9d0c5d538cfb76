/**
 * The redo log: its on-disk format ({@link dev.rvm.core.internal.log.LogFormat},
 * {@link dev.rvm.core.internal.log.StatusBlock}), the appender with group commit and the lazy-commit coalescer
 * ({@link dev.rvm.core.internal.log.LogWriter}), and the validating reader used by recovery, truncation and
 * tools ({@link dev.rvm.core.internal.log.LogScanner}). Internal: not an API.
 */
package dev.rvm.core.internal.log;
