package dev.rvm.core.internal.heap;

/**
 * The on-region layout of a recoverable heap, specified once (docs/HEAP.md describes it for users).
 *
 * <pre>
 * heap header, at region offset 0, {@value #HEADER_SIZE} bytes:
 *   0  magic "RVMHEAP1" (long)         8  version (int)   12 arena count (int)
 *   16 arena size (long)               24 first arena offset (long)
 *   32 region length when formatted    64 root slots, {@value #ROOTS} longs
 * arena i, at first + i * arenaSize:
 *   0  non-empty size classes (bit mask, long)   8 bytes in use   16 blocks in use   24 reserved
 *   32 free-list heads, {@value #CLASSES} longs
 *   32 + 8 * CLASSES: deferred frees, one list head per arena j (64 longs): blocks of arena j freed by a
 *      transaction holding this arena while another held j; blocks start at {@value #ARENA_HEADER}
 *   the last 16 bytes: an end sentinel header (in use, size 0), so coalescing stops at the arena's end
 * block, 16-byte aligned, size a multiple of 16, at least {@value #MIN_BLOCK}:
 *   0  header: tag (bits 48..63) | size (bits 4..47) | previous block in use (bit 1)
 *   allocated: payload from 8 to size
 *   free:      8 next free (long, 0 = none)   16 previous free   size - 8: footer = size
 * </pre>
 *
 * Addresses are offsets in the region; 0 is never a block, so it means "none". Not instantiable.
 */
public final class HeapFormat {
    /** "RVMHEAP1" in little-endian bytes. */
    public static final long MAGIC = 0x3150414548_4D5652L;
    /** Format version written by this code. */
    public static final int VERSION = 1;
    /** Bytes of the heap header. */
    public static final int HEADER_SIZE = 256;
    /** Root slots in the header. */
    public static final int ROOTS = 16;
    /** Offset of root slot 0 in the header. */
    public static final int ROOTS_AT = 64;
    /** Most arenas a heap may have (one deferred-free list per arena in each arena's header). */
    public static final int MAX_ARENAS = 64;
    /** Number of size classes (one bit each in the arena's mask). */
    public static final int CLASSES = 64;
    /** Size classes of exactly one block size: 32, 48, ..., 512 bytes. */
    public static final int EXACT_CLASSES = 31;
    /** Largest block size with a class of its own. */
    public static final int EXACT_LIMIT = 512;
    /** Bytes of an arena's header, before its first block. */
    public static final int ARENA_HEADER = 32 + CLASSES * 8 + MAX_ARENAS * 8;
    /** The end sentinel's room at an arena's end. */
    public static final int ARENA_TAIL = 16;
    /** Block alignment and size granularity. */
    public static final int ALIGN = 16;
    /** Smallest block: header, two links, footer. */
    public static final int MIN_BLOCK = 32;
    /** Bytes before a block's payload. */
    public static final int BLOCK_HEADER = 8;
    /** Smallest arena that can hold one minimal block. */
    public static final long MIN_ARENA = ARENA_HEADER + MIN_BLOCK + ARENA_TAIL;

    static final long TAG_USED = 0xB10CL;
    static final long TAG_FREE = 0xF4EEL;
    static final long TAG_END = 0x5E17L;
    static final long PREV_IN_USE = 2;
    static final long SIZE_MASK = 0x0000_FFFF_FFFF_FFF0L;

    // arena header fields
    static final int A_MASK = 0;
    static final int A_IN_USE = 8;
    static final int A_BLOCKS = 16;
    static final int A_HEADS = 32;
    static final int A_DEFERRED = A_HEADS + CLASSES * 8;
    /** Written at payload offset 8 of a block whose free is deferred: a second free of it is refused. */
    static final long DEFERRED_MARK = 0x44454645_52524544L;
    /** The arena's mask and counters: declaring this range is what "holding the arena" means. */
    static final int A_COUNTERS_LENGTH = 24;

    private HeapFormat() {
    }

    static long header(long tag, long size, boolean prevInUse) {
        return tag << 48 | size | (prevInUse ? PREV_IN_USE : 0);
    }

    static long tag(long header) {
        return header >>> 48;
    }

    static long size(long header) {
        return header & SIZE_MASK;
    }

    static boolean prevInUse(long header) {
        return (header & PREV_IN_USE) != 0;
    }

    /** The block size that holds {@code payload} bytes. */
    public static long blockSize(long payload) {
        long s = (payload + BLOCK_HEADER + ALIGN - 1) & -ALIGN;
        return Math.max(MIN_BLOCK, s);
    }

    /**
     * The size class of a block size: sizes up to {@value #EXACT_LIMIT} have a class each; above, one class per
     * power of two (class 31 holds 513..1023, class 32 1024..2047, ...).
     */
    static int sizeClass(long size) {
        if (size <= EXACT_LIMIT) {
            return (int) (size / ALIGN) - 2;
        }
        int log = 63 - Long.numberOfLeadingZeros(size);
        return Math.min(CLASSES - 1, EXACT_CLASSES + log - 9);
    }
}
