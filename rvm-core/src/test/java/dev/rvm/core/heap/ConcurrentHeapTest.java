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
import java.util.concurrent.atomic.AtomicLong;
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
