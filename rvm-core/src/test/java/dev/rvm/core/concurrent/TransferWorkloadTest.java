package dev.rvm.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads transfer money between random accounts with range locks on, in random lock order so that
 * deadlocks happen, with FLUSH and NO_FLUSH commits and some aborts. The total never changes.
 */
class TransferWorkloadTest {
    private static final int THREADS = 8;
    private static final int ACCOUNTS = 24;
    private static final int ROUNDS = 10;
    private static final int TRANSFERS_PER_ROUND = 100;
    private static final long INITIAL = 1_000;

    @TempDir
    Path dir;

    @Test
    void sumIsConstantAtQuiescentPointsAndAfterReopenAndNoThreadIsStuck() throws Exception {
        // A small log so that truncation runs while the threads commit.
        RvmOptions o = RvmOptions.builder(dir).logSize(256 * 1024).lockTimeout(Duration.ofSeconds(2)).build();
        long[] finalBalances;
        LongAdder retries = new LongAdder();
        AtomicInteger quiescentChecks = new AtomicInteger();
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            Region r = Accounts.create(rvm, ACCOUNTS, INITIAL);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            // All workers are between transactions when the barrier trips: a quiescent point.
            CyclicBarrier quiescent = new CyclicBarrier(THREADS, () -> {
                quiescentChecks.incrementAndGet();
                long sum = Accounts.sum(r, ACCOUNTS);
                if (sum != ACCOUNTS * INITIAL) {
                    failures.add("sum " + sum + " at quiescent point " + quiescentChecks.get());
                }
            });
            List<Thread> threads = new ArrayList<>();
            for (int k = 0; k < THREADS; k++) {
                long seed = 1000 + k;
                Thread th = new Thread(() -> {
                    try {
                        work(rvm, r, new Random(seed), retries, quiescent);
                    } catch (Throwable e) {
                        failures.add(Thread.currentThread().getName() + ": " + e);
                        quiescent.reset();
                    }
                }, "transfer-" + k);
                threads.add(th);
                th.start();
            }
            Accounts.joinAll(threads, Duration.ofMinutes(2));
            assertTrue(failures.isEmpty(), "failures: " + failures);
            assertEquals(ROUNDS, quiescentChecks.get());
            Statistics s = rvm.statistics();
            System.out.printf("transfers: %d retries, %d deadlocks, %d lock timeouts, %d lock waits, %d truncations%n",
                    retries.sum(), s.deadlocks(), s.lockTimeouts(), s.lockWaits(), s.truncations());
            assertEquals(s.deadlocks() + s.lockTimeouts(), retries.sum(),
                    "every DEADLOCK and LOCK_TIMEOUT must have been retried by the workload");
            assertTrue(s.lockWaits() > 0, "the workload never contended; it tests nothing");
            assertEquals(ACCOUNTS * INITIAL, Accounts.sum(r, ACCOUNTS));
            finalBalances = Accounts.balances(r, ACCOUNTS);
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            Region r = Accounts.map(rvm, ACCOUNTS);
            assertEquals(ACCOUNTS * INITIAL, Accounts.sum(r, ACCOUNTS));
            for (int a = 0; a < ACCOUNTS; a++) {
                assertEquals(finalBalances[a], r.getLong(a * 8L), "account " + a);
            }
        }
    }


    private static void work(RecoverableMemory rvm, Region r, Random rnd, LongAdder retries, CyclicBarrier quiescent)
            throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < TRANSFERS_PER_ROUND; i++) {
                int from = rnd.nextInt(ACCOUNTS);
                int to = (from + 1 + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                long amount = 1 + rnd.nextInt(50);
                CommitMode mode = rnd.nextBoolean() ? CommitMode.FLUSH : CommitMode.NO_FLUSH;
                boolean abort = rnd.nextInt(10) == 0;
                while (!transfer(rvm, r, from, to, amount, mode, abort)) {
                    retries.increment();
                }
            }
            quiescent.await(2, TimeUnit.MINUTES);
        }
    }

    /** One transfer; false if it lost a lock conflict (deadlock or timeout) and must be retried. */
    private static boolean transfer(RecoverableMemory rvm, Region r, int from, int to, long amount, CommitMode mode,
            boolean abort) {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        try {
            // Lock order as given, not sorted: opposite transfers deadlock.
            t.setRange(r, from * 8L, 8);
            Thread.yield();
            t.setRange(r, to * 8L, 8);
        } catch (RvmException e) {
            t.abort();
            if (e.code() == ErrorCode.DEADLOCK || e.code() == ErrorCode.LOCK_TIMEOUT) {
                return false;
            }
            throw e;
        }
        r.putLong(from * 8L, r.getLong(from * 8L) - amount);
        r.putLong(to * 8L, r.getLong(to * 8L) + amount);
        if (abort) {
            t.abort();
        } else {
            t.commit(mode);
        }
        return true;
    }
}
