package dev.rvm.core;

import static dev.rvm.core.RvmAssertions.assertRvm;
import static dev.rvm.core.RvmAssertions.putLong;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions: checked puts, declared ranges, abort, the state machine, close, suspend and resume. */
class TransactionTest {
    @TempDir
    Path dir;

    private RecoverableMemory rvm;
    private Region r;

    @BeforeEach
    void open() {
        rvm = RecoverableMemory.open(RvmAssertions.small(dir).build());
        rvm.createSegment("s", 4096);
        r = rvm.map("s", 0, 4096);
    }

    @AfterEach
    void close() {
        if (rvm.current() != null && rvm.isOpen()) {
            rvm.current().close();
        }
        rvm.close();
    }

    private void reopen() {
        rvm.close();
        rvm = RecoverableMemory.open(RvmAssertions.small(dir).build());
        r = rvm.map("s", 0, 4096);
    }

    private byte[] snapshot() {
        byte[] b = new byte[4096];
        r.get(0, b, 0, b.length);
        return b;
    }

    @Test
    void putWithoutTransactionIsNoTransactionAndMemoryUnchanged() {
        assertNull(rvm.current());
        assertRvm(ErrorCode.NO_TRANSACTION, () -> r.putLong(0, 1));
        assertRvm(ErrorCode.NO_TRANSACTION, () -> r.putInt(0, 1));
        assertRvm(ErrorCode.NO_TRANSACTION, () -> r.putByte(0, (byte) 1));
        assertRvm(ErrorCode.NO_TRANSACTION, () -> r.put(0, new byte[] {1, 2}, 0, 2));
        assertArrayEquals(new byte[4096], snapshot());
    }

