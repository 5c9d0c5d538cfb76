package dev.rvm.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.CommitMode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Statistics;
import dev.rvm.core.Transaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit: concurrent FLUSH commits share log forces. Counts forces, never times them. */
class GroupCommitTest {
    private static final int THREADS = 4;
    private static final int COMMITS_PER_THREAD = 150;

    @TempDir
    Path dir;

    @Test
    void fourThreadsOfFlushCommitsShareForces() throws Exception {
        SlowForceStorage storage = new SlowForceStorage(2);
        RvmOptions o = RvmOptions.builder(dir).logSize(8 << 20).storage(storage).build();
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            rvm.createSegment("s", 4096);
            Region r = rvm.map("s", 0, 4096);
            Statistics before = rvm.statistics();
            CyclicBarrier start = new CyclicBarrier(THREADS);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int k = 0; k < THREADS; k++) {
                long slot = k * 64L;
                Thread th = new Thread(() -> {
                    try {
                        start.await(30, TimeUnit.SECONDS);
                        for (int i = 1; i <= COMMITS_PER_THREAD; i++) {
                            Transaction t = rvm.begin(RestoreMode.RESTORE);
                            t.setRange(r, slot, 8);
                            r.putLong(slot, i);
                            t.commit(CommitMode.FLUSH);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "committer-" + k);
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join(TimeUnit.MINUTES.toMillis(2));
                assertFalse(th.isAlive(), th.getName() + " is stuck");
            }
            assertTrue(failures.isEmpty(), "failures: " + failures);
            Statistics after = rvm.statistics();
            long commits = after.commitsFlush() - before.commitsFlush();
            long forces = after.forces() - before.forces();
            assertEquals((long) THREADS * COMMITS_PER_THREAD, commits);
            double ratio = (double) forces / commits;
            System.out.printf("group commit: %d commits, %d forces, %.3f forces per commit%n", commits, forces, ratio);
            assertTrue(ratio < 0.6, "forces per commit " + ratio + " (" + forces + " / " + commits + ")");
            assertTrue(storage.forces() >= forces, "the engine counted forces the storage never saw");
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmOptions.builder(dir).build())) {
            Region r = rvm.map("s", 0, 4096);
            for (int k = 0; k < THREADS; k++) {
                assertEquals(COMMITS_PER_THREAD, r.getLong(k * 64L), "thread " + k);
            }
        }
    }
}
