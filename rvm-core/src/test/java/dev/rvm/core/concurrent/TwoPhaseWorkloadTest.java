package dev.rvm.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.PrepareResult;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Statistics;
import dev.rvm.core.Transaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One thread runs two-phase transfers (prepare, a pause, then commit or roll back the branch) while others commit in
 * one phase, on a log so small that it runs full again and again with a branch in doubt: truncation must keep copying
 * its PREPARE forward and the second phase must keep finding room for its mark. No thread may get stuck, the
 * total never changes, and a reopen sees the same balances. Written after a WildFly run hung with a full log.
 */
class TwoPhaseWorkloadTest {
    private static final int THREADS = 6;
    private static final int ACCOUNTS = 16;
    private static final int TRANSFERS = 1000;
    private static final long INITIAL = 1_000;

    @TempDir
    Path dir;

    @Test
    void transfersWithBranchesInDoubtOnAFillingLogNeverStickAndKeepTheTotal() throws Exception {
        // The smallest log (56 KiB of records, about 400 PREPAREs); the threshold is high so that the log runs full
        // between truncations.
        RvmOptions o = RvmOptions.builder(dir).logSize(64 * 1024).truncationThreshold(1.0)
                .logFullTimeout(Duration.ofSeconds(5)).lockTimeout(Duration.ofSeconds(2)).build();
        long[] finalBalances;
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            Region r = Accounts.create(rvm, ACCOUNTS, INITIAL);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicLong branchSeq = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int k = 0; k < THREADS; k++) {
                long seed = 7000 + k;
                boolean twoPhase = k == 0;
                Thread th = new Thread(() -> {
                    try {
                        Random rnd = new Random(seed);
                        for (int i = 0; i < TRANSFERS; i++) {
                            while (!transfer(rvm, r, rnd, twoPhase ? branchSeq : null)) {
                                Thread.onSpinWait(); // lost a lock conflict: retry
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(Thread.currentThread().getName() + ": " + e);
                    }
                }, "two-phase-" + k);
                threads.add(th);
                th.start();
            }
            Accounts.joinAll(threads, Duration.ofMinutes(2));
            assertTrue(failures.isEmpty(), "failures: " + failures);
            Statistics s = rvm.statistics();
            System.out.printf("two-phase transfers: %d committed and %d rolled back branches, %d truncations, %d lock "
                    + "waits%n", s.commitsPrepared(), s.rollbacksPrepared(), s.truncations(), s.lockWaits());
            assertTrue(s.truncations() >= 5, "the log did not fill often enough to test anything: " + s.truncations()
                    + " truncations");
            assertTrue(s.commitsPrepared() > 0 && s.rollbacksPrepared() > 0, s.toString());
            assertEquals(List.of(), rvm.inDoubt());
            assertEquals(ACCOUNTS * INITIAL, Accounts.sum(r, ACCOUNTS));
            finalBalances = Accounts.balances(r, ACCOUNTS);
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            Region r = Accounts.map(rvm, ACCOUNTS);
            for (int a = 0; a < ACCOUNTS; a++) {
                assertEquals(finalBalances[a], r.getLong(a * 8L), "account " + a);
            }
        }
    }

    /**
     * One transfer, two-phase if {@code branchSeq} is given (else FLUSH or NO_FLUSH); false if it lost a lock conflict
     * and must be retried.
     */
    private static boolean transfer(RecoverableMemory rvm, Region r, Random rnd, AtomicLong branchSeq)
            throws InterruptedException {
        int from = rnd.nextInt(ACCOUNTS);
        int to = (from + 1 + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        long amount = 1 + rnd.nextInt(50);
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        try {
            t.setRange(r, Math.min(from, to) * 8L, 8);
            t.setRange(r, Math.max(from, to) * 8L, 8);
        } catch (RvmException e) {
            t.abort();
            if (e.code() == ErrorCode.LOCK_TIMEOUT || e.code() == ErrorCode.DEADLOCK) {
                return false;
            }
            throw e;
        }
        r.putLong(from * 8L, r.getLong(from * 8L) - amount);
        r.putLong(to * 8L, r.getLong(to * 8L) + amount);
        if (branchSeq == null) {
            t.commit(rnd.nextBoolean() ? CommitMode.FLUSH : CommitMode.NO_FLUSH);
        } else {
            BranchId id = BranchId.of("b-" + branchSeq.incrementAndGet());
            assertEquals(PrepareResult.PREPARED, t.prepare(id));
            Thread.sleep(rnd.nextInt(3)); // in doubt for a while, as between a TM's two phases
            if (rnd.nextBoolean()) {
                rvm.commitPrepared(id);
            } else {
                rvm.rollbackPrepared(id); // puts both balances back: the total is unchanged either way
            }
        }
        return true;
    }
}
