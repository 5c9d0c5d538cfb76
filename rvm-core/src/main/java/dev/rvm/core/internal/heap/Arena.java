package dev.rvm.core.internal.heap;

import static dev.rvm.core.internal.heap.HeapFormat.ALIGN;
import static dev.rvm.core.internal.heap.HeapFormat.ARENA_HEADER;
import static dev.rvm.core.internal.heap.HeapFormat.ARENA_TAIL;
import static dev.rvm.core.internal.heap.HeapFormat.A_BLOCKS;
import static dev.rvm.core.internal.heap.HeapFormat.A_COUNTERS_LENGTH;
import static dev.rvm.core.internal.heap.HeapFormat.A_DEFERRED;
import static dev.rvm.core.internal.heap.HeapFormat.A_HEADS;
import static dev.rvm.core.internal.heap.HeapFormat.A_IN_USE;
import static dev.rvm.core.internal.heap.HeapFormat.A_MASK;
import static dev.rvm.core.internal.heap.HeapFormat.CLASSES;
import static dev.rvm.core.internal.heap.HeapFormat.DEFERRED_MARK;
import static dev.rvm.core.internal.heap.HeapFormat.EXACT_CLASSES;
import static dev.rvm.core.internal.heap.HeapFormat.MIN_BLOCK;
import static dev.rvm.core.internal.heap.HeapFormat.TAG_END;
import static dev.rvm.core.internal.heap.HeapFormat.TAG_FREE;
import static dev.rvm.core.internal.heap.HeapFormat.TAG_USED;
import static dev.rvm.core.internal.heap.HeapFormat.header;
import static dev.rvm.core.internal.heap.HeapFormat.prevInUse;
import static dev.rvm.core.internal.heap.HeapFormat.size;
import static dev.rvm.core.internal.heap.HeapFormat.sizeClass;
import static dev.rvm.core.internal.heap.HeapFormat.tag;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;

/**
 * One arena of a heap: segregated free lists (one per size class) over a run of blocks with boundary tags, so a
 * freed block is merged with free neighbours at once, as RDS does. Every change of its metadata is declared in the
 * caller's transaction first ({@link #write}), so it commits, aborts and recovers with the data.
 *
 * <p>Not thread-safe by itself: callers first {@link #hold} the arena, which locks its counters range for the
 * transaction until it ends (RVM range locks); only the holder then reads and changes the arena's lists.
 */
public final class Arena {
    /** Blocks of one non-exact class looked at for a first fit before a larger class is split. */
    private static final int FIRST_FIT_SCAN = 16;

    private final Region r;
    private final int index;
    private final long base;
    private final long first;
    private final long sentinel;

    Arena(Region region, int index, long base, long size) {
        this.r = region;
        this.index = index;
        this.base = base;
        this.first = base + ARENA_HEADER;
        this.sentinel = base + size - ARENA_TAIL;
    }

    /** Writes an empty arena: one free block spanning it and the end sentinel. */
    void format(Transaction tx) {
        tx.setRange(r, base, ARENA_HEADER);
        r.put(base, new byte[ARENA_HEADER], 0, ARENA_HEADER);
        long cap = capacity();
        write(tx, sentinel, header(TAG_END, 0, false));
        insert(tx, first, cap, true);
    }

    int index() {
        return index;
    }

    long first() {
        return first;
    }

    long sentinel() {
        return sentinel;
    }

    /** Bytes of blocks the arena can hold (its size minus header and sentinel). */
    long capacity() {
        return sentinel - first;
    }

    boolean contains(long block) {
        return block >= first && block < sentinel && (block - first) % ALIGN == 0;
    }

    /** Locks this arena for {@code tx} until it ends: every change of the arena goes through this range. */
    void hold(Transaction tx) {
        tx.setRange(r, base, A_COUNTERS_LENGTH);
    }

    long mask() {
        return r.getLong(base + A_MASK);
    }

    long bytesInUse() {
        return r.getLong(base + A_IN_USE);
    }

    long blocksInUse() {
        return r.getLong(base + A_BLOCKS);
    }

    long head(int cls) {
        return r.getLong(base + A_HEADS + 8L * cls);
    }

    /** True if the arena's lists may hold a block of {@code size} (read without the lock: a hint). */
    boolean mayFit(long size) {
        return (mask() & (-1L << sizeClass(size))) != 0;
    }

    /**
     * Allocates a block of exactly {@code size} bytes (a valid block size) or a little more when the rest would be
     * too small to be a block. The arena must be held by {@code tx}.
     *
     * @return the block's address, or 0 if no free block fits
     */
    long allocate(Transaction tx, long size) {
        int cls = sizeClass(size);
        long mask = mask();
        long block = 0;
        int from = cls;
        if (cls >= EXACT_CLASSES && (mask & (1L << cls)) != 0) {
            block = firstFit(cls, size);
        }
        if (block == 0) {
            long higher = cls >= EXACT_CLASSES ? (cls + 1 < CLASSES ? mask & (-1L << (cls + 1)) : 0)
                    : mask & (-1L << cls);
            if (higher == 0) {
                return 0;
            }
            from = Long.numberOfTrailingZeros(higher);
            block = head(from);
        }
        take(tx, block, from, size);
        return block;
    }

    private long firstFit(int cls, long size) {
        long b = head(cls);
        for (int i = 0; b != 0 && i < FIRST_FIT_SCAN; i++) {
            if (size(r.getLong(b)) >= size) {
                return b;
            }
            b = r.getLong(b + 8);
        }
        return 0;
    }

