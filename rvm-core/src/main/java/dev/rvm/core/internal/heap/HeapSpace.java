package dev.rvm.core.internal.heap;

import dev.rvm.core.Region;
import dev.rvm.core.Transaction;

/**
 * What a structure built on a recoverable heap ({@link HashTable}) needs of it: the region, and blocks allocated
 * and freed in a transaction. {@link Heap} is one; the public heap type is adapted to it by its callers, so this
 * package does not depend on the public API built on it. Implementations are used under the caller's transaction;
 * thread-safety is the heap's.
 */
public interface HeapSpace {
    /** The region holding the heap. */
    Region region();

    /** Allocates a block of at least {@code size} bytes in {@code tx}; returns its address. */
    long allocate(Transaction tx, long size);

    /** Frees the block at {@code address} in {@code tx}. */
    void free(Transaction tx, long address);

    /** The bytes usable in the block at {@code address}. */
    long usableSize(long address);

    /** The arena the transaction's allocations go to, stable for the transaction's thread. */
    int homeArena(Transaction tx);
}
