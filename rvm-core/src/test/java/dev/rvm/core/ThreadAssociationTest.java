package dev.rvm.core;

import static dev.rvm.core.RvmAssertions.assertRvm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The association API resource adapters use ({@code beginDetached}, {@code join}, {@code leave}): a transaction
 * on several threads, a thread's transaction set aside while another one joins it and given back when that one
 * ends or leaves — also when it ends or leaves from another thread — and a lock request that waits for a
 * set-aside transaction: granted when that one ends from another thread, timed out when it cannot end.
 */
class ThreadAssociationTest {
    @TempDir
    Path dir;
    private RecoverableMemory rvm;
    private Region r;
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @BeforeEach
    void open() {
        rvm = RecoverableMemory.open(RvmAssertions.small(dir).build());
        rvm.createSegment("s", 4096);
        r = rvm.map("s", 0, 4096);
    }

    @AfterEach
    void close() {
        other.shutdownNow();
        rvm.close();
    }

    private void onOtherThread(Runnable task) throws Exception {
        other.submit(task).get(30, TimeUnit.SECONDS);
    }

    private static void write(Transaction t, Region r, long at, long value) {
        t.setRange(r, at, 8);
        r.putLong(at, value);
    }

    @Test
    void aDetachedTransactionTakesNoWriteUntilAThreadJoinsIt() {
        Transaction t = rvm.beginDetached(RestoreMode.RESTORE);
        assertNull(rvm.current());
        t.setRange(r, 0, 8); // declaring needs no thread: the transaction is named
        assertRvm(ErrorCode.NO_TRANSACTION, () -> r.putLong(0, 1));
        t.join();
        assertSame(t, rvm.current());
        r.putLong(0, 1);
        t.commit(CommitMode.FLUSH);
        assertNull(rvm.current());
        assertEquals(1, r.getLong(0));
    }

    @Test
    void joiningSetsTheThreadsTransactionAsideUntilTheJoinedOneEnds() {
        Transaction outer = rvm.begin(RestoreMode.RESTORE);
        write(outer, r, 0, 1);
        assertRvm(ErrorCode.THREAD_HAS_TRANSACTION, () -> rvm.begin(RestoreMode.RESTORE)); // still no nesting
        Transaction inner = rvm.beginDetached(RestoreMode.RESTORE);
        inner.join();
        assertSame(inner, rvm.current());
        write(inner, r, 8, 2);
        assertRvm(ErrorCode.RANGE_NOT_DECLARED, () -> r.putLong(0, 9)); // outer's range: not inner's
        inner.commit(CommitMode.FLUSH);
        assertSame(outer, rvm.current());
        r.putLong(0, 3);
        outer.abort();
        assertEquals(0, r.getLong(0));
        assertEquals(2, r.getLong(8));
    }

    @Test
    void theSetAsideTransactionComesBackWhenTheJoinedOneLeavesOrEndsFromAnotherThread() throws Exception {
        Transaction outer = rvm.begin(RestoreMode.RESTORE);
        write(outer, r, 0, 1);
        Transaction inner = rvm.beginDetached(RestoreMode.RESTORE);
        inner.join();
        write(inner, r, 8, 2);
        Thread me = Thread.currentThread();
        onOtherThread(() -> inner.leave(me));
        assertSame(outer, rvm.current(), "inner left this thread");
        inner.join();
        assertSame(inner, rvm.current());
        onOtherThread(() -> inner.commit(CommitMode.FLUSH));
        assertSame(outer, rvm.current(), "inner ended on another thread");
        outer.commit(CommitMode.FLUSH);
        assertNull(rvm.current());
    }

    @Test
    void aTransactionJoinedByTwoThreadsTakesTheWritesOfBoth() throws Exception {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        write(t, r, 0, 1);
        onOtherThread(() -> {
            t.join();
            write(t, r, 8, 2);
            t.leave(Thread.currentThread());
            assertRvm(ErrorCode.NO_TRANSACTION, () -> r.putLong(8, 3));
        });
        r.putLong(0, 4);
        t.commit(CommitMode.FLUSH);
        assertEquals(4, r.getLong(0));
        assertEquals(2, r.getLong(8));
    }

    @Test
    void aLockHeldByTheSetAsideTransactionIsWaitedForAndGrantedWhenItEndsFromAnotherThread() throws Exception {
        // An EJB call's imported transaction: the container leaves its branch associated with the worker thread when
        // the call returns; the thread's next transaction sets it aside, and the coordinator ends and commits it from
        // another thread — the next transaction must wait for it, not be refused as a deadlock.
        Transaction imported = rvm.beginDetached(RestoreMode.RESTORE);
        imported.join();
        write(imported, r, 0, 1);
        Transaction next = rvm.beginDetached(RestoreMode.RESTORE);
        next.join();
        Thread me = Thread.currentThread();
        long waitsBefore = rvm.statistics().lockWaits();
        Future<?> coordinator = other.submit(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (rvm.statistics().lockWaits() == waitsBefore) { // the next one waits before this one ends
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the next transaction never waited for the set-aside one's lock");
                }
                Thread.sleep(5);
            }
            imported.leave(me);
            imported.commit(CommitMode.FLUSH);
            return null;
        });
        next.setRange(r, 0, 8);
        r.putLong(0, 5);
        next.commit(CommitMode.FLUSH);
        coordinator.get(60, TimeUnit.SECONDS);
        assertEquals(5, r.getLong(0));
        assertEquals(0, rvm.statistics().deadlocks());
        assertNull(rvm.current());
    }

    @Test
    void aLockHeldByTheSetAsideTransactionThatWaitsForTheNewOneTimesOutNamingIt() {
        // A REQUIRES_NEW method changing its caller's bytes: the caller comes back only when the new one ends.
        try (RecoverableMemory quick = RecoverableMemory.open(RvmAssertions.small(dir.resolve("quick"))
                .lockTimeout(Duration.ofMillis(200)).build())) {
            quick.createSegment("s", 4096);
            Region q = quick.map("s", 0, 4096);
            Transaction outer = quick.begin(RestoreMode.RESTORE);
            write(outer, q, 0, 1);
            Transaction inner = quick.beginDetached(RestoreMode.RESTORE);
            inner.join();
            RvmException e = assertRvm(ErrorCode.LOCK_TIMEOUT, () -> inner.setRange(q, 0, 8));
            assertTrue(e.getMessage().contains("set aside on its thread"), e.getMessage());
            inner.abort();
            assertSame(outer, quick.current());
            outer.commit(CommitMode.FLUSH);
            assertEquals(1, q.getLong(0));
            assertEquals(0, quick.statistics().deadlocks());
        }
    }

    @Test
    void joiningAnEndedTransactionIsRefused() {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.commit(CommitMode.FLUSH);
        assertRvm(ErrorCode.TRANSACTION_COMMITTED, t::join);
    }
}
