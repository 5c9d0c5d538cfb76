package dev.rvm.core.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import dev.rvm.core.testing.ManualExecutor;
import dev.rvm.core.testing.QuietLogs;
import dev.rvm.core.testing.SimulatedStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Fails each force issued by a call, one at a time, and checks fail-stop: the call throws (never reports
 * success), every later call throws {@link ErrorCode#STORE_FAILED}, close works, and reopening (on the same
 * storage, and after reboots that keep, lose or tear the unforced writes) recovers a consistent state in which
 * every call that returned before the failure took effect.
 */
class ForceFailureTest {
    static {
        QuietLogs.install();
    }

    /** A store with a few committed transfers and one branch (transfer 9) prepared and in doubt. */
    private static final class Fixture {
        final SimulatedStorage storage = new SimulatedStorage();
        final ManualExecutor executor = new ManualExecutor();
        final BankJournal journal = new BankJournal();
        final RecoverableMemory rvm = RecoverableMemory.open(BankWorkload.options(storage, executor));
        final Region region = BankWorkload.setUp(rvm);

        Fixture() {
            for (int seq = 0; seq < 8; seq++) {
                BankWorkload.transfer(rvm, region, journal, seq, seq % 12, (seq + 5) % 12, 10 + seq,
                        seq % 2 == 0 ? RestoreMode.RESTORE : RestoreMode.NO_RESTORE,
                        seq % 3 == 0 ? CommitMode.NO_FLUSH : CommitMode.FLUSH);
            }
            BankWorkload.prepare(rvm, region, journal, 9, 14, 15, 7);
        }
    }

    /** Runs {@code call} with the force after {@code skip} good ones failing, for every skip that hits a force. */
    private static int failEachForceOf(String name, Consumer<Fixture> setUp, Consumer<Fixture> call) {
        int hit = 0;
        for (int skip = 0; ; skip++) {
            Fixture f = new Fixture();
            setUp.accept(f);
            f.storage.failForce(skip);
            RuntimeException thrown = null;
            try {
                call.accept(f);
            } catch (RvmException e) {
                thrown = e;
            }
            if (f.storage.failedForces() == 0) {
                if (thrown != null) {
                    throw new AssertionError(name + ": threw without any failed force", thrown);
                }
                assertTrue(hit > 0, name + " issued no force at all");
                return hit;
            }
            hit++;
            String where = name + " with its force #" + skip + " failing";
            if (thrown == null) {
                fail(where + ": the call reported success");
            }
            assertFalse(f.rvm.isOpen(), where + ": store still open after an I/O failure");
            laterCallsAreRefused(f, where);
            f.rvm.close();
            for (long seed = -1; seed < 3; seed++) {
                List<String> p = BankWorkload.recoverAndJudge(seed < 0 ? f.storage.snapshot() : f.storage.reboot(seed),
                        f.journal.copy(), seed, seed < 0);
                if (!p.isEmpty()) {
                    fail(where + ", reopened " + (seed < 0 ? "on the same storage" : "after reboot seed " + seed)
                            + ": " + p);
                }
            }
        }
    }

    private static void laterCallsAreRefused(Fixture f, String where) {
        RecoverableMemory rvm = f.rvm;
        List<Executable> calls = new ArrayList<>();
        calls.add(() -> rvm.begin(RestoreMode.RESTORE));
        calls.add(rvm::flush);
        calls.add(rvm::truncate);
        calls.add(() -> rvm.commitPrepared(BankWorkload.branch(9)));
        calls.add(() -> rvm.rollbackPrepared(BankWorkload.branch(9)));
        calls.add(() -> rvm.createSegment("another", 4096));
        calls.add(() -> rvm.map(BankWorkload.SEGMENT, 0, 8));
        for (Executable c : calls) {
            RvmException e = assertThrows(RvmException.class, c, where + ": a later call was accepted");
            assertEquals(ErrorCode.STORE_FAILED, e.code(), where + ": later call failed with " + e);
        }
    }

    private static void nothing(Fixture f) {
    }

