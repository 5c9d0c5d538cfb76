package dev.rvm.core.heap;

import static dev.rvm.core.RvmAssertions.assertRvm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmAssertions;
import dev.rvm.core.Transaction;
import dev.rvm.core.heap.map.Codec;
import dev.rvm.core.heap.map.Codecs;
import dev.rvm.core.heap.map.RecoverableHashMap;
import dev.rvm.core.testing.ManualExecutor;
import dev.rvm.core.testing.SimulatedStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hash map: codecs, get/put/remove/iteration, abort, reopen, incremental growth, the model workload. */
class RecoverableHashMapTest {
    private static final long SIZE = 4L << 20;

    @TempDir
    Path dir;

    private RecoverableMemory rvm;
    private Region r;
    private RecoverableHeap heap;

    @BeforeEach
    void open() {
        rvm = RecoverableMemory.open(RvmAssertions.small(dir).logSize(8 << 20).build());
        heap = HeapWorkload.formatted(rvm, SIZE, 4);
        r = heap.region();
    }

    @AfterEach
    void close() {
        rvm.close();
    }

    /** A user codec: a point as two ints. */
    private record Point(int x, int y) {
    }

    private static final Codec<Point> POINT = Codecs.of(
            p -> Codecs.LONG.encode((long) p.x() << 32 | (p.y() & 0xFFFF_FFFFL)),
            b -> {
                long v = Codecs.LONG.decode(b);
                return new Point((int) (v >>> 32), (int) v);
            });

