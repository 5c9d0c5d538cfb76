package dev.rvm.core.heap;

import static dev.rvm.core.RvmAssertions.assertRvm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmAssertions;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The heap's calls, refusals, coalescing, statistics and its agreement with a model of allocated blocks. */
class RecoverableHeapTest {
    private static final long SIZE = 256 * 1024;

    @TempDir
    Path dir;

    private RecoverableMemory rvm;
    private Region r;
    private RecoverableHeap heap;

    @BeforeEach
    void open() {
        rvm = RecoverableMemory.open(RvmAssertions.small(dir).build());
        heap = HeapWorkload.formatted(rvm, SIZE, 1);
        r = heap.region();
    }

    @AfterEach
    void close() {
        if (rvm.current() != null) {
            rvm.current().close();
        }
        rvm.close();
    }

    private long allocate(long size) {
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            long a = heap.allocate(tx, size);
            tx.commit(CommitMode.NO_FLUSH);
            return a;
        }
    }

    private void free(long a) {
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            heap.free(tx, a);
            tx.commit(CommitMode.NO_FLUSH);
        }
    }

    @Test
    void freeingEveryBlockInAnyOrderCoalescesBackToOneFreeBlock() {
        HeapStatistics empty = heap.statistics();
        assertEquals(0, empty.fragmentation(), 0.0);
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            blocks.add(allocate(1 + i * 37 % 700));
        }
        assertTrue(heap.statistics().blocksInUse() == 200 && heap.check().consistent(), heap.check().toString());
        Collections.shuffle(blocks, new Random(7));
        for (int i = 0; i < blocks.size(); i++) {
            free(blocks.get(i));
            if (i == 100) {
                assertTrue(heap.statistics().fragmentation() > 0, "half freed at random leaves holes");
            }
        }
        HeapCheck c = heap.check();
        assertTrue(c.consistent(), c.problems().toString());
        assertEquals(1, c.freeBlocks(), "all free neighbours merged");
        assertEquals(empty, heap.statistics());
    }

    @Test
    void anAbortedAllocationIsUndoneAndItsBlockHandedOutAgain() {
        HeapStatistics before = heap.statistics();
        long a;
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            a = heap.allocate(tx, 100);
            tx.abort();
        }
        assertEquals(before, heap.statistics());
        assertEquals(a, allocate(100), "the same block, since the allocation never happened");
    }

    @Test
    void committedAllocationsAndRootsSurviveAReopen() {
        long a;
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            a = heap.allocate(tx, 64);
            tx.setRange(r, a, 8);
            r.putLong(a, 4242);
            heap.setRoot(tx, 3, a);
            tx.commit(CommitMode.FLUSH);
        }
        HeapStatistics s = heap.statistics();
        rvm.close();
        rvm = RecoverableMemory.open(RvmAssertions.small(dir).build());
        r = rvm.map(HeapWorkload.SEGMENT, 0, SIZE);
        assertTrue(RecoverableHeap.isFormatted(r));
        heap = RecoverableHeap.open(r);
        assertEquals(a, heap.root(3));
        assertEquals(4242, r.getLong(heap.root(3)));
        assertEquals(s, heap.statistics());
        assertTrue(heap.usableSize(a) >= 64);
    }

    @Test
    void badAddressesDoubleFreesAndBadSizesAreRefusedByName() {
        long a = allocate(40);
        free(a);
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            RvmException twice = assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> heap.free(tx, a));
            assertTrue(twice.getMessage().contains("freed twice"), twice.getMessage());
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> heap.free(tx, 3));
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> heap.free(tx, SIZE + 64));
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> heap.free(tx, a + 16));
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> heap.allocate(tx, 0));
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> heap.allocate(tx, heap.maxAllocation() + 1));
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> heap.setRoot(tx, 16, 0));
            tx.abort();
        }
        assertTrue(heap.check().consistent());
    }

    @Test
    void aFullHeapSaysHowMuchIsFreeAndTheLargestBlock() {
        List<Long> blocks = new ArrayList<>();
        RvmException full = null;
        while (full == null) {
            try {
                blocks.add(allocate(1000));
            } catch (RvmException e) {
                full = e;
            }
        }
        assertEquals(ErrorCode.HEAP_FULL, full.code());
        assertTrue(full.getMessage().contains("largest free block"), full.getMessage());
        free(blocks.get(blocks.size() / 2));
        allocate(1000);
        assertTrue(heap.check().consistent());
    }

    @Test
    void regionsWithoutAHeapOrTooSmallAreRefused() {
        rvm.createSegment("plain", 4096);
        Region plain = rvm.map("plain", 0, 4096);
        assertRvm(ErrorCode.HEAP_CORRUPT, () -> RecoverableHeap.open(plain));
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> RecoverableHeap.format(tx, plain, 64));
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> RecoverableHeap.format(tx, plain, 0));
            tx.abort();
        }
    }

    @Test
    void theCheckFindsDamagedMetadata() {
        long a = allocate(100);
        allocate(100);
        free(a);
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            tx.setRange(r, a - 8, 8);
            r.putLong(a - 8, r.getLong(a - 8) + 16); // the free block now claims 16 more bytes
            HeapCheck c = heap.check();
            assertTrue(!c.consistent(), "a damaged header must be reported");
            tx.abort();
        }
        assertTrue(heap.check().consistent());
    }

    @Test
    void randomAllocationsAndFreesAgreeWithAModelOfBlocks() {
        Random rnd = new Random(42);
        TreeMap<Long, Long> model = new TreeMap<>();
        for (int step = 0; step < 3000; step++) {
            if (model.isEmpty() || rnd.nextInt(100) < 55) {
                long size = 1 + (rnd.nextInt(10) == 0 ? rnd.nextInt(6000) : rnd.nextInt(300));
                long a;
                try {
                    a = allocate(size);
                } catch (RvmException e) {
                    assertEquals(ErrorCode.HEAP_FULL, e.code());
                    continue;
                }
                assertTrue(heap.usableSize(a) >= size);
                Long below = model.floorKey(a);
                Long above = model.ceilingKey(a);
                assertTrue(below == null || below + model.get(below) <= a - 8, "overlaps the block below");
                assertTrue(above == null || a + heap.usableSize(a) <= above - 8, "overlaps the block above");
                model.put(a, heap.usableSize(a));
            } else {
                Long a = model.keySet().stream().skip(rnd.nextInt(model.size())).findFirst().orElseThrow();
                free(a);
                model.remove(a);
            }
            if (step % 500 == 0) {
                HeapCheck c = heap.check();
                assertTrue(c.consistent(), c.problems().toString());
                assertEquals(model.size(), c.blocksInUse());
            }
        }
        assertEquals(model.size(), heap.statistics().blocksInUse());
    }
}
