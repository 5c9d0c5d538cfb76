/**
 * The recoverable heap's allocator: its format ({@link dev.rvm.core.internal.heap.HeapFormat}), arenas with
 * size-class free lists and boundary-tag coalescing, the per-transaction choice of arena, and the consistency
 * walk. Internal: not an API; {@link dev.rvm.core.heap.RecoverableHeap} is.
 */
package dev.rvm.core.internal.heap;
