/**
 * The engine behind {@link dev.rvm.core.RecoverableMemory}: transactions, regions, two-phase branches, recovery
 * and truncation. Subpackages hold the log format and writer, segment files, range locks, region memory and
 * replay. Internal: not an API; anything here may change without notice.
 */
package dev.rvm.core.internal;
