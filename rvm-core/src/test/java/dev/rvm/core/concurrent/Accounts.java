package dev.rvm.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rvm.core.CommitMode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.Transaction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The bank the transfer workloads share: 8-byte accounts in one segment, their sum, and a stuck-thread check. */
final class Accounts {
    static final String SEGMENT = "accounts";

    private Accounts() {
    }

    /** Creates and maps {@code n} accounts, each committed (FLUSH) with {@code initial}. */
    static Region create(RecoverableMemory rvm, int n, long initial) {
        rvm.createSegment(SEGMENT, n * 8L);
        Region r = rvm.map(SEGMENT, 0, n * 8L);
        try (Transaction t = rvm.begin(RestoreMode.RESTORE)) {
            t.setRange(r, 0, n * 8L);
            for (int a = 0; a < n; a++) {
                r.putLong(a * 8L, initial);
            }
            t.commit(CommitMode.FLUSH);
        }
        return r;
    }

    /** Maps the {@code n} accounts of a store that has them. */
    static Region map(RecoverableMemory rvm, int n) {
        return rvm.map(SEGMENT, 0, n * 8L);
    }

    static long sum(Region r, int n) {
        long sum = 0;
        for (int a = 0; a < n; a++) {
            sum += r.getLong(a * 8L);
        }
        return sum;
    }

    static long[] balances(Region r, int n) {
        long[] b = new long[n];
        for (int a = 0; a < n; a++) {
            b[a] = r.getLong(a * 8L);
        }
        return b;
    }

    /** Joins every thread within {@code limit} in all; a thread still running then fails the test with its stack. */
    static void joinAll(List<Thread> threads, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (Thread th : threads) {
            th.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            assertFalse(th.isAlive(), th.getName() + " is stuck: " + List.of(th.getStackTrace()));
        }
    }
}
