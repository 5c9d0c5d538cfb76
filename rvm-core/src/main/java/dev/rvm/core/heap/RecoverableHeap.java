package dev.rvm.core.heap;

import dev.rvm.core.Region;
import dev.rvm.core.Transaction;
import dev.rvm.core.internal.heap.Heap;

/**
 * A recoverable heap over a region — Coda's RDS ({@code rds_malloc} / {@code rds_free}) for this RVM. Blocks are
 * allocated and freed inside the caller's transaction: the allocator's own metadata is changed through ranges the
 * transaction declares, so an allocation commits or aborts with the data written into it, and after a crash
 * recovery gives back the heap exactly as the last committed transactions left it — no block leaked, none handed
 * out twice.
 *
 * <p>Addresses are offsets in the region ({@code region().putLong(address, v)}); 0 is never an address. The
 * caller writes a block's payload through its own {@link Transaction#setRange} like any other data.
 *
 * <pre>{@code
 * Region r = rvm.map("heap", 0, size);
 * RecoverableHeap heap;
 * try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
 *     heap = RecoverableHeap.isFormatted(r) ? RecoverableHeap.open(r) : RecoverableHeap.format(tx, r, 4);
 *     long a = heap.allocate(tx, 100);
 *     tx.setRange(r, a, 100);
 *     r.putLong(a, 42);
 *     heap.setRoot(tx, 0, a);
 *     tx.commit(CommitMode.FLUSH);
 * }
 * }</pre>
 *
 * <p>Thread-safe, given range locks (the store's default): many transactions allocate at once, each in an arena no
 * other live transaction holds (see the package description). Open one instance per region and share it. With
 * range locks off the application must not run two transactions on one heap at a time.
 */
public final class RecoverableHeap {
    private final Heap heap;

    private RecoverableHeap(Heap heap) {
        this.heap = heap;
    }

    /**
     * Writes an empty heap over the whole region in {@code tx} (the header, then {@code arenas} equal arenas, each
     * one free block). More arenas let more transactions allocate at once; a block never spans two.
     *
     * @throws dev.rvm.core.RvmException {@code ILLEGAL_ARGUMENT} for an arena count outside 1..64 or a region too
     *         small for it
     */
    public static RecoverableHeap format(Transaction tx, Region region, int arenas) {
        return new RecoverableHeap(Heap.format(tx, region, arenas));
    }

    /** True if the region holds a heap (its header's magic). */
    public static boolean isFormatted(Region region) {
        return Heap.isFormatted(region);
    }

    /**
     * Opens the heap a region holds.
     *
     * @throws dev.rvm.core.RvmException {@code HEAP_CORRUPT} if it holds none or the header is inconsistent;
     *         {@code UNSUPPORTED_VERSION} for a format this code does not read
     */
    public static RecoverableHeap open(Region region) {
        return new RecoverableHeap(Heap.open(region));
    }

    /** The region holding the heap. */
    public Region region() {
        return heap.region();
    }

    /**
     * Allocates a block of at least {@code size} payload bytes in {@code tx} ({@code rds_malloc}). Its content is
     * undefined. Locks the arena it comes from until {@code tx} ends.
     *
     * @return the payload's address in the region
     * @throws dev.rvm.core.RvmException {@code ILLEGAL_ARGUMENT} for a size below 1 or above
     *         {@link #maxAllocation()}; {@code HEAP_FULL} when no free block fits (the message gives free bytes
     *         and the largest free block); {@code LOCK_TIMEOUT} / {@code DEADLOCK} as for any range
     */
    public long allocate(Transaction tx, long size) {
        return heap.allocate(tx, size);
    }

    /**
     * Frees an allocated block in {@code tx} ({@code rds_free}) and merges it with free neighbours. Locks the
     * block's arena until {@code tx} ends, or, if another live transaction holds that arena, records the free in an
     * arena {@code tx} holds, to be merged by the arena's next holder (the block counts as in use until then).
     *
     * @throws dev.rvm.core.RvmException {@code ILLEGAL_ARGUMENT} for an address that is not an allocated block
     *         (outside the heap, misaligned, or already free)
     */
    public void free(Transaction tx, long address) {
        heap.free(tx, address);
    }

    /** The payload bytes of the allocated block at {@code address}: at least the size asked for. */
    public long usableSize(long address) {
        return heap.usableSize(address);
    }

    /** The largest payload a single allocation can have (the size of one arena, less headers). */
    public long maxAllocation() {
        return heap.maxAllocation();
    }

    /** Number of arenas. */
    public int arenas() {
        return heap.arenaCount();
    }

    /** Root slot {@code slot} (0..15): an address kept in the heap's header, to find structures again. */
    public long root(int slot) {
        return heap.root(slot);
    }

    /** Sets root slot {@code slot} (0..15) in {@code tx}. */
    public void setRoot(Transaction tx, int slot, long address) {
        heap.setRoot(tx, slot, address);
    }

    /** The arena {@code tx} allocates in, so that structures can stripe their own counters the same way. */
    public int homeArena(Transaction tx) {
        return heap.homeArena(tx);
    }

    /** Bytes in use and free, largest free block, fragmentation. */
    public HeapStatistics statistics() {
        return heap.statistics();
    }

    /**
     * Walks every block of every arena and compares them with the free lists and counters: no overlap, no leak,
     * free neighbours merged, counters exact. Run it while no transaction changes the heap (after recovery, say).
     */
    public HeapCheck check() {
        return heap.check();
    }
}
