package dev.rvm.core.internal.heap;

import static dev.rvm.core.internal.heap.HeapFormat.ALIGN;
import static dev.rvm.core.internal.heap.HeapFormat.BLOCK_HEADER;
import static dev.rvm.core.internal.heap.HeapFormat.HEADER_SIZE;
import static dev.rvm.core.internal.heap.HeapFormat.MAGIC;
import static dev.rvm.core.internal.heap.HeapFormat.MIN_ARENA;
import static dev.rvm.core.internal.heap.HeapFormat.ROOTS;
import static dev.rvm.core.internal.heap.HeapFormat.ROOTS_AT;
import static dev.rvm.core.internal.heap.HeapFormat.TAG_USED;
import static dev.rvm.core.internal.heap.HeapFormat.VERSION;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import dev.rvm.core.heap.HeapCheck;
import dev.rvm.core.heap.HeapStatistics;

/**
 * The heap behind {@code dev.rvm.core.heap.RecoverableHeap}: the header, the arenas and the choice of arena per
 * transaction. Arguments are checked here, so the public class only delegates.
 *
 * <p>Thread-safe: arenas are held through range locks of the calling transaction, chosen with {@link Claims}.
 */
public final class Heap implements HeapSpace {
    private final Region r;
    private final Arena[] arenas;
    private final long firstArena;
    private final long arenaSize;
    private final Claims claims;

    private Heap(Region region, int count, long firstArena, long arenaSize) {
        this.r = region;
        this.firstArena = firstArena;
        this.arenaSize = arenaSize;
        this.arenas = new Arena[count];
        for (int i = 0; i < count; i++) {
            arenas[i] = new Arena(region, i, firstArena + i * arenaSize, arenaSize);
        }
        this.claims = new Claims(count);
    }

