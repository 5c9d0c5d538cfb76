package dev.rvm.core.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmAssertions;
import dev.rvm.core.RvmException;
import dev.rvm.core.Statistics;
import dev.rvm.core.Transaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four threads change one map and one heap at once (each its own keys and block slots, so the expected final state
 * is the union of four models), with aborts and retries of transactions refused as deadlocks. The final map and
 * blocks must equal the models exactly, after a reopen too, and the heap must be consistent with no leak.
 */
class ConcurrentHeapTest {
    private static final int THREADS = 4;
    private static final int TRANSACTIONS = 1500;
    private static final long SIZE = 2L << 20;

    @TempDir
    Path dir;

    @Test
    void fourThreadsOnOneMapAndHeapEndInTheUnionOfTheirModels() throws Exception {
        Map<String, String> map = new HashMap<>();
        Map<Integer, List<Long>> blocks = new HashMap<>();
        AtomicLong retries = new AtomicLong();
        Statistics st;
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(dir).logSize(16 << 20)
                .lockTimeout(Duration.ofSeconds(20)).build())) {
            HeapModel.Structures s = HeapWorkload.setUp(rvm, SIZE, 4, 1 << 14);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            List<HeapModel> finals = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int me = t;
                threads.add(new Thread(() -> {
                    try {
                        HeapModel m = run(rvm, s, me, retries);
                        synchronized (finals) {
                            finals.add(m);
                        }
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }, "heap-" + t));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), failures);
            for (HeapModel m : finals) {
                map.putAll(m.map());
                blocks.putAll(m.blocks());
            }
            HeapModel expected = new HeapModel(map, blocks);
            assertEquals(List.of(), HeapModel.problems(s, List.of(expected)));
            st = rvm.statistics();
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(dir).build())) {
            HeapModel.Structures s = HeapModel.Structures.open(rvm.map(HeapWorkload.SEGMENT, 0, SIZE));
            assertEquals(List.of(), HeapModel.problems(s, List.of(new HeapModel(map, blocks))));
            assertTrue(s.map().size() > 1000, "entries: " + s.map().size());
        }
        System.out.printf("ConcurrentHeapTest: %d entries, %d blocks, %d retries, lock waits %d, deadlocks %d%n",
                map.size(), blocks.size(), retries.get(), st.lockWaits(), st.deadlocks());
    }

    /**
     * A transaction freeing a block of an arena another live transaction holds does not wait for it: the free is
     * deferred (with a lock timeout of 1 s, waiting would fail with LOCK_TIMEOUT), the heap stays consistent with
     * the free recorded, and the next transaction holding that arena merges it.
     */
    @Test
    void aFreeIntoAnArenaAnotherTransactionHoldsIsDeferredNotWaitedFor() throws Exception {
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(dir).lockTimeout(Duration.ofSeconds(1))
                .build())) {
            RecoverableHeap heap = HeapWorkload.formatted(rvm, 256 * 1024, 2);
            long victim;
            long buddy; // allocated by the same transaction, so in the same arena
            try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
                victim = heap.allocate(tx, 100);
                buddy = heap.allocate(tx, 100);
                tx.commit(CommitMode.FLUSH);
            }
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
                    heap.free(tx, buddy); // holds the arena the victim is in
                    holding.countDown();
                    release.await();
                    tx.commit(CommitMode.FLUSH);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            holder.start();
            holding.await();
            try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
                heap.free(tx, victim);
                RvmException twice = Assertions.assertThrows(RvmException.class,
                        () -> heap.free(tx, victim));
                assertEquals(ErrorCode.ILLEGAL_ARGUMENT, twice.code());
                tx.commit(CommitMode.FLUSH);
            }
            release.countDown();
            holder.join();
            HeapCheck c = heap.check();
            assertTrue(c.consistent(), c.problems().toString());
            assertEquals(1, c.deferredBlocks(), "the free is recorded, not yet merged");
            for (int i = 0; i < 2; i++) { // one transaction per arena: one of them holds the victim's arena
                try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
                    heap.allocate(tx, 10);
                    tx.commit(CommitMode.FLUSH);
                }
            }
            c = heap.check();
            assertTrue(c.consistent(), c.problems().toString());
            assertEquals(0, c.deferredBlocks(), "the next holder of the arena merged it");
            assertEquals(2, c.blocksInUse(), "the two small blocks; victim and buddy merged back");
        }
    }

    private static HeapModel run(RecoverableMemory rvm, HeapModel.Structures s, int me, AtomicLong retries) {
        Random rnd = new Random(1000 + me);
        HeapModel m = HeapModel.empty();
        long seq = me * 1_000_000L;
        int slotsPerThread = HeapModel.SLOTS / THREADS;
        for (int i = 0; i < TRANSACTIONS; i++) {
            long txSeed = rnd.nextLong();
            boolean abort = rnd.nextInt(10) == 0;
            while (true) {
                Random ops = new Random(txSeed);
                HeapModel next = m;
                Transaction tx = rvm.begin(RestoreMode.RESTORE);
                try {
                    int n = 1 + ops.nextInt(3);
                    for (int k = 0; k < n; k++) {
                        int dice = ops.nextInt(100);
                        String key = "t" + me + "-" + ops.nextInt(600);
                        int slot = me * slotsPerThread + ops.nextInt(slotsPerThread);
                        if (dice < 60) {
                            byte[] v = new byte[ops.nextInt(60)];
                            ops.nextBytes(v);
                            s.map().put(tx, key, v);
                            next = next.put(key, v);
                        } else if (dice < 75) {
                            s.map().remove(tx, key);
                            next = next.remove(key);
                        } else if (!next.blocks().containsKey(slot)) {
                            long size = 16 + ops.nextInt(500);
                            long q = ++seq;
                            s.allocate(tx, slot, size, q);
                            next = next.allocated(slot, size, q);
                        } else {
                            s.free(tx, slot);
                            next = next.freed(slot);
                        }
                    }
                    if (abort) {
                        tx.abort();
                    } else {
                        tx.commit(ops.nextInt(8) == 0 ? CommitMode.FLUSH : CommitMode.NO_FLUSH);
                        m = next;
                    }
                    break;
                } catch (RvmException e) {
                    if (e.code() != ErrorCode.DEADLOCK && e.code() != ErrorCode.LOCK_TIMEOUT) {
                        throw e;
                    }
                    tx.abort();
                    retries.incrementAndGet();
                }
            }
        }
        return m;
    }
}
