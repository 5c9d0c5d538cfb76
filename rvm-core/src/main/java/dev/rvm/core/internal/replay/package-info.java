/**
 * Replaying the redo log onto segment files: the single procedure behind crash recovery and truncation.
 * Internal: not an API.
 */
package dev.rvm.core.internal.replay;