    private void take(Transaction tx, long block, int cls, long size) {
        long h = r.getLong(block);
        long have = size(h);
        unlink(tx, block, cls);
        long used = have;
        if (have - size >= MIN_BLOCK) {
            used = size;
            insert(tx, block + size, have - size, true);
        } else {
            setPrevInUse(tx, block + have, true);
        }
        write(tx, block, header(TAG_USED, used, prevInUse(h)));
        write(tx, base + A_IN_USE, bytesInUse() + used);
        write(tx, base + A_BLOCKS, blocksInUse() + 1);
    }

    /**
     * Frees an allocated block of this arena (validated by the caller) and merges it with free neighbours. The
     * arena must be held by {@code tx}.
     */
    void free(Transaction tx, long block) {
        long h = r.getLong(block);
        long size = size(h);
        long start = block;
        long merged = size;
        boolean prevUsed = prevInUse(h);
        long next = block + size;
        long nh = r.getLong(next);
        if (tag(nh) == TAG_FREE) {
            unlink(tx, next, sizeClass(size(nh)));
            merged += size(nh);
        }
        if (!prevUsed) {
            long prevSize = r.getLong(block - 8);
            long prev = block - prevSize;
            long ph = r.getLong(prev);
            if (prevSize < MIN_BLOCK || prev < first || tag(ph) != TAG_FREE || size(ph) != prevSize) {
                throw corrupt("block " + block + " says its predecessor is free, but the footer before it ("
                        + prevSize + ") leads to header " + Long.toHexString(ph));
            }
            unlink(tx, prev, sizeClass(prevSize));
            start = prev;
            merged += prevSize;
            prevUsed = prevInUse(ph);
        }
        insert(tx, start, merged, prevUsed);
        setPrevInUse(tx, start + merged, false);
        write(tx, base + A_IN_USE, bytesInUse() - size);
        write(tx, base + A_BLOCKS, blocksInUse() - 1);
    }

    private void setPrevInUse(Transaction tx, long block, boolean used) {
        long h = r.getLong(block);
        write(tx, block, header(tag(h), size(h), used));
    }

    /** Makes {@code [block, block + size)} a free block at the head of its class list. */
    private void insert(Transaction tx, long block, long size, boolean prevUsed) {
        int cls = sizeClass(size);
        long headAt = base + A_HEADS + 8L * cls;
        long old = r.getLong(headAt);
        tx.setRange(r, block, 24);
        r.putLong(block, header(TAG_FREE, size, prevUsed));
        r.putLong(block + 8, old);
        r.putLong(block + 16, 0);
        write(tx, block + size - 8, size);
        if (old != 0) {
            write(tx, old + 16, block);
        }
        write(tx, headAt, block);
        write(tx, base + A_MASK, mask() | 1L << cls);
    }

    private void unlink(Transaction tx, long block, int cls) {
        long next = r.getLong(block + 8);
        long prev = r.getLong(block + 16);
        if (prev == 0) {
            write(tx, base + A_HEADS + 8L * cls, next);
            if (next == 0) {
                write(tx, base + A_MASK, mask() & ~(1L << cls));
            }
        } else {
            write(tx, prev + 8, next);
        }
        if (next != 0) {
            write(tx, next + 16, prev);
        }
    }

    /** Where this arena keeps the head of its list of deferred frees into arena {@code target}. */
    long deferredSlot(int target) {
        return base + A_DEFERRED + 8L * target;
    }

    /**
     * Records the free of {@code block}, a block of arena {@code target} that another transaction holds, on this
     * arena's list for {@code target} (linked through the block's payload, marked so a second free is refused).
     * This arena must be held by {@code tx}; the block is merged into {@code target} later by {@link #drain}.
     */
    void defer(Transaction tx, long block, int target) {
        long slot = deferredSlot(target);
        tx.setRange(r, slot, 8);
        tx.setRange(r, block + 8, 16);
        r.putLong(block + 8, r.getLong(slot));
        r.putLong(block + 16, DEFERRED_MARK);
        r.putLong(slot, block);
    }

    /**
     * Frees into this arena (held by {@code tx}) the blocks that {@code from} deferred for it. The caller has
     * checked that no other live transaction holds {@code from}, whose holder alone pushes onto that list.
     */
    void drain(Transaction tx, Arena from) {
        long slot = from.deferredSlot(index);
        tx.setRange(r, slot, 8);
        long b = r.getLong(slot);
        r.putLong(slot, 0);
        while (b != 0) {
            long next = r.getLong(b + 8);
            free(tx, b);
            b = next;
        }
    }

    /** The largest free block, found in the highest non-empty class (read without the lock: approximate). */
    long largestFree() {
        long mask = mask();
        if (mask == 0) {
            return 0;
        }
        int cls = 63 - Long.numberOfLeadingZeros(mask);
        long best = 0;
        // Read without the lock: bounded, so a list changing under the walk cannot keep it going.
        int steps = 0;
        for (long b = head(cls); b != 0 && b >= first && b < sentinel && steps++ < 100_000; b = r.getLong(b + 8)) {
            best = Math.max(best, size(r.getLong(b)));
        }
        return best;
    }

    private void write(Transaction tx, long at, long value) {
        tx.setRange(r, at, 8);
        r.putLong(at, value);
    }

    RvmException corrupt(String what) {
        return new RvmException(ErrorCode.HEAP_CORRUPT, "arena " + index + " of the heap in " + r + ": " + what);
    }
}
