package dev.rvm.core.heap;

/**
 * A snapshot of a heap's space. Read without locks: while transactions allocate and free, the figures are those
 * of some interleaving of their uncommitted changes; quiescent, they are exact. Immutable.
 *
 * @param capacity bytes the heap's arenas can hold in blocks
 * @param bytesInUse bytes of allocated blocks, their headers and rounding included
 * @param blocksInUse allocated blocks
 * @param freeBytes {@code capacity - bytesInUse}
 * @param largestFreeBlock the largest free block, in bytes (a request of up to {@code largestFreeBlock - 8}
 *        payload bytes can succeed)
 * @param arenas arenas (independent allocation stripes)
 */
public record HeapStatistics(long capacity, long bytesInUse, long blocksInUse, long freeBytes,
        long largestFreeBlock, int arenas) {

    /**
     * External fragmentation, 0..1: {@code 1 - largestFreeBlock / freeBytes} over the whole heap (0 when nothing
     * is free). With several arenas a block never spans two, so this is at least {@code 1 - 1/arenas} on an
     * empty heap; compare figures of the same arena count.
     */
    public double fragmentation() {
        return freeBytes == 0 ? 0 : 1.0 - (double) largestFreeBlock / freeBytes;
    }
}
