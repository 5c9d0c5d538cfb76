package dev.rvm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupted application thread (a cancelled task, say) must not stop the store: a {@code FileChannel} closes
 * itself when a thread blocked in it is interrupted, and the store would then have to be reopened.
 */
class InterruptedThreadTest {
    @TempDir
    Path dir;

    private RecoverableMemory open() {
        return RecoverableMemory.open(RvmAssertions.small(dir).build());
    }

    private static void add(RecoverableMemory rvm, Region r, long amount) {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 0, 8);
        r.putLong(0, r.getLong(0) + amount);
        t.commit(CommitMode.FLUSH);
    }

    @Test
    void aCommitByAnInterruptedThreadIsDurableAndTheThreadStaysInterrupted() {
        try (RecoverableMemory rvm = open()) {
            rvm.createSegment("s", 4096);
            Region r = rvm.map("s", 0, 4096);
            Thread.currentThread().interrupt();
            add(rvm, r, 5);
            assertTrue(Thread.interrupted(), "the interrupt is the caller's, kept for it");
            assertTrue(rvm.isOpen());
            add(rvm, r, 1);
        }
        try (RecoverableMemory rvm = open()) {
            assertEquals(6, rvm.map("s", 0, 4096).getLong(0));
        }
    }

    @Test
    void interruptsArrivingDuringForcesNeverStopTheStore() throws Exception {
        int commits = 200;
        try (RecoverableMemory rvm = open()) {
            rvm.createSegment("s", 4096);
            Region r = rvm.map("s", 0, 4096);
            AtomicBoolean done = new AtomicBoolean();
            Throwable[] failure = new Throwable[1];
            Thread committer = new Thread(() -> {
                try {
                    for (int i = 0; i < commits; i++) {
                        add(rvm, r, 1);
                        Thread.interrupted(); // each commit starts clean; the interrupts must land inside calls
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                } finally {
                    done.set(true);
                }
            }, "test-committer");
            committer.start();
            long interrupts = 0;
            // An interrupt every millisecond lands inside many forces (a force takes 0.1-4 ms on this kind of disk).
            // It stops after 3 s: on a disk whose every force took longer than the interval, no call could finish.
            long next = System.nanoTime();
            long stopAt = next + 3_000_000_000L;
            while (!done.get() && next < stopAt) {
                if (System.nanoTime() >= next) {
                    committer.interrupt();
                    interrupts++;
                    next += 1_000_000;
                }
                Thread.onSpinWait();
            }
            committer.join();
            assertEquals(null, failure[0], "commit failed after " + interrupts + " interrupts: " + failure[0]
                    + (failure[0] == null ? "" : ", caused by " + failure[0].getCause()));
            assertTrue(rvm.isOpen());
            rvm.truncate();
        }
        try (RecoverableMemory rvm = open()) {
            assertEquals(commits, rvm.map("s", 0, 4096).getLong(0));
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }
}
