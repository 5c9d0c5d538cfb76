package dev.rvm.core.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Transaction;
import dev.rvm.core.io.Storage;
import dev.rvm.core.testing.ManualExecutor;
import dev.rvm.core.testing.QuietLogs;
import dev.rvm.core.testing.SimulatedCrash;
import dev.rvm.core.testing.SimulatedStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A durable second phase makes every commit made before it durable, as a FLUSH commit does: after a crash, the
 * log never holds a branch's outcome without a NO_FLUSH commit that returned before the outcome was asked for.
 */
class OutcomeAfterLazyCommitTest {
    static {
        QuietLogs.install();
    }

    private static final Path DIR = Path.of("/simulated/outcome");
    private static final BranchId BRANCH = BranchId.of("branch");

    private static RvmOptions options(Storage s) {
        return RvmOptions.builder(DIR).storage(s).logSize(RvmOptions.MIN_LOG_SIZE)
                .truncationExecutor(new ManualExecutor()).build();
    }

    private static void set(RecoverableMemory rvm, Region r, long at, long value, CommitMode mode) {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, at, 8);
        r.putLong(at, value);
        t.commit(mode);
    }

    private static void crashAfterSecondPhase(boolean commit) {
        for (long seed = 0; seed < 8; seed++) {
            SimulatedStorage disk = new SimulatedStorage();
            RecoverableMemory rvm = RecoverableMemory.open(options(disk));
            rvm.createSegment("s", 4096);
            Region r = rvm.map("s", 0, 4096);
            Transaction branch = rvm.begin(RestoreMode.RESTORE);
            branch.setRange(r, 0, 8);
            r.putLong(0, 7);
            branch.prepare(BRANCH);
            set(rvm, r, 64, 42, CommitMode.NO_FLUSH); // after the prepare, before the second phase
            if (commit) {
                rvm.commitPrepared(BRANCH);
            } else {
                rvm.rollbackPrepared(BRANCH);
            }
            disk.crashAtOperation(disk.operations()); // power fails: unforced writes kept, lost or torn
            try {
                rvm.close();
            } catch (SimulatedCrash | RuntimeException expected) {
                // close() may meet the crash; what matters is what the disk kept
            }
            try (RecoverableMemory after = RecoverableMemory.open(options(disk.reboot(seed)))) {
                Region kept = after.map("s", 0, 4096);
                assertEquals(commit ? 7 : 0, kept.getLong(0), "the branch's outcome, seed " + seed);
                assertEquals(42, kept.getLong(64), "the NO_FLUSH commit made before the "
                        + (commit ? "commit" : "rollback") + " of the branch was lost although the outcome is durable,"
                        + " seed " + seed);
            }
        }
    }

    @Test
    void aNoFlushCommitMadeBeforeCommitPreparedSurvivesACrashAfterIt() {
        crashAfterSecondPhase(true);
    }

    @Test
    void aNoFlushCommitMadeBeforeRollbackPreparedSurvivesACrashAfterIt() {
        crashAfterSecondPhase(false);
    }
}
