/**
 * A recoverable heap over a region: {@link dev.rvm.core.heap.RecoverableHeap} allocates and frees blocks inside
 * the caller's transaction, as Coda's RDS does over RVM. Typed structures built on it live in
 * {@code dev.rvm.core.heap.record} (fixed-layout records) and {@code dev.rvm.core.heap.map} (a hash map).
 *
 * <p><b>Atomicity.</b> The allocator keeps all its metadata in the region — free-list heads, block headers and
 * footers, counters — and changes it only through ranges declared in the caller's {@link dev.rvm.core.Transaction}.
 * An allocation therefore commits, aborts and recovers together with the data written into the block; after a
 * crash the heap is exactly as the committed transactions left it. {@link dev.rvm.core.heap.RecoverableHeap#check()}
 * proves it in the tests after every simulated crash.
 *
 * <p><b>Concurrency: no global lock per call.</b> The heap is split into arenas, each with its own size-class
 * lists and counters. A transaction <em>holds</em> an arena by declaring the arena's counter range, which takes an
 * RVM range lock until it commits or aborts; only the holder changes that arena. Each transaction allocates in one
 * arena: one it already holds, else one no live transaction holds (an in-memory hint per arena says who holds it;
 * the lock, not the hint, is what excludes), else it queues on its preferred arena. So up to as many transactions
 * as there are arenas allocate at once without waiting for one another. Freeing a block locks the block's own
 * arena when no other live transaction holds it; when one does, the free is deferred instead of waited for: it is
 * recorded in an arena the freeing transaction holds and merged by the next transaction holding the block's arena
 * (waiting would let two transactions freeing into each other's arenas deadlock). The hints need no lock; the
 * lock manager's own mutex is per segment and held only for the lock call.
 *
 * <p><b>Allocation.</b> Blocks are 16-byte aligned with an 8-byte header (payload addresses are 8-aligned).
 * Sizes up to 512 bytes have a class each (exact fit, constant time); above, one class per power of two with a
 * bounded first-fit scan, then the smallest larger non-empty class is split. A freed block is merged at once with
 * free neighbours through boundary tags. The format is in {@code docs/HEAP.md}.
 *
 * <p>Errors: {@code HEAP_FULL} when nothing fits, {@code ILLEGAL_ARGUMENT} for a bad size or address (a double
 * free included), {@code HEAP_CORRUPT} for a region holding no heap or damaged metadata.
 */
package dev.rvm.core.heap;