    /** Writes an empty heap of {@code count} arenas over the whole region, in {@code tx}. */
    public static Heap format(Transaction tx, Region region, int count) {
        if (count < 1 || count > HeapFormat.MAX_ARENAS) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "arena count must be 1.." + HeapFormat.MAX_ARENAS
                    + ", got " + count);
        }
        long arenaSize = ((region.length() - HEADER_SIZE) / count) & -ALIGN;
        if (arenaSize < MIN_ARENA) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "region " + region + " of " + region.length()
                    + " bytes is too small for a heap of " + count + " arena(s): each needs at least " + MIN_ARENA);
        }
        tx.setRange(region, 0, HEADER_SIZE);
        region.put(0, new byte[HEADER_SIZE], 0, HEADER_SIZE);
        region.putLong(0, MAGIC);
        region.putInt(8, VERSION);
        region.putInt(12, count);
        region.putLong(16, arenaSize);
        region.putLong(24, HEADER_SIZE);
        region.putLong(32, region.length());
        Heap h = new Heap(region, count, HEADER_SIZE, arenaSize);
        for (Arena a : h.arenas) {
            a.format(tx);
        }
        return h;
    }

    /** True if the region starts with a heap header. */
    public static boolean isFormatted(Region region) {
        return region.length() >= HEADER_SIZE && region.getLong(0) == MAGIC;
    }

    /** Opens the heap a region holds, checking its header. */
    public static Heap open(Region region) {
        if (!isFormatted(region)) {
            throw new RvmException(ErrorCode.HEAP_CORRUPT, region + " does not hold a recoverable heap (no magic)");
        }
        int version = region.getInt(8);
        int count = region.getInt(12);
        long arenaSize = region.getLong(16);
        long first = region.getLong(24);
        if (version != VERSION) {
            throw new RvmException(ErrorCode.UNSUPPORTED_VERSION, "heap in " + region + " has version " + version
                    + ", this code reads " + VERSION);
        }
        if (count < 1 || count > 64 || arenaSize < MIN_ARENA || first != HEADER_SIZE
                || first + count * arenaSize > region.length() || region.getLong(32) != region.length()) {
            throw new RvmException(ErrorCode.HEAP_CORRUPT, "heap header in " + region + " is inconsistent: "
                    + count + " arenas of " + arenaSize + " bytes from " + first + ", formatted for "
                    + region.getLong(32) + " bytes");
        }
        return new Heap(region, count, first, arenaSize);
    }

    /** The region holding the heap. */
    @Override
    public Region region() {
        return r;
    }

    /** Number of arenas. */
    public int arenaCount() {
        return arenas.length;
    }

    /** The largest payload one allocation can have (a block never spans arenas). */
    public long maxAllocation() {
        return arenas[0].capacity() - BLOCK_HEADER;
    }

    /** Allocates {@code size} payload bytes in {@code tx}; returns the payload's address. */
    @Override
    public long allocate(Transaction tx, long size) {
        if (size <= 0 || size > maxAllocation()) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "allocation of " + size + " bytes: must be 1.."
                    + maxAllocation() + " (the size of one arena) in " + r);
        }
        long block = HeapFormat.blockSize(size);
        int home = claims.pick(tx, preferred(tx));
        long got = allocateIn(tx, home, block);
        for (int k = 1; got == 0 && k < arenas.length; k++) {
            int i = (home + k) % arenas.length;
            if (arenas[i].mayFit(block)) {
                got = allocateIn(tx, i, block);
            }
        }
        if (got == 0) {
            HeapStatistics s = statistics();
            throw new RvmException(ErrorCode.HEAP_FULL, "no free block for " + size + " bytes in the heap in " + r
                    + ": " + s.freeBytes() + " bytes free, largest free block " + s.largestFreeBlock());
        }
        return got + BLOCK_HEADER;
    }

    private long allocateIn(Transaction tx, int i, long block) {
        Arena a = arenas[i];
        a.hold(tx);
        claims.held(tx, i);
        drainInto(tx, a);
        return a.allocate(tx, block);
    }

    /**
     * Frees the block whose payload starts at {@code address}, in {@code tx}. If another live transaction holds the
     * block's arena, the free is deferred instead of waiting for it (two transactions freeing into each other's
     * arenas would deadlock): it is recorded in an arena {@code tx} holds and merged by the next transaction that
     * holds the block's arena.
     */
    @Override
    public void free(Transaction tx, long address) {
        long block = address - BLOCK_HEADER;
        Arena a = arenaOf(block, "free");
        checkAllocated(block, "free");
        if (r.getLong(block + 16) == HeapFormat.DEFERRED_MARK) {
            throw notABlock(address, "free", "its free is already recorded (freed twice?)");
        }
        if (!claims.freeFor(tx, a.index())) {
            int home = claims.pick(tx, preferred(tx));
            if (home != a.index()) {
                Arena h = arenas[home];
                h.hold(tx);
                claims.held(tx, home);
                h.defer(tx, block, a.index());
                return;
            }
        }
        a.hold(tx);
        claims.held(tx, a.index());
        drainInto(tx, a);
        a.free(tx, block);
    }

    /** Merges into {@code a} (held by {@code tx}) the frees other arenas deferred for it, where nobody holds them. */
    private void drainInto(Transaction tx, Arena a) {
        for (Arena other : arenas) {
            if (other != a && r.getLong(other.deferredSlot(a.index())) != 0 && claims.freeFor(tx, other.index())) {
                a.drain(tx, other);
            }
        }
    }

    private int preferred(Transaction tx) {
        return Math.floorMod(Long.hashCode(tx.id()), arenas.length);
    }

    /** Payload bytes of the allocated block at {@code address} (at least what was asked for). */
    @Override
    public long usableSize(long address) {
        long block = address - BLOCK_HEADER;
        arenaOf(block, "usableSize");
        return HeapFormat.size(checkAllocated(block, "usableSize")) - BLOCK_HEADER;
    }

    private Arena arenaOf(long block, String op) {
        long i = block < firstArena ? -1 : (block - firstArena) / arenaSize;
        if (i < 0 || i >= arenas.length || !arenas[(int) i].contains(block)) {
            throw notABlock(block + BLOCK_HEADER, op, "outside every arena's blocks or misaligned");
        }
        return arenas[(int) i];
    }

    private long checkAllocated(long block, String op) {
        long h = r.getLong(block);
        if (HeapFormat.tag(h) != TAG_USED) {
            throw notABlock(block + BLOCK_HEADER, op, HeapFormat.tag(h) == HeapFormat.TAG_FREE
                    ? "the block is free (freed twice?)" : "no block starts there");
        }
        return h;
    }

    private RvmException notABlock(long address, String op, String why) {
        return new RvmException(ErrorCode.ILLEGAL_ARGUMENT, op + "(" + address + "): not an allocated block of the"
                + " heap in " + r + ": " + why);
    }

    /** Root slot {@code slot}: an address the application finds its structures by. */
    public long root(int slot) {
        return r.getLong(rootAt(slot));
    }

    /** Sets root slot {@code slot} in {@code tx}. */
    public void setRoot(Transaction tx, int slot, long address) {
        long at = rootAt(slot);
        tx.setRange(r, at, 8);
        r.putLong(at, address);
    }

    private static long rootAt(int slot) {
        if (slot < 0 || slot >= ROOTS) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "root slot " + slot + ": must be 0.." + (ROOTS - 1));
        }
        return ROOTS_AT + 8L * slot;
    }

    /** The arena a transaction would allocate in now, so structures can stripe their own counters alike. */
    @Override
    public int homeArena(Transaction tx) {
        return claims.pick(tx, preferred(tx));
    }

    /** A snapshot of the space figures. */
    public HeapStatistics statistics() {
        long cap = 0;
        long used = 0;
        long blocks = 0;
        long largest = 0;
        for (Arena a : arenas) {
            cap += a.capacity();
            used += a.bytesInUse();
            blocks += a.blocksInUse();
            largest = Math.max(largest, a.largestFree());
        }
        return new HeapStatistics(cap, used, blocks, cap - used, largest, arenas.length);
    }

    /** Walks every block; run while the heap is quiescent. */
    public HeapCheck check() {
        return new HeapChecker(r).check(arenas);
    }
}
