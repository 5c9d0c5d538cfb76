package dev.rvm.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Transaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Range locks between threads: exclusive and shared conflicts, waiting, and deadlock detection. */
class RangeLockTest {
    @TempDir
    Path dir;

    private RecoverableMemory rvm;
    private Region r;

    private void open(Duration lockTimeout) {
        rvm = RecoverableMemory.open(RvmOptions.builder(dir).logSize(1 << 20).lockTimeout(lockTimeout).build());
        rvm.createSegment("s", 4096);
        r = rvm.map("s", 0, 4096);
    }

    @AfterEach
    void close() {
        if (rvm != null) {
            rvm.close();
        }
    }

    /** Runs {@code body} in a transaction on a new thread; completes with the RvmException code, or null. */
    private CompletableFuture<ErrorCode> inTransaction(Consumer<Transaction> body) {
        CompletableFuture<ErrorCode> result = new CompletableFuture<>();
        Thread th = new Thread(() -> {
            Transaction t = rvm.begin(RestoreMode.RESTORE);
            try {
                body.accept(t);
                t.commit(CommitMode.FLUSH);
                result.complete(null);
            } catch (RvmException e) {
                t.close();
                result.complete(e.code());
            } catch (Throwable e) {
                t.close();
                result.completeExceptionally(e);
            }
        });
        th.setDaemon(true);
        th.start();
        return result;
    }

    private void awaitWaiters(long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (rvm.statistics().lockWaits() < n) {
            assertTrue(System.nanoTime() < deadline, "no thread ever waited for the lock");
            Thread.sleep(5);
        }
    }

    @Test
    void sharedLockMakesAConcurrentSetRangeTimeOut() throws Exception {
        open(Duration.ofMillis(200));
        Transaction reader = rvm.begin(RestoreMode.RESTORE);
        reader.lockShared(r, 0, 16);
        assertEquals(ErrorCode.LOCK_TIMEOUT, inTransaction(t -> t.setRange(r, 8, 8)).get(30, TimeUnit.SECONDS));
        assertNull(inTransaction(t -> t.lockShared(r, 0, 16)).get(30, TimeUnit.SECONDS), "shared locks share");
        assertNull(inTransaction(t -> t.setRange(r, 16, 8)).get(30, TimeUnit.SECONDS), "adjacent range is free");
        reader.commit(CommitMode.NO_FLUSH);
        assertNull(inTransaction(t -> t.setRange(r, 8, 8)).get(30, TimeUnit.SECONDS));
        assertEquals(1, rvm.statistics().lockTimeouts());
    }

    @Test
    void setRangeMakesAConcurrentLockSharedTimeOut() throws Exception {
        open(Duration.ofMillis(200));
        Transaction writer = rvm.begin(RestoreMode.RESTORE);
        writer.setRange(r, 100, 8);
        assertEquals(ErrorCode.LOCK_TIMEOUT, inTransaction(t -> t.lockShared(r, 96, 8)).get(30, TimeUnit.SECONDS));
        assertEquals(ErrorCode.LOCK_TIMEOUT, inTransaction(t -> t.setRange(r, 107, 1)).get(30, TimeUnit.SECONDS));
        writer.lockShared(r, 100, 8); // its own exclusive lock covers a shared request
        writer.abort();
        assertNull(inTransaction(t -> t.lockShared(r, 96, 8)).get(30, TimeUnit.SECONDS));
    }

    @Test
    void ownSharedLockCanBeUpgradedWhenNobodyElseShares() {
        open(Duration.ofMillis(200));
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.lockShared(r, 0, 8);
        t.setRange(r, 0, 8);
        r.putLong(0, 1);
        t.commit(CommitMode.FLUSH);
        assertEquals(1, r.getLong(0));
    }

    @Test
    void conflictingSetRangeWaitsForTheHolderToCommit() throws Exception {
        open(Duration.ofSeconds(60));
        Transaction holder = rvm.begin(RestoreMode.RESTORE);
        holder.setRange(r, 0, 8);
        r.putLong(0, 5);
        CompletableFuture<ErrorCode> waiter = inTransaction(t -> {
            t.setRange(r, 0, 8);
            r.putLong(0, r.getLong(0) + 1);
        });
        awaitWaiters(1);
        assertFalse(waiter.isDone());
        holder.commit(CommitMode.FLUSH);
        assertNull(waiter.get(60, TimeUnit.SECONDS));
        assertEquals(6, r.getLong(0));
    }

