package dev.rvm.core.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rvm.core.BranchId;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.Statistics;
import dev.rvm.core.testing.CrashSweep;
import dev.rvm.core.testing.ManualExecutor;
import dev.rvm.core.testing.QuietLogs;
import dev.rvm.core.testing.SimulatedCrash;
import dev.rvm.core.testing.SimulatedStorage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Runs the deterministic {@link BankWorkload} once to count its storage operations, then again for every
 * operation index k, crashing there; reboots the storage with several seeds (each unforced write kept, lost or
 * torn), reopens, and judges the recovered state with {@link BankJournal#problems}; resolves the branches in
 * doubt at random and judges again. A second test crashes the recovery itself at each of its operations and
 * checks that recovering once more gives the same bytes.
 *
 * <p>System properties: {@code rvm.crash.steps} (workload length, default 600), {@code rvm.crash.seeds}
 * (reboots per crash point, default 3), {@code rvm.crash.only} (run a single crash index, to reproduce one).
 */
class CrashAtEveryWriteIndexTest {
    static {
        QuietLogs.install();
    }

    private static final long WORKLOAD_SEED = 20_240_601L;
    private static final int STEPS = Integer.getInteger("rvm.crash.steps", 600);
    private static final int SEEDS = Integer.getInteger("rvm.crash.seeds", 3);
    private static final long ONLY = Long.getLong("rvm.crash.only", -1);

    /** The outcome of one workload run. */
    private record Run(SimulatedStorage storage, BankJournal journal, SimulatedCrash crash, long setupOps,
            long workloadOps, Statistics stats) implements CrashSweep.Crashed {
    }

    private static Run run(long crashAt) {
        return run(crashAt, false);
    }

    private static Run run(long crashAt, boolean lyingDisk) {
        SimulatedStorage storage = new SimulatedStorage();
        ManualExecutor executor = new ManualExecutor();
        BankJournal journal = new BankJournal();
        RecoverableMemory rvm = RecoverableMemory.open(BankWorkload.options(storage, executor));
        Region r = BankWorkload.setUp(rvm);
        long setupOps = storage.operations();
        storage.crashAtOperation(crashAt);
        if (lyingDisk) {
            storage.lieAboutForces();
        }
        try {
            new BankWorkload(WORKLOAD_SEED, STEPS).run(rvm, r, executor, journal);
        } catch (SimulatedCrash crash) {
            return new Run(storage, journal, crash, setupOps, storage.operations(), null);
        }
        Statistics stats = rvm.statistics();
        long ops = storage.operations();
        rvm.close();
        return new Run(storage, journal, null, setupOps, ops, stats);
    }

    @Test
    void workloadWrapsTheTinyLogTruncatesAndUsesEveryKindOfCall() {
        Run full = run(-1);
        assertNull(full.crash());
        Statistics s = full.stats();
        assertTrue(s.bytesLogged() > 2 * s.logCapacity(), "the log must wrap around at least twice: " + s);
        assertTrue(s.truncations() >= 5, "truncations: " + s);
        assertTrue(s.commitsFlush() > 20 && s.commitsNoFlush() > 20, s.toString());
        assertTrue(s.aborts() > 5 && s.prepares() > 5 && s.commitsPrepared() > 2 && s.rollbacksPrepared() > 2,
                s.toString());
        assertTrue(full.workloadOps() - full.setupOps() > 300, "operations: " + full.workloadOps());
        System.out.printf("workload: %d operations after set-up, %s%n", full.workloadOps() - full.setupOps(), s);
    }

    @Test
    void theJudgeNoticesLostAcknowledgedTransfersOnADiskThatLiesAboutForce() {
        Run full = run(-1);
        Run crashed = run(full.workloadOps() - 5, true);
        int noticed = 0;
        for (int seed = 0; seed < 5; seed++) {
            try {
                if (!BankWorkload.recoverAndJudge(crashed.storage().reboot(seed), crashed.journal().copy(), seed, false)
                        .isEmpty()) {
                    noticed++;
                }
            } catch (RuntimeException e) {
                noticed++; // a log that lost forced records may also fail to open: noticed too
            }
        }
        assertEquals(5, noticed, "a disk that drops forced writes must fail the judge after every reboot");
    }

    @Test
    void everyCrashPointRecoversEveryAcknowledgedTransferAndNoHalfTransfer() {
        Run full = run(-1);
        long from = ONLY >= 0 ? ONLY : full.setupOps();
        long to = ONLY >= 0 ? ONLY + 1 : full.workloadOps();
        CrashSweep.everyIndex("CrashAtEveryWriteIndexTest", from, to, SEEDS, CrashAtEveryWriteIndexTest::run,
                (crashed, rebooted, seed) -> BankWorkload.recoverAndJudge(rebooted, crashed.journal().copy(), seed,
                        seed == 0));
    }

    /** Region bytes and branches in doubt: what must not depend on how often recovery was interrupted. */
    private record Recovered(byte[] bytes, Set<BranchId> inDoubt, long operations) {
    }

    private static Recovered open(SimulatedStorage storage) {
        try (RecoverableMemory rvm = RecoverableMemory.open(BankWorkload.options(storage, new ManualExecutor()))) {
            Region r = rvm.map(BankWorkload.SEGMENT, 0, BankWorkload.REGION_SIZE);
            byte[] b = new byte[(int) BankWorkload.REGION_SIZE];
            r.get(0, b, 0, b.length);
            return new Recovered(b, new HashSet<>(rvm.inDoubt()), storage.operations());
        }
    }

    @Test
    void crashDuringRecoveryThenRecoveringAgainGivesTheSameBytes() {
        Run full = run(-1);
        long span = full.workloadOps() - full.setupOps();
        int points = 16;
        int interrupted = 0;
        for (int i = 0; i < points; i++) {
            long k = full.setupOps() + span * i / points + i % 3;
            Run crashed = run(k);
            SimulatedStorage rebooted = crashed.storage().reboot(k);
            Recovered reference = open(rebooted.snapshot());
            assertTrue(reference.operations() > 0, "recovery issues operations");
            for (long j = 0; j < reference.operations(); j++) {
                SimulatedStorage s = rebooted.snapshot();
                s.crashAtOperation(j);
                try {
                    open(s);
                    fail("k=" + k + ": reopen did not reach operation " + j);
                } catch (SimulatedCrash expected) {
                    interrupted++;
                }
                for (long seed = 0; seed < 2; seed++) {
                    String where = "crash at k=" + k + ", recovery crashed at its operation " + j + ", reboot seed "
                            + seed;
                    Recovered again = open(s.reboot(seed));
                    assertArrayEquals(reference.bytes(), again.bytes(), where + ": region bytes differ");
                    assertEquals(reference.inDoubt(), again.inDoubt(), where + ": branches in doubt differ");
                }
            }
        }
        System.out.printf("CrashAtEveryWriteIndexTest: %d interrupted recoveries, each recovered twice%n", interrupted);
    }
}
