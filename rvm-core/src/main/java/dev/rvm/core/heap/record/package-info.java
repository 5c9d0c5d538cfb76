/**
 * Fixed-layout records: a {@link dev.rvm.core.heap.record.RecordLayout} describes fields once (name, type,
 * computed offset); each {@link dev.rvm.core.heap.record.Field} reads and writes its bytes, and its setters
 * declare exactly those bytes in the caller's transaction. Immutable, thread-safe descriptors.
 */
package dev.rvm.core.heap.record;
