package dev.rvm.core.internal.heap;

import static dev.rvm.core.internal.heap.HeapFormat.CLASSES;
import static dev.rvm.core.internal.heap.HeapFormat.DEFERRED_MARK;
import static dev.rvm.core.internal.heap.HeapFormat.MIN_BLOCK;
import static dev.rvm.core.internal.heap.HeapFormat.TAG_END;
import static dev.rvm.core.internal.heap.HeapFormat.TAG_FREE;
import static dev.rvm.core.internal.heap.HeapFormat.TAG_USED;
import static dev.rvm.core.internal.heap.HeapFormat.prevInUse;
import static dev.rvm.core.internal.heap.HeapFormat.size;
import static dev.rvm.core.internal.heap.HeapFormat.sizeClass;
import static dev.rvm.core.internal.heap.HeapFormat.tag;

import dev.rvm.core.Region;
import dev.rvm.core.heap.HeapCheck;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Walks a quiescent heap and reports every inconsistency between its blocks, free lists and counters: the
 * judge of the crash tests ("the heap's free space is consistent"). Not thread-safe: run it while no transaction
 * changes the heap. Stateless apart from one walk.
 */
final class HeapChecker {
    private static final int MAX_PROBLEMS = 20;

    private final Region r;
    private final List<String> problems = new ArrayList<>();
    private long usedBlocks;
    private long usedBytes;
    private long freeBlocks;
    private long freeBytes;
    private long deferred;

    HeapChecker(Region region) {
        this.r = region;
    }

    HeapCheck check(Arena[] arenas) {
        for (Arena a : arenas) {
            checkArena(a);
        }
        checkDeferred(arenas);
        return new HeapCheck(problems, usedBlocks, usedBytes, freeBlocks, freeBytes, deferred);
    }

    /** Every deferred free: a block in use of its target arena, marked, listed once. */
    private void checkDeferred(Arena[] arenas) {
        Set<Long> seen = new HashSet<>();
        for (Arena from : arenas) {
            for (Arena to : arenas) {
                int steps = 0;
                for (long b = r.getLong(from.deferredSlot(to.index())); b != 0; b = r.getLong(b + 8)) {
                    if (!to.contains(b) || tag(r.getLong(b)) != TAG_USED || r.getLong(b + 16) != DEFERRED_MARK
                            || !seen.add(b) || steps++ > 10_000_000) {
                        problem(from, "deferred free " + b + " for arena " + to.index()
                                + " is not a marked block in use of that arena, or is listed twice");
                        return;
                    }
                    deferred++;
                }
            }
        }
    }

    private void problem(Arena a, String what) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add("arena " + a.index() + ": " + what);
        }
    }

    private void checkArena(Arena a) {
        Set<Long> freeByWalk = new HashSet<>();
        long used = 0;
        long blocks = 0;
        boolean prevUsed = true;
        boolean prevFree = false;
        long b = a.first();
        while (b < a.sentinel()) {
            long h = r.getLong(b);
            long size = size(h);
            if (size < MIN_BLOCK || b + size > a.sentinel()) {
                problem(a, "block " + b + " has size " + size + " (header " + Long.toHexString(h) + ")");
                return;
            }
            if (prevInUse(h) != prevUsed) {
                problem(a, "block " + b + " says previous in use = " + prevInUse(h) + ", it is " + prevUsed);
            }
            long t = tag(h);
            if (t == TAG_USED) {
                used += size;
                blocks++;
                prevFree = false;
            } else if (t == TAG_FREE) {
                if (prevFree) {
                    problem(a, "free block " + b + " follows a free block: not coalesced");
                }
                if (r.getLong(b + size - 8) != size) {
                    problem(a, "free block " + b + " has footer " + r.getLong(b + size - 8) + ", size " + size);
                }
                freeByWalk.add(b);
                freeBlocks++;
                freeBytes += size;
                prevFree = true;
            } else {
                problem(a, "block " + b + " has tag " + Long.toHexString(t));
                return;
            }
            prevUsed = t == TAG_USED;
            b += size;
        }
        long end = r.getLong(a.sentinel());
        if (tag(end) != TAG_END || prevInUse(end) != prevUsed) {
            problem(a, "end sentinel is " + Long.toHexString(end) + " (previous in use: " + prevUsed + ")");
        }
        usedBlocks += blocks;
        usedBytes += used;
        if (a.bytesInUse() != used || a.blocksInUse() != blocks) {
            problem(a, "counters say " + a.bytesInUse() + " bytes in " + a.blocksInUse() + " blocks, the walk found "
                    + used + " in " + blocks);
        }
        checkLists(a, freeByWalk);
    }

    private void checkLists(Arena a, Set<Long> freeByWalk) {
        Set<Long> listed = new HashSet<>();
        long mask = a.mask();
        for (int c = 0; c < CLASSES; c++) {
            long head = a.head(c);
            if ((head != 0) != ((mask & 1L << c) != 0)) {
                problem(a, "class " + c + ": head " + head + " disagrees with the mask bit");
            }
            long prev = 0;
            for (long b = head; b != 0; b = r.getLong(b + 8)) {
                if (!freeByWalk.contains(b) || !listed.add(b)) {
                    problem(a, "class " + c + " lists " + b + ", which is not a free block or is listed twice");
                    return;
                }
                if (sizeClass(size(r.getLong(b))) != c) {
                    problem(a, "class " + c + " lists block " + b + " of size " + size(r.getLong(b)));
                }
                if (r.getLong(b + 16) != prev) {
                    problem(a, "block " + b + " has back link " + r.getLong(b + 16) + ", expected " + prev);
                }
                prev = b;
            }
        }
        if (listed.size() != freeByWalk.size()) {
            Set<Long> lost = new HashSet<>(freeByWalk);
            lost.removeAll(listed);
            problem(a, lost.size() + " free block(s) on no list (leaked), e.g. " + lost.iterator().next());
        }
    }
}
