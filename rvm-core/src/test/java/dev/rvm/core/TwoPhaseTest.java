package dev.rvm.core;

import static dev.rvm.core.RvmAssertions.assertRvm;
import static dev.rvm.core.RvmAssertions.putLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two-phase commit through the core API: prepare, in-doubt branches, resolution, and all of it across reopen. */
class TwoPhaseTest {
    private static final BranchId A = BranchId.of("branch-a");
    private static final BranchId B = BranchId.of("branch-b");

    @TempDir
    Path dir;

    private RecoverableMemory rvm;
    private Region r;

    private RvmOptions.Builder options() {
        return RvmAssertions.small(dir).lockTimeout(Duration.ofMillis(200));
    }

    private void open(RvmOptions.Builder b) {
        rvm = RecoverableMemory.open(b.build());
        if (!rvm.segmentExists("s")) {
            rvm.createSegment("s", 4096);
        }
        r = rvm.map("s", 0, 4096);
    }

    private void reopen() {
        reopen(options());
    }

    private void reopen(RvmOptions.Builder b) {
        rvm.close();
        open(b);
    }

    @AfterEach
    void close() {
        if (rvm != null) {
            rvm.close();
        }
    }

    /** Prepares a branch that changes [0, 8) from its committed value to {@code value}. */
    private Transaction prepareSetting(BranchId id, long offset, long value) {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, offset, 8);
        r.putLong(offset, value);
        assertEquals(PrepareResult.PREPARED, t.prepare(id));
        return t;
    }

    /** Runs setRange on another thread (this one may hold the branch) and returns the error code it got. */
    private RvmException setRangeElsewhere(Region region, long offset, long length) throws InterruptedException {
        AtomicReference<RvmException> seen = new AtomicReference<>();
        Thread th = new Thread(() -> {
            Transaction t = rvm.begin(RestoreMode.RESTORE);
            try {
                t.setRange(region, offset, length);
            } catch (RvmException e) {
                seen.set(e);
            } finally {
                t.abort();
            }
        });
        th.start();
        th.join();
        return seen.get();
    }

    @Test
    void prepareIsPreparedListsTheBranchInDoubtAndKeepsItsRangesLocked() throws Exception {
        open(options());
        putLong(rvm, r, 0, 1, CommitMode.FLUSH);
        long forces = rvm.statistics().forces();
        Transaction t = prepareSetting(A, 0, 2);
        assertEquals(TransactionState.PREPARED, t.state());
        assertEquals(List.of(A), rvm.inDoubt());
        assertEquals(1, rvm.statistics().inDoubt());
        assertEquals(1, rvm.statistics().prepares());
        assertTrue(rvm.statistics().forces() > forces, "prepare must force its record");
        assertNull(rvm.current(), "a prepared branch is no longer the thread's transaction");
        RvmException e = setRangeElsewhere(r, 4, 8);
        assertEquals(ErrorCode.LOCK_TIMEOUT, e == null ? null : e.code());
        assertTrue(e.getMessage().contains("[0, 8)"), e.getMessage());
        assertTrue(e.getMessage().contains("'s'"), e.getMessage());
        assertTrue(e.getMessage().contains("transaction " + t.id()), "names the holder: " + e.getMessage());
        assertRvm(ErrorCode.REGION_IN_USE, () -> rvm.unmap(r));
        assertRvm(ErrorCode.TRANSACTION_PREPARED, () -> t.commit(CommitMode.FLUSH));
        assertRvm(ErrorCode.TRANSACTION_PREPARED, t::abort);
        assertRvm(ErrorCode.TRANSACTION_PREPARED, () -> t.prepare(B));
        assertEquals(2, r.getLong(0), "the branch's new value is in memory, as any uncommitted change");
        rvm.rollbackPrepared(A);
    }

    @Test
    void commitPreparedMakesItDurableAndReleasesTheLocks() throws Exception {
        open(options());
        Transaction t = prepareSetting(A, 0, 2);
        rvm.commitPrepared(A);
        assertEquals(TransactionState.COMMITTED, t.state());
        assertEquals(List.of(), rvm.inDoubt());
        assertEquals(1, rvm.statistics().commitsPrepared());
        assertNull(setRangeElsewhere(r, 0, 8), "locks are released");
        assertRvm(ErrorCode.UNKNOWN_BRANCH, () -> rvm.commitPrepared(A));
        assertRvm(ErrorCode.UNKNOWN_BRANCH, () -> rvm.rollbackPrepared(A));
        reopen();
        assertEquals(2, r.getLong(0));
        assertEquals(List.of(), rvm.inDoubt());
    }

    @Test
    void rollbackPreparedRestoresOldBytesAndReleasesTheLocks() throws Exception {
        open(options());
        putLong(rvm, r, 0, 1, CommitMode.FLUSH);
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 0, 16);
        r.putLong(0, 2);
        t.setRange(r, 8, 16);
        r.putLong(8, 3);
        r.putLong(16, 4);
        assertEquals(PrepareResult.PREPARED, t.prepare(A));
        rvm.rollbackPrepared(A);
        assertEquals(TransactionState.ABORTED, t.state());
        assertEquals(1, r.getLong(0));
        assertEquals(0, r.getLong(8));
        assertEquals(0, r.getLong(16));
        assertEquals(List.of(), rvm.inDoubt());
        assertEquals(1, rvm.statistics().rollbacksPrepared());
        assertNull(setRangeElsewhere(r, 0, 24));
        rvm.unmap(r);
        reopen();
        assertEquals(1, r.getLong(0));
        assertEquals(0, r.getLong(8));
    }

    @Test
    void prepareWithoutRangesIsReadOnlyAndNothingIsInDoubt() {
        open(options());
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.lockShared(r, 0, 8);
        assertEquals(PrepareResult.READ_ONLY, t.prepare(A));
        assertEquals(TransactionState.COMMITTED, t.state());
        assertEquals(List.of(), rvm.inDoubt());
        assertEquals(1, rvm.statistics().readOnlyPrepares());
        assertEquals(0, rvm.statistics().prepares());
        assertNull(rvm.current());
        assertRvm(ErrorCode.UNKNOWN_BRANCH, () -> rvm.commitPrepared(A));
        prepareSetting(A, 0, 1); // the id is free to use
        rvm.commitPrepared(A);
    }

    @Test
    void duplicateBranchIdIsDuplicateBranchAndTheSecondTransactionStaysActive() {
        open(options());
        prepareSetting(A, 0, 1);
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 8, 8);
        r.putLong(8, 5);
        assertRvm(ErrorCode.DUPLICATE_BRANCH, () -> t.prepare(A));
        assertEquals(TransactionState.ACTIVE, t.state());
        assertEquals(List.of(A), rvm.inDoubt());
        assertEquals(PrepareResult.PREPARED, t.prepare(B));
        assertEquals(List.of(A, B), rvm.inDoubt());
        rvm.rollbackPrepared(B);
        rvm.commitPrepared(A);
        assertEquals(0, r.getLong(8));
        assertEquals(1, r.getLong(0));
    }

    @Test
    void unknownBranchIdIsUnknownBranch() {
        open(options());
        assertRvm(ErrorCode.UNKNOWN_BRANCH, () -> rvm.commitPrepared(BranchId.of("nobody")));
        assertRvm(ErrorCode.UNKNOWN_BRANCH, () -> rvm.rollbackPrepared(BranchId.of(new byte[] {0})));
        assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> BranchId.of(new byte[0]));
        assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> BranchId.of(new byte[256]));
        assertEquals(255, BranchId.of(new byte[255]).length());
    }

    @Test
    void prepareOfNoRestoreIsIllegalState() {
        open(options());
        Transaction t = rvm.begin(RestoreMode.NO_RESTORE);
        t.setRange(r, 0, 8);
        assertRvm(ErrorCode.ILLEGAL_STATE, () -> t.prepare(A));
        assertEquals(TransactionState.ACTIVE, t.state());
        assertEquals(List.of(), rvm.inDoubt());
        t.commit(CommitMode.FLUSH);
    }

    @Test
    void prepareWithRangeLocksOffIsIllegalState() {
        open(options().rangeLocks(false));
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 0, 8);
        assertRvm(ErrorCode.ILLEGAL_STATE, () -> t.prepare(A));
        assertEquals(TransactionState.ACTIVE, t.state());
        assertEquals(List.of(), rvm.inDoubt());
        t.abort();
    }

    @Test
    void preparedBranchSurvivesReopenInDoubtLockedAndInvisibleThenCommitPreparedShowsIt() throws Exception {
        open(options());
        putLong(rvm, r, 0, 1, CommitMode.FLUSH);
        putLong(rvm, r, 8, 10, CommitMode.NO_FLUSH);
        prepareSetting(A, 0, 2);
        reopen();
        assertEquals(List.of(A), rvm.inDoubt());
        assertEquals(1, rvm.statistics().inDoubt());
        assertEquals(1, r.getLong(0), "an in-doubt value must not be visible as committed");
        assertEquals(10, r.getLong(8));
        RvmException e = setRangeElsewhere(r, 0, 8);
        assertEquals(ErrorCode.LOCK_TIMEOUT, e == null ? null : e.code());
        assertTrue(e.getMessage().contains("[0, 8)") && e.getMessage().contains(A.toString()),
                "names the range and the in-doubt branch: " + e.getMessage());
        assertTrue(e.getMessage().contains("recovery pending"), "says recovery is pending: " + e.getMessage());
        assertTrue(rvm.statistics().oldestInDoubtMillis() >= 1, "the branch's age counts from the reopen, and"
                + " setRangeElsewhere waited a lock timeout: " + rvm.statistics());
        assertNull(setRangeElsewhere(r, 8, 8), "other ranges are free");
        rvm.unmap(r); // the branch has no live transaction holding the region
        r = rvm.map("s", 0, 4096);
        assertEquals(1, r.getLong(0));
        rvm.commitPrepared(A);
        assertEquals(2, r.getLong(0), "commitPrepared installs the value in an already mapped region");
        assertEquals(List.of(), rvm.inDoubt());
        assertEquals(0, rvm.statistics().oldestInDoubtMillis(), "none in doubt, no age");
        assertNull(setRangeElsewhere(r, 0, 8));
        rvm.unmap(r);
        Region later = rvm.map("s", 0, 4096);
        assertEquals(2, later.getLong(0), "and a later mapping sees it");
        r = later;
        reopen();
        assertEquals(2, r.getLong(0));
        assertEquals(List.of(), rvm.inDoubt());
        assertRvm(ErrorCode.UNKNOWN_BRANCH, () -> rvm.commitPrepared(A));
    }

    @Test
    void commitPreparedAfterReopenIsSeenByAMappingMadeAfterIt() {
        open(options());
        prepareSetting(A, 16, 3);
        rvm.close();
        rvm = RecoverableMemory.open(options().build());
        assertEquals(List.of(A), rvm.inDoubt());
        rvm.commitPrepared(A);
        r = rvm.map("s", 0, 4096);
        assertEquals(3, r.getLong(16));
    }

    @Test
    void rollbackPreparedAfterReopenKeepsTheOldValues() throws Exception {
        open(options());
        putLong(rvm, r, 0, 1, CommitMode.FLUSH);
        prepareSetting(A, 0, 2);
        prepareSetting(B, 8, 3);
        reopen();
        assertEquals(List.of(A, B), rvm.inDoubt());
        rvm.rollbackPrepared(A);
        assertEquals(List.of(B), rvm.inDoubt());
        assertEquals(1, r.getLong(0));
        assertNull(setRangeElsewhere(r, 0, 8));
        reopen();
        assertEquals(List.of(B), rvm.inDoubt());
        assertEquals(1, r.getLong(0));
        assertEquals(0, r.getLong(8));
        rvm.commitPrepared(B);
        assertEquals(3, r.getLong(8));
        reopen();
        assertEquals(1, r.getLong(0));
        assertEquals(3, r.getLong(8));
        assertEquals(List.of(), rvm.inDoubt());
    }

    @Test
    void truncationWhileABranchStaysInDoubtKeepsItAndStillReusesTheLog() throws Exception {
        RvmOptions.Builder small = RvmOptions.builder(dir).logSize(64 * 1024).truncationThreshold(0.5)
                .lockTimeout(Duration.ofMillis(200));
        rvm = RecoverableMemory.open(small.build());
        rvm.createSegment("s", 4096);
        r = rvm.map("s", 0, 4096);
        putLong(rvm, r, 0, 1, CommitMode.FLUSH);
        prepareSetting(A, 0, 2);
        long capacity = rvm.statistics().logCapacity();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 2000; i++) {
                putLong(rvm, r, 8 + (i % 100) * 8L, round * 10_000 + i, i % 4 == 0 ? CommitMode.FLUSH
                        : CommitMode.NO_FLUSH);
            }
            rvm.truncate();
            assertEquals(List.of(A), rvm.inDoubt(), "round " + round);
            reopen(small);
            assertEquals(List.of(A), rvm.inDoubt(), "after reopen, round " + round);
            assertEquals(1, r.getLong(0));
            RvmException e = setRangeElsewhere(r, 0, 8);
            assertEquals(ErrorCode.LOCK_TIMEOUT, e == null ? null : e.code());
        }
        assertTrue(rvm.statistics().logUsed() < capacity);
        assertEquals(2 * 10_000 + 1999, r.getLong(8 + 1999 % 100 * 8L));
        rvm.commitPrepared(A);
        assertEquals(2, r.getLong(0));
        reopen(small);
        assertEquals(2, r.getLong(0));
        assertEquals(List.of(), rvm.inDoubt());
    }

    /**
     * A branch's reserve (room for truncation to copy its PREPARE forward, and for its outcome mark) must be free
     * space when the PREPARE is appended, not merely counted after it. Before the fix, a PREPARE that took the last
     * free bytes left no room for its own copy: truncation then waited for space that only it could free, and the
     * second phase queued behind it (seen in WildFly under concurrent two-phase transfers on a 64 KiB log).
     */
    @Test
    void aPrepareIntoANearlyFullLogLeavesRoomForTruncationToCopyItForward() {
        RvmOptions.Builder b = RvmOptions.builder(dir).logSize(64 * 1024).truncationThreshold(1.0)
                .logFullTimeout(Duration.ofSeconds(2)).lockTimeout(Duration.ofMillis(200));
        rvm = RecoverableMemory.open(b.build());
        rvm.createSegment("s", 4096);
        r = rvm.map("s", 0, 4096);
        // The length of a PREPARE like the one below, measured on a branch rolled back at once.
        long before = rvm.statistics().bytesLogged();
        prepareSetting(B, 8, 5);
        long prepareLength = rvm.statistics().bytesLogged() - before;
        rvm.rollbackPrepared(B);
        long capacity = rvm.statistics().logCapacity();
        // Fill with 64-byte FLUSH commits until the free space is at least one PREPARE but less than one PREPARE plus
        // a commit, so less than a PREPARE and its reserve.
        int i = 0;
        while (capacity - rvm.statistics().logUsed() >= prepareLength + 64) {
            putLong(rvm, r, 16 + (i++ % 100) * 8L, i, CommitMode.FLUSH);
        }
        long free = capacity - rvm.statistics().logUsed();
        assertTrue(free >= prepareLength && free < 2 * prepareLength, "free " + free + ", prepare " + prepareLength);
        prepareSetting(A, 0, 2);
        rvm.truncate(); // copies A's PREPARE forward: there must be room for it
        assertEquals(List.of(A), rvm.inDoubt());
        assertTrue(rvm.statistics().logUsed() < capacity / 2, "used " + rvm.statistics().logUsed());
        rvm.commitPrepared(A);
        assertEquals(2, r.getLong(0));
        reopen(b);
        assertEquals(2, r.getLong(0));
        assertEquals(List.of(), rvm.inDoubt());
    }

    @Test
    void liveBranchSurvivesAutomaticTruncationsAndRollsBack() throws Exception {
        RvmOptions.Builder small = RvmOptions.builder(dir).logSize(64 * 1024).truncationThreshold(0.5)
                .coalescing(false)
                .lockTimeout(Duration.ofMillis(200));
        rvm = RecoverableMemory.open(small.build());
        rvm.createSegment("s", 4096);
        r = rvm.map("s", 0, 4096);
        putLong(rvm, r, 0, 1, CommitMode.FLUSH);
        prepareSetting(A, 0, 2);
        for (int i = 0; i < 5000; i++) {
            putLong(rvm, r, 8 + (i % 100) * 8L, i, i % 4 == 0 ? CommitMode.FLUSH : CommitMode.NO_FLUSH);
        }
        assertTrue(rvm.statistics().truncations() >= 2, "truncations " + rvm.statistics().truncations());
        assertTrue(rvm.statistics().bytesLogged() > 3 * rvm.statistics().logCapacity());
        assertEquals(List.of(A), rvm.inDoubt());
        rvm.rollbackPrepared(A);
        assertEquals(1, r.getLong(0));
        reopen(small);
        assertEquals(1, r.getLong(0));
        assertEquals(List.of(), rvm.inDoubt());
    }
}
