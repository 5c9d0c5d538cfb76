package dev.rvm.core;

import static dev.rvm.core.RvmAssertions.assertRvm;
import static dev.rvm.core.RvmAssertions.putLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.testing.SimulatedStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What commits put in the log: commit-time values, coalescing, truncation, wrap-around, a full log, huge records. */
class CommitLogTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "coalescing={0}")
    @ValueSource(booleans = {true, false})
    void commitRecordHoldsValuesAsAtCommitTimeNotLaterAbortedChanges(boolean coalescing) {
        RvmOptions o = RvmAssertions.small(dir).coalescing(coalescing).build();
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            rvm.createSegment("s", 4096);
            Region r = rvm.map("s", 0, 4096);
            putLong(rvm, r, 0, 1, CommitMode.NO_FLUSH); // A
            Transaction b = rvm.begin(RestoreMode.RESTORE);
            b.setRange(r, 0, 8);
            r.putLong(0, 2);
            b.abort();
            Transaction c = rvm.begin(RestoreMode.RESTORE);
            c.setRange(r, 0, 16);
            r.putLong(0, 3); // left uncommitted while A is flushed
            r.putLong(8, 3);
            rvm.flush();
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            Region r = rvm.map("s", 0, 4096);
            assertEquals(1, r.getLong(0));
            assertEquals(0, r.getLong(8));
        }
    }

    @ParameterizedTest(name = "coalescing={0}")
    @ValueSource(booleans = {true, false})
    void noRestoreCommitRecordIsNotChangedByALaterUncommittedTransaction(boolean coalescing) {
        RvmOptions o = RvmAssertions.small(dir).coalescing(coalescing).build();
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            rvm.createSegment("s", 4096);
            Region r = rvm.map("s", 0, 4096);
            Transaction a = rvm.begin(RestoreMode.NO_RESTORE);
            a.setRange(r, 0, 64);
            r.putLong(0, 10);
            r.putLong(56, 11);
            a.commit(CommitMode.NO_FLUSH);
            Transaction b = rvm.begin(RestoreMode.NO_RESTORE);
            b.setRange(r, 0, 8);
            r.putLong(0, 20);
            rvm.flush(); // A must be written as 10, not 20
        } // b is never committed
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            Region r = rvm.map("s", 0, 4096);
            assertEquals(11, r.getLong(56));
            assertEquals(10, r.getLong(0), "a later, never committed change leaked into an earlier commit record");
        }
    }

    /** The paper's end_transaction(flush) forces the log, so a FLUSH commit that wrote nothing still does. */
    @ParameterizedTest(name = "coalescing={0}")
    @ValueSource(booleans = {true, false})
    void aFlushCommitWithNoRangeMakesEarlierLazyCommitsDurable(boolean coalescing) throws Exception {
        SimulatedStorage storage = new SimulatedStorage();
        RvmOptions o = RvmAssertions.small(dir).coalescing(coalescing).storage(storage).build();
        RecoverableMemory rvm = RecoverableMemory.open(o);
        rvm.createSegment("s", 4096);
        Region r = rvm.map("s", 0, 4096);
        putLong(rvm, r, 0, 42, CommitMode.NO_FLUSH);
        try (Transaction empty = rvm.begin(RestoreMode.RESTORE)) {
            empty.commit(CommitMode.FLUSH);
        }
        // Power fails now: every write not forced is lost. The store is left open, as a crash leaves it.
        SimulatedStorage afterCrash = new SimulatedStorage();
        for (Path f : storage.files()) {
            afterCrash.putFile(f, storage.durableBytes(f));
        }
        try (RecoverableMemory again = RecoverableMemory.open(RvmAssertions.small(dir).storage(afterCrash).build())) {
            assertEquals(42, again.map("s", 0, 4096).getLong(0), "the lazy commit before the FLUSH commit was lost");
        }
    }

    /** The window a crash could take is visible: the age of the oldest lazy commit not yet forced, 0 once forced. */
    @ParameterizedTest(name = "coalescing={0}")
    @ValueSource(booleans = {true, false})
    void statisticsShowTheAgeOfTheOldestLazyCommitNotYetForced(boolean coalescing) throws Exception {
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(dir).coalescing(coalescing).build())) {
            rvm.createSegment("s", 4096);
            Region r = rvm.map("s", 0, 4096);
            assertEquals(0, rvm.statistics().oldestUnforcedCommitMillis(), "nothing committed, nothing unforced");
            long before = System.nanoTime();
            putLong(rvm, r, 0, 1, CommitMode.NO_FLUSH);
            Thread.sleep(30);
            putLong(rvm, r, 8, 2, CommitMode.NO_FLUSH);
            long age = rvm.statistics().oldestUnforcedCommitMillis();
            long bound = (System.nanoTime() - before) / 1_000_000;
            assertTrue(age >= 30 && age <= bound, "the first lazy commit's age: " + age + " ms, at most " + bound);
            rvm.flush();
            assertEquals(0, rvm.statistics().oldestUnforcedCommitMillis(), "flush() forced every lazy commit");

            putLong(rvm, r, 0, 3, CommitMode.NO_FLUSH);
            Thread.sleep(5);
            assertTrue(rvm.statistics().oldestUnforcedCommitMillis() >= 5, "a new lazy commit is counted again");
            putLong(rvm, r, 16, 4, CommitMode.FLUSH);
            assertEquals(0, rvm.statistics().oldestUnforcedCommitMillis(), "a FLUSH commit forces the lazy ones before it");
        }
    }

    @Test
    void coalescingSavesBytesAgainstTheSameWorkloadWithoutIt() {
        long[] logged = new long[2];
        long[] savedInter = new long[2];
        for (int k = 0; k < 2; k++) {
            boolean coalescing = k == 0;
            Path d = dir.resolve("c" + coalescing);
            try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(d).coalescing(coalescing).build())) {
                rvm.createSegment("s", 4096);
                Region r = rvm.map("s", 0, 4096);
                for (int i = 0; i < 100; i++) {
                    Transaction t = rvm.begin(RestoreMode.RESTORE);
                    t.setRange(r, 0, 256);
                    r.putLong(0, i);
                    r.putLong(248, -i);
                    t.commit(CommitMode.NO_FLUSH);
                }
                rvm.flush();
                logged[k] = rvm.statistics().bytesLogged();
                savedInter[k] = rvm.statistics().bytesSavedInter();
                assertEquals(100, rvm.statistics().commitsNoFlush());
            }
            try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(d).build())) {
                Region r = rvm.map("s", 0, 4096);
                assertEquals(99, r.getLong(0));
                assertEquals(-99, r.getLong(248));
            }
        }
        assertTrue(savedInter[0] >= 99 * 256, "bytesSavedInter with coalescing: " + savedInter[0]);
        assertEquals(0, savedInter[1], "bytesSavedInter without coalescing");
        assertTrue(logged[0] * 10 < logged[1], "bytesLogged with " + logged[0] + " vs without " + logged[1]);
    }

    @Test
    void coalescingKeepsTheNewestValueOfPartlyOverlappingLazyCommits() {
        RvmOptions o = RvmAssertions.small(dir).build();
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            rvm.createSegment("s", 4096);
            Region r = rvm.map("s", 0, 4096);
            Transaction a = rvm.begin(RestoreMode.RESTORE);
            a.setRange(r, 0, 24);
            r.putLong(0, 1);
            r.putLong(8, 1);
            r.putLong(16, 1);
            a.commit(CommitMode.NO_FLUSH);
            Transaction b = rvm.begin(RestoreMode.RESTORE);
            b.setRange(r, 8, 24);
            r.putLong(8, 2);
            r.putLong(24, 2);
            b.commit(CommitMode.NO_FLUSH);
            putLong(rvm, r, 16, 3, CommitMode.NO_FLUSH);
            rvm.flush();
            assertTrue(rvm.statistics().bytesSavedInter() >= 24, "" + rvm.statistics().bytesSavedInter());
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            Region r = rvm.map("s", 0, 4096);
            assertEquals(1, r.getLong(0));
            assertEquals(2, r.getLong(8));
            assertEquals(3, r.getLong(16));
            assertEquals(2, r.getLong(24));
        }
    }

    @Test
    void truncateThenReopenKeepsEverything() {
        RvmOptions o = RvmAssertions.small(dir).build();
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            rvm.createSegment("s", 4096);
            Region r = rvm.map("s", 0, 4096);
            for (int i = 0; i < 50; i++) {
                putLong(rvm, r, i * 8L, i + 1, i % 2 == 0 ? CommitMode.FLUSH : CommitMode.NO_FLUSH);
            }
            assertTrue(rvm.statistics().logUsed() > 0);
            rvm.truncate();
            Statistics s = rvm.statistics();
            assertEquals(1, s.truncations());
            assertEquals(0, s.logUsed());
            assertTrue(s.lastTruncationNanos() > 0 && s.truncationNanosTotal() >= s.lastTruncationNanos());
            putLong(rvm, r, 4000, 4000, CommitMode.NO_FLUSH);
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            assertEquals(1, rvm.statistics().lastRecoveryRecords(), "only the commit after truncation is replayed");
            Region r = rvm.map("s", 0, 4096);
            for (int i = 0; i < 50; i++) {
                assertEquals(i + 1, r.getLong(i * 8L), "slot " + i);
            }
            assertEquals(4000, r.getLong(4000));
            rvm.truncate();
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            assertEquals(0, rvm.statistics().lastRecoveryRecords());
            assertEquals(4000, rvm.map("s", 0, 4096).getLong(4000));
        }
    }

    @Test
    void smallLogWrapsAroundManyTimesWithAutomaticTruncation() {
        RvmOptions o = RvmOptions.builder(dir).logSize(64 * 1024).truncationThreshold(0.5).build();
        long[] model = new long[8192];
        Random rnd = new Random(42);
        long capacity;
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            rvm.createSegment("s", 8L * model.length);
            Region r = rvm.map("s", 0, 8L * model.length);
            for (int i = 0; i < 4000; i++) {
                Transaction t = rvm.begin(i % 3 == 0 ? RestoreMode.NO_RESTORE : RestoreMode.RESTORE);
                for (int k = 0; k < 3; k++) {
                    int slot = rnd.nextInt(model.length);
                    t.setRange(r, slot * 8L, 8);
                    model[slot] = rnd.nextLong();
                    r.putLong(slot * 8L, model[slot]);
                }
                t.commit(i % 2 == 0 ? CommitMode.FLUSH : CommitMode.NO_FLUSH);
            }
            Statistics s = rvm.statistics();
            capacity = s.logCapacity();
            assertTrue(s.bytesLogged() > 4 * capacity, "logged " + s.bytesLogged() + " of capacity " + capacity);
            assertTrue(s.truncations() >= 2, "truncations " + s.truncations());
            assertTrue(s.logUsed() <= capacity);
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            Region r = rvm.map("s", 0, 8L * model.length);
            for (int i = 0; i < model.length; i++) {
                assertEquals(model[i], r.getLong(i * 8L), "slot " + i);
            }
        }
    }

    @Test
    void commitThatFindsTheLogFullWaitsForTruncationInsteadOfFailing() throws Exception {
        AtomicReference<Thread> workload = new AtomicReference<>();
        AtomicInteger askedByCommitter = new AtomicInteger();
        AtomicInteger tasks = new AtomicInteger();
        // Runs each truncation late, on its own thread, so the committer must really wait for the space.
        Executor late = task -> {
            tasks.incrementAndGet();
            if (Thread.currentThread() == workload.get()) {
                askedByCommitter.incrementAndGet();
            }
            Thread th = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                task.run();
            }, "late-truncation");
            th.setDaemon(true);
            th.start();
        };
        // Threshold 1: no truncation starts before the log is full.
        RvmOptions o = RvmOptions.builder(dir).logSize(64 * 1024).truncationThreshold(1.0).truncationExecutor(late)
                .build();
        long[] model = new long[1024];
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            workload.set(Thread.currentThread());
            rvm.createSegment("s", 8L * model.length);
            Region r = rvm.map("s", 0, 8L * model.length);
            for (int i = 0; i < 3000; i++) {
                int slot = i % model.length;
                Transaction t = rvm.begin(RestoreMode.RESTORE);
                t.setRange(r, slot * 8L, 8);
                model[slot] = i;
                r.putLong(slot * 8L, i);
                t.commit(i % 4 == 0 ? CommitMode.NO_FLUSH : CommitMode.FLUSH); // must not throw LOG_FULL
            }
            assertTrue(askedByCommitter.get() > 0, "no commit ever waited for space");
            assertTrue(rvm.statistics().bytesLogged() > 2 * rvm.statistics().logCapacity());
            workload.set(null);
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            Region r = rvm.map("s", 0, 8L * model.length);
            for (int i = 0; i < model.length; i++) {
                assertEquals(model[i], r.getLong(i * 8L), "slot " + i);
            }
        }
    }

    @Test
    void logFullTimeoutEndsACommitWithLogFullWhenNoTruncationRuns() {
        Executor stuck = task -> { }; // truncation never runs
        RvmOptions o = RvmOptions.builder(dir).logSize(64 * 1024).truncationThreshold(1.0).truncationExecutor(stuck)
                .logFullTimeout(Duration.ofMillis(200)).build();
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            rvm.createSegment("s", 8192);
            Region r = rvm.map("s", 0, 8192);
            RvmException e = null;
            for (int i = 0; i < 10_000 && e == null; i++) {
                Transaction t = rvm.begin(RestoreMode.RESTORE);
                t.setRange(r, 0, 1024);
                try {
                    t.commit(CommitMode.FLUSH);
                } catch (RvmException x) {
                    e = x;
                }
            }
            assertEquals(ErrorCode.LOG_FULL, e == null ? null : e.code());
            assertNull(rvm.current());
            rvm.truncate(); // an explicit truncation frees the log
            putLong(rvm, r, 0, 5, CommitMode.FLUSH);
        }
    }

    @Test
    void flushCommitLargerThanTheLogIsRecordTooLargeAndTheStoreKeepsWorking() {
        RvmOptions o = RvmOptions.builder(dir).logSize(64 * 1024).build();
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            rvm.createSegment("s", 256 * 1024);
            Region r = rvm.map("s", 0, 256 * 1024);
            Transaction t = rvm.begin(RestoreMode.RESTORE);
            t.setRange(r, 0, 128 * 1024);
            r.putLong(0, 1);
            assertRvm(ErrorCode.RECORD_TOO_LARGE, () -> t.commit(CommitMode.FLUSH));
            assertNull(rvm.current());
            putLong(rvm, r, 200_000, 7, CommitMode.FLUSH);
            rvm.unmap(r); // the failed transaction released the region
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            Region r = rvm.map("s", 0, 256 * 1024);
            assertEquals(0, r.getLong(0));
            assertEquals(7, r.getLong(200_000));
        }
    }

    @ParameterizedTest(name = "coalescing={0}")
    @ValueSource(booleans = {true, false})
    void noFlushCommitLargerThanTheLogIsRecordTooLargeAndLaterFlushesWork(boolean coalescing) {
        RvmOptions o = RvmOptions.builder(dir).logSize(64 * 1024).coalescing(coalescing).build();
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            rvm.createSegment("s", 256 * 1024);
            Region r = rvm.map("s", 0, 256 * 1024);
            Transaction t = rvm.begin(RestoreMode.RESTORE);
            t.setRange(r, 0, 128 * 1024);
            r.putLong(0, 1);
            assertRvm(ErrorCode.RECORD_TOO_LARGE, () -> t.commit(CommitMode.NO_FLUSH));
            putLong(rvm, r, 200_000, 7, CommitMode.NO_FLUSH);
            rvm.flush();
            putLong(rvm, r, 200_008, 8, CommitMode.FLUSH);
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            Region r = rvm.map("s", 0, 256 * 1024);
            assertEquals(7, r.getLong(200_000));
            assertEquals(8, r.getLong(200_008));
        }
    }

    @Test
    void flushWithNothingPendingDoesNotForce() {
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(dir).build())) {
            rvm.createSegment("s", 64);
            Region r = rvm.map("s", 0, 64);
            putLong(rvm, r, 0, 1, CommitMode.FLUSH);
            long forces = rvm.statistics().forces();
            rvm.flush();
            assertEquals(forces, rvm.statistics().forces());
            putLong(rvm, r, 0, 2, CommitMode.NO_FLUSH);
            rvm.flush();
            assertEquals(forces + 1, rvm.statistics().forces());
        }
    }
}
