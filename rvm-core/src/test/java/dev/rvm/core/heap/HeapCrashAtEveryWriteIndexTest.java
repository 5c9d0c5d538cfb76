package dev.rvm.core.heap;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Statistics;
import dev.rvm.core.testing.CrashSweep;
import dev.rvm.core.testing.ManualExecutor;
import dev.rvm.core.testing.QuietLogs;
import dev.rvm.core.testing.SimulatedCrash;
import dev.rvm.core.testing.SimulatedStorage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the deterministic {@link HeapWorkload} (map puts and removes, block allocations and frees, aborts, lazy and
 * forced commits, truncations on the smallest log) once to count its storage operations, then again for every
 * operation index k, crashing there through the {@link SimulatedStorage} seam; reboots with several seeds (each
 * unforced write kept, lost or torn), recovers, and requires the map and the blocks to equal exactly one state the
 * model allows (the last durable commit or a later one), the heap's walk to be consistent and every block in use to
 * be reachable.
 *
 * <p>System properties: {@code rvm.heapCrash.steps} (default 360), {@code rvm.heapCrash.seeds} (default 3),
 * {@code rvm.heapCrash.only} (a single crash index, to reproduce one).
 */
class HeapCrashAtEveryWriteIndexTest {
    static {
        QuietLogs.install();
    }

    private static final long SEED = 20_261_204L;
    private static final int STEPS = Integer.getInteger("rvm.heapCrash.steps", 360);
    private static final int SEEDS = Integer.getInteger("rvm.heapCrash.seeds", 3);
    private static final long ONLY = Long.getLong("rvm.heapCrash.only", -1);
    private static final long REGION = 128 * 1024;
    private static final int KEYS = 120;

    /** One workload run, crashed at an operation index or not. */
    private record Run(SimulatedStorage storage, HeapWorkload workload, SimulatedCrash crash, long setupOps,
            long ops, Statistics stats) implements CrashSweep.Crashed {
    }

    private static Run run(long crashAt) {
        SimulatedStorage storage = new SimulatedStorage();
        ManualExecutor executor = new ManualExecutor();
        RecoverableMemory rvm = RecoverableMemory.open(HeapWorkload.options(storage, executor));
        HeapModel.Structures s = HeapWorkload.setUp(rvm, REGION, 2, 1024);
        long setupOps = storage.operations();
        storage.crashAtOperation(crashAt);
        HeapWorkload w = new HeapWorkload(SEED, STEPS, KEYS);
        try {
            w.run(rvm, s, executor);
        } catch (SimulatedCrash crash) {
            return new Run(storage, w, crash, setupOps, storage.operations(), null);
        }
        Statistics stats = rvm.statistics();
        long ops = storage.operations();
        rvm.close();
        return new Run(storage, w, null, setupOps, ops, stats);
    }

    private static List<String> recoverAndJudge(SimulatedStorage rebooted, List<HeapModel> candidates) {
        try (RecoverableMemory rvm = RecoverableMemory.open(HeapWorkload.options(rebooted, new ManualExecutor()))) {
            HeapModel.Structures s = HeapModel.Structures.open(rvm.map(HeapWorkload.SEGMENT, 0, REGION));
            return HeapModel.problems(s, candidates);
        }
    }

    @Test
    void workloadSplitsTheMapWrapsTheTinyLogAndUsesEveryKindOfCall() {
        Run full = run(-1);
        assertNull(full.crash());
        Statistics st = full.stats();
        assertTrue(st.bytesLogged() > 2 * st.logCapacity(), "the log must wrap at least twice: " + st);
        assertTrue(st.truncations() >= 3 && st.aborts() >= 5, st.toString());
        assertTrue(st.commitsFlush() > 20 && st.commitsNoFlush() > 20, st.toString());
        List<String> p = recoverAndJudge(full.storage().reboot(0), List.of(full.workload().last()));
        assertTrue(p.isEmpty(), p.toString());
        assertTrue(full.workload().last().map().size() > 40, "the map must pass its first segment of 32 buckets");
        System.out.printf("heap workload: %d operations after set-up, %d map entries, %d blocks at the end, %s%n",
                full.ops() - full.setupOps(), full.workload().last().map().size(),
                full.workload().last().blocks().size(), st);
    }

    @Test
    void theJudgeNoticesAHeapThatLostAnAcknowledgedCommit() {
        Run full = run(-1);
        List<HeapModel> onlyFirst = List.of(HeapModel.empty());
        assertTrue(!recoverAndJudge(full.storage().reboot(0), onlyFirst).isEmpty(),
                "a heap holding later commits than allowed must fail the judge");
    }

    @Test
    void everyCrashPointRecoversExactlyACommittedStateWithAConsistentHeap() {
        Run full = run(-1);
        long from = ONLY >= 0 ? ONLY : full.setupOps();
        long to = ONLY >= 0 ? ONLY + 1 : full.ops();
        CrashSweep.everyIndex("HeapCrashAtEveryWriteIndexTest", from, to, SEEDS, HeapCrashAtEveryWriteIndexTest::run,
                (crashed, rebooted, seed) -> recoverAndJudge(rebooted, crashed.workload().candidates()));
    }
}
