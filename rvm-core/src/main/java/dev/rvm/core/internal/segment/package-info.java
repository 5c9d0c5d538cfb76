/**
 * Segment files: naming rules, the header that binds a segment to its store, and positional I/O through the
 * storage seam. Segment files change only through recovery and truncation, never through mapped memory.
 */
package dev.rvm.core.internal.segment;
