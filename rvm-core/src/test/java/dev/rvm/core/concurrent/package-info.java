/** Concurrency tests of the core: many threads, range locks, deadlock detection and group commit. */
package dev.rvm.core.concurrent;
