package dev.rvm.core.heap;

import java.util.List;

/**
 * The result of {@link RecoverableHeap#check()}: a walk of every block of every arena compared with the free lists
 * and counters. Immutable.
 *
 * @param problems what is inconsistent, first ones (empty when the heap is consistent)
 * @param blocksInUse allocated blocks found by the walk
 * @param bytesInUse bytes of allocated blocks found by the walk
 * @param freeBlocks free blocks found by the walk
 * @param freeBytes bytes of free blocks found by the walk
 * @param deferredBlocks blocks among those in use whose free is recorded but not yet merged into their arena (a
 *        free made while another transaction held the arena; the next holder of the arena merges them)
 */
public record HeapCheck(List<String> problems, long blocksInUse, long bytesInUse, long freeBlocks, long freeBytes,
        long deferredBlocks) {

    /** Copies the problem list. */
    public HeapCheck {
        problems = List.copyOf(problems);
    }

    /** True when no problem was found. */
    public boolean consistent() {
        return problems.isEmpty();
    }
}