    @Test
    void putGetRemoveAndIterationWithEachCodec() {
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            RecoverableHashMap<String, Long> byName = RecoverableHashMap.create(tx, heap, Codecs.STRING, Codecs.LONG);
            RecoverableHashMap<Long, byte[]> byId = RecoverableHashMap.create(tx, heap, Codecs.LONG, Codecs.BYTES);
            RecoverableHashMap<Point, String> byPoint = RecoverableHashMap.create(tx, heap, POINT, Codecs.STRING);
            assertTrue(byName.put(tx, "alice", 100L));
            assertFalse(byName.put(tx, "alice", 150L), "a second put of a key replaces it");
            assertTrue(byName.put(tx, "bob", -5L));
            assertTrue(byName.put(tx, "ünïcødé ключ", 7L));
            assertEquals(150L, byName.get(tx, "alice"));
            assertEquals(7L, byName.get(tx, "ünïcødé ключ"));
            assertNull(byName.get(tx, "carol"));
            assertTrue(byName.remove(tx, "bob"));
            assertFalse(byName.remove(tx, "bob"));
            assertEquals(2, byName.size());
            byId.put(tx, 1L, new byte[0]);
            byId.put(tx, Long.MIN_VALUE, new byte[5000]);
            assertArrayEquals(new byte[0], byId.get(tx, 1L));
            assertEquals(5000, byId.get(tx, Long.MIN_VALUE).length);
            byPoint.put(tx, new Point(-1, 2), "there");
            assertEquals("there", byPoint.get(tx, new Point(-1, 2)));
            assertNull(byPoint.get(tx, new Point(2, -1)));
            Map<String, Long> seen = new HashMap<>();
            byName.forEach(tx, seen::put);
            assertEquals(Map.of("alice", 150L, "ünïcødé ключ", 7L), seen);
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> byName.put(tx, null, 1L));
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> byName.put(tx, "x", null));
            assertRvm(ErrorCode.NO_TRANSACTION, () -> byName.put(null, "x", 1L));
            tx.commit(CommitMode.FLUSH);
        }
        assertTrue(heap.check().consistent());
    }

    @Test
    void anAbortedPutLeavesTheMapAndHeapAsTheyWere() {
        RecoverableHashMap<String, String> m;
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            m = RecoverableHashMap.create(tx, heap, Codecs.STRING, Codecs.STRING, 1024);
            for (int i = 0; i < 30; i++) {
                m.put(tx, "k" + i, "v" + i);
            }
            tx.commit(CommitMode.FLUSH);
        }
        HeapStatistics before = heap.statistics();
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            for (int i = 0; i < 200; i++) {
                m.put(tx, "k" + i, "changed " + i); // past 32 entries: splits happen, then are undone
            }
            m.remove(tx, "k3");
            tx.abort();
        }
        assertEquals(before, heap.statistics());
        assertEquals(30, m.size());
        assertEquals(32, m.buckets());
        for (int i = 0; i < 30; i++) {
            assertEquals("v" + i, m.get(null, "k" + i));
        }
        assertTrue(heap.check().consistent());
    }

    @Test
    void theMapIsFoundAgainThroughAHeapRootAfterReopen() {
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            RecoverableHashMap<String, Long> m = RecoverableHashMap.create(tx, heap, Codecs.STRING, Codecs.LONG);
            heap.setRoot(tx, 0, m.address());
            for (long i = 0; i < 3000; i++) {
                m.put(tx, "account-" + i, i * 10);
            }
            tx.commit(CommitMode.NO_FLUSH);
        }
        rvm.close();
        rvm = RecoverableMemory.open(RvmAssertions.small(dir).build());
        r = rvm.map(HeapWorkload.SEGMENT, 0, SIZE);
        heap = RecoverableHeap.open(r);
        RecoverableHashMap<String, Long> m = RecoverableHashMap.open(heap, heap.root(0), Codecs.STRING, Codecs.LONG);
        assertEquals(3000, m.size());
        for (long i = 0; i < 3000; i++) {
            assertEquals(i * 10, m.get(null, "account-" + i));
        }
        assertRvm(ErrorCode.HEAP_CORRUPT, () -> RecoverableHashMap.open(heap, heap.root(0) + 8, Codecs.STRING,
                Codecs.LONG));
    }

    /**
     * A branch rebuilt in doubt after a crash locks only the bytes it wrote (an entry's value), not the bucket a live
     * transaction also held. A read for update must still wait for it and then see its outcome: reading the value
     * under the bucket lock alone and writing after the branch committed would lose the branch's update.
     */
    @Test
    void aReadForUpdateWaitsForABranchInDoubtAfterACrashAndSeesItsCommit() throws Exception {
        RecoverableHashMap<String, Long> m;
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            m = RecoverableHashMap.create(tx, heap, Codecs.STRING, Codecs.LONG);
            heap.setRoot(tx, 0, m.address());
            m.put(tx, "alice", 100L);
            tx.commit(CommitMode.FLUSH);
        }
        BranchId branch = BranchId.of(new byte[] {7});
        Transaction prepared = rvm.begin(RestoreMode.RESTORE);
        m.put(prepared, "alice", m.getForUpdate(prepared, "alice") - 58);
        prepared.prepare(branch);
        rvm.close(); // as a crash would: the branch is in doubt when the store opens again
        rvm = RecoverableMemory.open(RvmAssertions.small(dir).lockTimeout(Duration.ofSeconds(20)).build());
        r = rvm.map(HeapWorkload.SEGMENT, 0, SIZE);
        heap = RecoverableHeap.open(r);
        RecoverableHashMap<String, Long> again = RecoverableHashMap.open(heap, heap.root(0), Codecs.STRING,
                Codecs.LONG);
        assertEquals(List.of(branch), rvm.inDoubt());

        CompletableFuture<Long> read = new CompletableFuture<>();
        Thread writer = new Thread(() -> {
            try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
                long seen = again.getForUpdate(tx, "alice");
                read.complete(seen);
                again.put(tx, "alice", seen - 10);
                tx.commit(CommitMode.FLUSH);
            } catch (RuntimeException e) {
                read.completeExceptionally(e);
            }
        });
        long waitsBefore = rvm.statistics().lockWaits();
        writer.start();
        // The writer must be waiting for the branch's lock before the branch commits, or this proves nothing.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (rvm.statistics().lockWaits() == waitsBefore) {
            assertFalse(read.isDone(), "the read for update did not wait for the branch in doubt");
            assertTrue(System.nanoTime() < deadline, "the writer never waited for the branch's lock");
            Thread.sleep(5);
        }
        rvm.commitPrepared(branch);
        writer.join(20_000);
        assertEquals(42L, read.get(), "the read for update saw the value from before the branch's commit");
        assertEquals(32L, again.get(null, "alice"), "the branch's update was lost");
    }

    /**
     * Growth is incremental: while the map grows from 32 to over 8,000 buckets, no single insert (each its own
     * FLUSH transaction) logs more than a small bound — a stop-the-world rehash would log the whole table once.
     */
    @Test
    void growingTenThousandEntriesNeverRehashesTheWholeMapInOneCall() {
        RecoverableHashMap<Long, Long> m;
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            m = RecoverableHashMap.create(tx, heap, Codecs.LONG, Codecs.LONG, 16_384);
            tx.commit(CommitMode.FLUSH);
        }
        long worst = 0;
        for (long i = 0; i < 10_000; i++) {
            long before = rvm.statistics().bytesLogged();
            try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
                m.put(tx, i, -i);
                tx.commit(CommitMode.FLUSH);
            }
            worst = Math.max(worst, rvm.statistics().bytesLogged() - before);
        }
        assertTrue(m.buckets() >= 8192, "buckets: " + m.buckets());
        // One insert: entry, bucket heads, links, heap metadata, two splits and at most one new 1 KiB segment.
        assertTrue(worst < 2500, "the largest insert logged " + worst + " bytes");
        for (long i = 0; i < 10_000; i++) {
            assertEquals(-i, m.get(null, i));
        }
        assertTrue(heap.check().consistent());
    }

    @Test
    void randomWorkloadAgreesWithTheHashMapAndBlockModelsAcrossReopens() {
        SimulatedStorage storage = new SimulatedStorage();
        ManualExecutor executor = new ManualExecutor();
        HeapWorkload w = new HeapWorkload(99, 4000, 700);
        RecoverableMemory store = RecoverableMemory.open(HeapWorkload.options(storage, executor));
        HeapModel.Structures s = HeapWorkload.setUp(store, 512 * 1024, 3, 4096);
        w.run(store, s, executor);
        store.close();
        try (RecoverableMemory again = RecoverableMemory.open(HeapWorkload.options(storage, executor))) {
            HeapModel.Structures t = HeapModel.Structures.open(again.map(HeapWorkload.SEGMENT, 0, 512 * 1024));
            assertEquals(List.of(), HeapModel.problems(t, List.of(w.last())));
            assertTrue(t.map().buckets() > 400, "the map split: " + t.map().buckets() + " buckets");
            assertTrue(w.last().map().size() > 400, "entries " + w.last().map().size());
        }
    }

    @Test
    void valuesGrowingAndShrinkingInPlaceOrMoved() {
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            RecoverableHashMap<String, String> m = RecoverableHashMap.create(tx, heap, Codecs.STRING, Codecs.STRING);
            String big = "x".repeat(3000);
            m.put(tx, "k", "small");
            m.put(tx, "k", big);
            assertEquals(big, m.get(tx, "k"));
            m.put(tx, "k", "");
            assertEquals("", m.get(tx, "k"));
            m.put(tx, "k", new String(new byte[] {(byte) 0xC3, (byte) 0xA9}, StandardCharsets.UTF_8));
            assertEquals("é", m.get(tx, "k"));
            assertEquals(1, m.size());
            tx.commit(CommitMode.FLUSH);
        }
        HeapCheck c = heap.check();
        assertTrue(c.consistent(), c.problems().toString());
    }
}