    @Test
    void sharedLockWaitsForTheWriterThenSeesItsCommittedValue() throws Exception {
        open(Duration.ofSeconds(60));
        Transaction holder = rvm.begin(RestoreMode.RESTORE);
        holder.setRange(r, 0, 8);
        r.putLong(0, 5);
        long[] seen = new long[1];
        CompletableFuture<ErrorCode> reader = inTransaction(t -> {
            t.lockShared(r, 0, 8);
            seen[0] = r.getLong(0);
        });
        awaitWaiters(1);
        holder.abort();
        assertNull(reader.get(60, TimeUnit.SECONDS));
        assertEquals(0, seen[0], "the reader saw the aborted value");
    }

    @Test
    void lockTimeoutMessageNamesTheRangeAndTheHolder() throws Exception {
        open(Duration.ofMillis(100));
        Transaction holder = rvm.begin(RestoreMode.RESTORE);
        holder.setRange(r, 64, 32);
        CompletableFuture<RvmException> f = new CompletableFuture<>();
        Thread th = new Thread(() -> {
            Transaction t = rvm.begin(RestoreMode.RESTORE);
            try {
                t.setRange(r, 80, 4);
                f.complete(null);
            } catch (RvmException e) {
                f.complete(e);
            } finally {
                t.abort();
            }
        });
        th.start();
        th.join(TimeUnit.SECONDS.toMillis(60));
        RvmException e = f.get(30, TimeUnit.SECONDS);
        assertEquals(ErrorCode.LOCK_TIMEOUT, e == null ? null : e.code());
        String m = e.getMessage();
        assertTrue(m.contains("[64, 96)") && m.contains("[80, 84)") && m.contains("'s'"), m);
        assertTrue(m.contains("transaction " + holder.id()), m);
        holder.abort();
    }

    @Test
    void twoTransactionsLockingInOppositeOrderEndInDeadlockNotTimeout() throws Exception {
        open(Duration.ofSeconds(60)); // a missed deadlock would surface as LOCK_TIMEOUT only after a minute
        assertEquals(ErrorCode.DEADLOCK, deadlockPair(), "a cycle must be refused as DEADLOCK");
        assertEquals(1, rvm.statistics().deadlocks());
        assertEquals(0, rvm.statistics().lockTimeouts());
    }

    /**
     * T1 takes [0, 8) then asks for [8, 16); T2 takes [8, 16) then, once T1 waits, asks for [0, 8). Returns the
     * code T2 got; T1 must then finish normally.
     */
    private ErrorCode deadlockPair() throws Exception {
        CountDownLatch t1Holds = new CountDownLatch(1);
        CountDownLatch t2Holds = new CountDownLatch(1);
        long waitsBefore = rvm.statistics().lockWaits();
        CompletableFuture<ErrorCode> t1 = inTransaction(t -> {
            t.setRange(r, 0, 8);
            t1Holds.countDown();
            await(t2Holds);
            t.setRange(r, 8, 8);
        });
        await(t1Holds);
        CompletableFuture<ErrorCode> t2 = inTransaction(t -> {
            t.setRange(r, 8, 8);
            t2Holds.countDown();
            try {
                awaitWaiters(waitsBefore + 1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            t.setRange(r, 0, 8);
        });
        ErrorCode c2 = t2.get(90, TimeUnit.SECONDS);
        assertNull(t1.get(90, TimeUnit.SECONDS), "the survivor of the deadlock must go on");
        return c2;
    }

    @Test
    void threeWayCycleIsDetected() throws Exception {
        open(Duration.ofSeconds(60));
        CountDownLatch allHold = new CountDownLatch(3);
        long waitsBefore = rvm.statistics().lockWaits();
        CompletableFuture<ErrorCode> a = inTransaction(t -> {
            t.setRange(r, 0, 8);
            allHold.countDown();
            await(allHold);
            t.setRange(r, 8, 8);
        });
        CompletableFuture<ErrorCode> b = inTransaction(t -> {
            t.setRange(r, 8, 8);
            allHold.countDown();
            await(allHold);
            try {
                awaitWaiters(waitsBefore + 1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            t.setRange(r, 16, 8);
        });
        CompletableFuture<ErrorCode> c = inTransaction(t -> {
            t.setRange(r, 16, 8);
            allHold.countDown();
            await(allHold);
            try {
                awaitWaiters(waitsBefore + 2);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            t.setRange(r, 0, 8);
        });
        ErrorCode ca = a.get(90, TimeUnit.SECONDS);
        ErrorCode cb = b.get(90, TimeUnit.SECONDS);
        ErrorCode cc = c.get(90, TimeUnit.SECONDS);
        int deadlocks = (ca == ErrorCode.DEADLOCK ? 1 : 0) + (cb == ErrorCode.DEADLOCK ? 1 : 0)
                + (cc == ErrorCode.DEADLOCK ? 1 : 0);
        assertEquals(1, deadlocks, "codes " + ca + ", " + cb + ", " + cc);
        assertEquals(0, rvm.statistics().lockTimeouts());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(60, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
