package dev.rvm.core;

import static dev.rvm.core.RvmAssertions.assertRvm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The association API resource adapters use ({@code beginDetached}, {@code join}, {@code leave}): a transaction
 * on several threads, a thread's transaction set aside while another one joins it and given back when that one
 * ends or leaves — also when it ends or leaves from another thread — and a lock request that would wait for a
 * set-aside transaction refused as a deadlock.
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
    void aLockHeldByTheSetAsideTransactionIsRefusedAsADeadlockAtOnce() {
        Transaction outer = rvm.begin(RestoreMode.RESTORE);
        write(outer, r, 0, 1);
        Transaction inner = rvm.beginDetached(RestoreMode.RESTORE);
        inner.join();
        long t0 = System.nanoTime();
        assertRvm(ErrorCode.DEADLOCK, () -> inner.setRange(r, 0, 8));
        assertEquals(1, rvm.statistics().deadlocks());
        inner.abort();
        assertSame(outer, rvm.current());
        outer.commit(CommitMode.FLUSH);
        assertEquals(1, r.getLong(0));
        assertEquals(0, rvm.statistics().lockTimeouts(), "refused at once, not after " + (System.nanoTime() - t0));
    }

    @Test
    void joiningAnEndedTransactionIsRefused() {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.commit(CommitMode.FLUSH);
        assertRvm(ErrorCode.TRANSACTION_COMMITTED, t::join);
    }
}