    @Test
    void putOutsideDeclaredRangeIsRangeNotDeclaredAndMemoryUnchanged() {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 100, 8);
        byte[] before = snapshot();
        assertRvm(ErrorCode.RANGE_NOT_DECLARED, () -> r.putLong(92, -1)); // just before
        assertRvm(ErrorCode.RANGE_NOT_DECLARED, () -> r.putLong(108, -1)); // just after
        assertRvm(ErrorCode.RANGE_NOT_DECLARED, () -> r.putLong(104, -1)); // straddling the end
        assertRvm(ErrorCode.RANGE_NOT_DECLARED, () -> r.putInt(98, -1)); // straddling the start
        assertRvm(ErrorCode.RANGE_NOT_DECLARED, () -> r.putByte(99, (byte) -1));
        assertRvm(ErrorCode.RANGE_NOT_DECLARED, () -> r.putByte(108, (byte) -1));
        assertRvm(ErrorCode.RANGE_NOT_DECLARED, () -> r.put(100, new byte[9], 0, 9));
        assertArrayEquals(before, snapshot());
        r.putLong(100, -1); // exactly the declared range
        r.putByte(107, (byte) 5);
        assertEquals(5, r.getByte(107));
        t.commit(CommitMode.FLUSH);
    }

    @Test
    void putInAnotherRegionThanTheDeclaredOneIsRangeNotDeclared() {
        rvm.createSegment("t", 4096);
        Region other = rvm.map("t", 0, 4096);
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 0, 4096);
        assertRvm(ErrorCode.RANGE_NOT_DECLARED, () -> other.putLong(0, 1));
        assertEquals(0, other.getLong(0));
        t.abort();
    }

    @Test
    void putsAcrossAdjacentDeclaredRangesAreAllowed() {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 0, 4);
        t.setRange(r, 4, 4);
        r.putLong(0, 0x0102030405060708L);
        t.commit(CommitMode.FLUSH);
        assertEquals(0x0102030405060708L, r.getLong(0));
    }

    @Test
    void setRangeOutsideTheRegionIsIllegalArgument() {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> t.setRange(r, -1, 8));
        assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> t.setRange(r, 4090, 8));
        assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> t.setRange(r, 4096, 1));
        assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> t.setRange(r, 0, -1));
        assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> t.setRange(r, 8, Long.MAX_VALUE));
        assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> t.setRange(r, Long.MAX_VALUE, 1));
        assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> t.lockShared(r, 4000, 100));
        assertRvm(ErrorCode.RANGE_NOT_DECLARED, () -> r.putLong(4088, 1));
        t.setRange(r, 4088, 8); // the last bytes are fine
        t.abort();
    }

    @Test
    void abortRestoresValuesAsAtTheFirstSetRangeAcrossOverlappingAndAdjacentRanges() {
        for (int i = 0; i < 8; i++) {
            putLong(rvm, r, i * 8L, 1000 + i, CommitMode.FLUSH);
        }
        byte[] before = snapshot();
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 0, 16);
        r.putLong(0, -1);
        r.putLong(8, -2);
        t.setRange(r, 8, 16); // overlaps [8, 16), which is already changed
        r.putLong(16, -3);
        t.setRange(r, 0, 8); // repeats a declared range after changing it
        r.putLong(0, -4);
        t.setRange(r, 24, 8); // adjacent to [8, 24)
        r.putLong(24, -5);
        t.setRange(r, 4, 40); // spans everything and more
        r.putLong(32, -6);
        r.putInt(40, -7);
        t.abort();
        assertEquals(TransactionState.ABORTED, t.state());
        assertArrayEquals(before, snapshot());
        assertNull(rvm.current());
        reopen();
        assertArrayEquals(before, snapshot());
    }

    @Test
    void abortOfNoRestoreIsAbortNotAllowedAndTheTransactionCanStillCommit() {
        Transaction t = rvm.begin(RestoreMode.NO_RESTORE);
        assertEquals(RestoreMode.NO_RESTORE, t.restoreMode());
        t.setRange(r, 0, 8);
        r.putLong(0, 5);
        assertRvm(ErrorCode.ABORT_NOT_ALLOWED, t::abort);
        assertEquals(TransactionState.ACTIVE, t.state());
        t.commit(CommitMode.FLUSH);
        reopen();
        assertEquals(5, r.getLong(0));
    }

    @Test
    void commitOrAbortTwiceIsRefusedNamingTheState() {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 0, 8);
        t.commit(CommitMode.FLUSH);
        assertEquals(TransactionState.COMMITTED, t.state());
        assertRvm(ErrorCode.TRANSACTION_COMMITTED, () -> t.commit(CommitMode.FLUSH));
        assertRvm(ErrorCode.TRANSACTION_COMMITTED, t::abort);
        assertRvm(ErrorCode.TRANSACTION_COMMITTED, () -> t.setRange(r, 0, 8));
        assertRvm(ErrorCode.TRANSACTION_COMMITTED, () -> t.prepare(BranchId.of("b")));

        Transaction u = rvm.begin(RestoreMode.RESTORE);
        u.setRange(r, 0, 8);
        u.abort();
        assertRvm(ErrorCode.TRANSACTION_ABORTED, u::abort);
        assertRvm(ErrorCode.TRANSACTION_ABORTED, () -> u.commit(CommitMode.NO_FLUSH));

        Transaction empty = rvm.begin(RestoreMode.RESTORE);
        empty.commit(CommitMode.NO_FLUSH); // a transaction without ranges commits too
        assertRvm(ErrorCode.TRANSACTION_COMMITTED, () -> empty.commit(CommitMode.NO_FLUSH));
    }

    @Test
    void closeOfActiveRestoreTransactionAborts() {
        putLong(rvm, r, 0, 77, CommitMode.FLUSH);
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        try (t) {
            t.setRange(r, 0, 8);
            r.putLong(0, 78);
        }
        assertEquals(TransactionState.ABORTED, t.state());
        assertEquals(77, r.getLong(0));
        assertNull(rvm.current());
        rvm.unmap(r); // the ranges are released
        r = rvm.map("s", 0, 4096);
        assertEquals(77, r.getLong(0));
    }

    @Test
    void closeOfActiveNoRestoreTransactionCommitsDurably() {
        Transaction t = rvm.begin(RestoreMode.NO_RESTORE);
        try (t) {
            t.setRange(r, 0, 8);
            r.putLong(0, 79);
        }
        assertEquals(TransactionState.COMMITTED, t.state());
        reopen();
        assertEquals(79, r.getLong(0));
    }

    @Test
    void closeAfterCommitChangesNothing() {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 0, 8);
        r.putLong(0, 80);
        t.commit(CommitMode.NO_FLUSH);
        t.close();
        assertEquals(TransactionState.COMMITTED, t.state());
        assertEquals(80, r.getLong(0));
    }

    @Test
    void beginTwiceOnOneThreadIsRefusedAndBeginAfterEndWorks() {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        assertSame(t, rvm.current());
        assertRvm(ErrorCode.THREAD_HAS_TRANSACTION, () -> rvm.begin(RestoreMode.RESTORE));
        assertRvm(ErrorCode.THREAD_HAS_TRANSACTION, () -> rvm.begin(RestoreMode.NO_RESTORE));
        assertSame(t, rvm.current());
        t.commit(CommitMode.FLUSH);
        assertNull(rvm.current());
        Transaction u = rvm.begin(RestoreMode.NO_RESTORE);
        assertSame(u, rvm.current());
        u.commit(CommitMode.FLUSH);
    }

    @Test
    void nullModesAreIllegalArgument() {
        assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> rvm.begin(null));
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> t.commit(null));
        assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> t.prepare(null));
        t.abort();
    }

    @Test
    void suspendAndResumeMoveTheAssociationBetweenThreads() throws Exception {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 0, 8);
        r.putLong(0, 1);
        t.suspend();
        assertNull(rvm.current());
        assertRvm(ErrorCode.NO_TRANSACTION, () -> r.putLong(0, 2));
        assertRvm(ErrorCode.NOT_ASSOCIATED, t::suspend);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                t.resume();
                assertSame(t, rvm.current());
                r.putLong(0, 3);
                t.commit(CommitMode.FLUSH);
                assertNull(rvm.current());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        other.start();
        other.join();
        if (failure.get() != null) {
            throw new AssertionError("other thread failed", failure.get());
        }
        assertEquals(TransactionState.COMMITTED, t.state());
        assertEquals(3, r.getLong(0));
        reopen();
        assertEquals(3, r.getLong(0));
    }

    @Test
    void resumeIsRefusedWhileAssociatedOrWhenTheThreadHasOne() throws Exception {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        assertRvm(ErrorCode.ASSOCIATED_ELSEWHERE, t::resume); // already associated with this thread
        AtomicReference<ErrorCode> resumeCode = new AtomicReference<>();
        AtomicReference<ErrorCode> suspendCode = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                t.resume(); // associated with the test thread
            } catch (RvmException e) {
                resumeCode.set(e.code());
            }
            try {
                t.suspend(); // not associated with this thread
            } catch (RvmException e) {
                suspendCode.set(e.code());
            }
        });
        other.start();
        other.join();
        assertEquals(ErrorCode.ASSOCIATED_ELSEWHERE, resumeCode.get());
        assertEquals(ErrorCode.NOT_ASSOCIATED, suspendCode.get());
        assertSame(t, rvm.current());
        t.suspend();
        Transaction u = rvm.begin(RestoreMode.RESTORE);
        assertRvm(ErrorCode.THREAD_HAS_TRANSACTION, t::resume); // this thread already has u
        u.abort();
        t.resume();
        t.abort();
        assertRvm(ErrorCode.TRANSACTION_ABORTED, t::resume); // finished
    }

    @Test
    void putByAThreadWhoseTransactionIsElsewhereIsNoTransaction() throws Exception {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 0, 8);
        AtomicReference<RvmException> seen = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                r.putLong(0, 9);
            } catch (RvmException e) {
                seen.set(e);
            }
        });
        other.start();
        other.join();
        assertEquals(ErrorCode.NO_TRANSACTION, seen.get() == null ? null : seen.get().code());
        assertEquals(0, r.getLong(0));
        t.abort();
    }

    @Test
    void intraTransactionMergingIsCountedInBytesSavedIntra() {
        long before = rvm.statistics().bytesSavedIntra();
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 0, 100);
        t.setRange(r, 50, 100); // 50 bytes already declared
        t.setRange(r, 0, 100); // all 100 already declared
        t.setRange(r, 150, 10); // adjacent, nothing saved
        t.setRange(r, 140, 30); // 20 already declared
        t.commit(CommitMode.FLUSH);
        assertEquals(170, rvm.statistics().bytesSavedIntra() - before);
    }

    @Test
    void mergedRangesAreLoggedOnceSoTheRecordIsSmallerThanTheSumOfTheDeclarations() {
        long b0 = rvm.statistics().bytesLogged();
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 0, 1000);
        t.commit(CommitMode.FLUSH);
        long once = rvm.statistics().bytesLogged() - b0;
        long b1 = rvm.statistics().bytesLogged();
        Transaction u = rvm.begin(RestoreMode.RESTORE);
        for (int i = 0; i < 10; i++) {
            u.setRange(r, 0, 1000);
        }
        u.commit(CommitMode.FLUSH);
        assertEquals(once, rvm.statistics().bytesLogged() - b1);
    }

    @Test
    void transactionIdsAreUniqueAndStatesFollowTheLifeCycle() {
        Transaction a = rvm.begin(RestoreMode.RESTORE);
        assertEquals(TransactionState.ACTIVE, a.state());
        assertEquals(RestoreMode.RESTORE, a.restoreMode());
        a.abort();
        Transaction b = rvm.begin(RestoreMode.RESTORE);
        Assertions.assertNotEquals(a.id(), b.id());
        b.commit(CommitMode.FLUSH);
    }

    @Test
    void statisticsCountCommitsAbortsForcesAndRecords() {
        Statistics s0 = rvm.statistics();
        putLong(rvm, r, 0, 1, CommitMode.FLUSH);
        putLong(rvm, r, 8, 2, CommitMode.FLUSH);
        putLong(rvm, r, 16, 3, CommitMode.NO_FLUSH);
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 0, 8);
        t.abort();
        Statistics s1 = rvm.statistics();
        assertEquals(2, s1.commitsFlush() - s0.commitsFlush());
        assertEquals(1, s1.commitsNoFlush() - s0.commitsNoFlush());
        assertEquals(1, s1.aborts() - s0.aborts());
        assertEquals(2, s1.forces() - s0.forces());
        assertEquals(2, s1.recordsWritten() - s0.recordsWritten(), "the NO_FLUSH commit waits in memory");
        Assertions.assertTrue(s1.bytesLogged() > s0.bytesLogged());
        Assertions.assertTrue(s1.logUsed() > 0);
        rvm.flush();
        Statistics s2 = rvm.statistics();
        assertEquals(3, s2.forces() - s0.forces());
        assertEquals(3, s2.recordsWritten() - s0.recordsWritten());
        assertEquals(s2.logUsed(), s2.bytesLogged() - s0.bytesLogged() + s0.logUsed());
        reopen();
        Statistics s3 = rvm.statistics();
        assertEquals(3, s3.lastRecoveryRecords());
        Assertions.assertTrue(s3.lastRecoveryBytes() > 0);
        assertEquals(0, s3.commitsFlush());
        assertEquals(3, r.getLong(16));
    }
}