    @Test
    void failedForceOfFlushCommitThrowsAndStopsTheStore() {
        failEachForceOf("FLUSH commit", ForceFailureTest::nothing, f -> BankWorkload.transfer(f.rvm, f.region,
                f.journal, 20, 1, 2, 5, RestoreMode.RESTORE, CommitMode.FLUSH));
    }

    @Test
    void failedForceOfFlushAfterLazyCommitsThrowsAndStopsTheStore() {
        failEachForceOf("flush()", f -> BankWorkload.transfer(f.rvm, f.region, f.journal, 20, 1, 2, 5,
                RestoreMode.NO_RESTORE, CommitMode.NO_FLUSH), f -> f.rvm.flush());
    }

    @Test
    void failedForceOfPrepareNeverReportsPrepared() {
        failEachForceOf("prepare", ForceFailureTest::nothing,
                f -> BankWorkload.prepare(f.rvm, f.region, f.journal, 20, 12, 13, 3));
    }

    @Test
    void failedForceOfCommitPreparedThrowsAndStopsTheStore() {
        failEachForceOf("commitPrepared", ForceFailureTest::nothing,
                f -> BankWorkload.resolve(f.rvm, f.journal, 9, true));
    }

    @Test
    void failedForceOfRollbackPreparedThrowsAndStopsTheStore() {
        failEachForceOf("rollbackPrepared", ForceFailureTest::nothing,
                f -> BankWorkload.resolve(f.rvm, f.journal, 9, false));
    }

    @Test
    void failedForceAnywhereInTruncationThrowsAndStopsTheStore() {
        int forces = failEachForceOf("truncate", f -> BankWorkload.transfer(f.rvm, f.region, f.journal, 20, 1, 2, 5,
                RestoreMode.RESTORE, CommitMode.NO_FLUSH), f -> {
                    f.journal.syncStarted();
                    f.rvm.truncate();
                    f.journal.syncReturned();
                });
        assertTrue(forces >= 3, "truncation forces the log, the segments and the status block; saw " + forces);
    }

    @Test
    void failedForceInBackgroundTruncationStopsTheStoreForTheNextCall() {
        Fixture f = new Fixture();
        f.executor.clear();
        f.rvm.statistics();
        // Fill the log past the threshold so that a background truncation is queued, then fail its first force.
        int seq = 20;
        while (f.executor.runAll() == 0 && seq < 400) {
            BankWorkload.transfer(f.rvm, f.region, f.journal, seq, seq % 12, (seq + 1) % 12, 1, RestoreMode.RESTORE,
                    CommitMode.FLUSH);
            seq++;
            if (f.rvm.statistics().logUse() >= 0.5) {
                f.storage.failNextForce();
                f.executor.runAll();
                break;
            }
        }
        assertEquals(1, f.storage.failedForces(), "background truncation issued the failing force");
        laterCallsAreRefused(f, "after a failed background truncation");
        f.rvm.close();
        List<String> p = BankWorkload.recoverAndJudge(f.storage, f.journal.copy(), 1, true);
        assertTrue(p.isEmpty(), p.toString());
    }

    @Test
    void preparedBranchStaysResolvableAfterTheStoreFailedAndWasReopened() {
        Fixture f = new Fixture();
        f.storage.failNextForce();
        Transaction t = f.rvm.begin(RestoreMode.RESTORE);
        t.setRange(f.region, 0, 8);
        f.region.putLong(0, f.region.getLong(0));
        assertThrows(RvmException.class, () -> t.commit(CommitMode.FLUSH));
        f.rvm.close();
        ManualExecutor ex = new ManualExecutor();
        try (RecoverableMemory rvm = RecoverableMemory.open(BankWorkload.options(f.storage, ex))) {
            assertEquals(List.of(BankWorkload.branch(9)), rvm.inDoubt());
            BranchId id = BankWorkload.branch(9);
            rvm.commitPrepared(id);
            f.journal.commitPreparedStarted(9);
            f.journal.commitPreparedReturned(9);
            Region r = rvm.map(BankWorkload.SEGMENT, 0, BankWorkload.REGION_SIZE);
            assertEquals(List.of(), f.journal.problems(r, rvm.inDoubt()));
        }
    }
}
