package dev.rvm.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.CommitMode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Transaction;
import dev.rvm.core.testing.ManualExecutor;
import dev.rvm.core.testing.SimulatedStorage;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A background truncation spreads its segment writes (pacing), but steps aside at once for anyone who needs it
 * finished, and a paced truncation loses nothing.
 */
class PacedTruncationTest {
    private static final Path DIR = Path.of("/store");
    private static final int PAGE = 4096;
    /** Pages touched: 16 chunks of 64 KiB, so an unhurried truncation would pause 16 times up to 100 ms. */
    private static final int PAGES = 256;

    private final SimulatedStorage storage = new SimulatedStorage();
    private final ManualExecutor executor = new ManualExecutor();
    /** Pause steps slept by paced truncations so far. */
    private final AtomicLong pauseSteps = new AtomicLong();
    /** Stretches every paced truncation to an hour, so that only someone needing it finished can end it early. */
    private final Truncator.Spread anHour = new Truncator.Spread(TimeUnit.HOURS.toNanos(1), pauseSteps::incrementAndGet);

    private RvmOptions.Builder options(Path dir) {
        return RvmOptions.builder(dir).logSize(1 << 20).truncationThreshold(0.01).truncationExecutor(executor);
    }

    /** Commits one long into each of {@link #PAGES} pages; returns the store with a truncation queued. */
    private Engine storeWithQueuedTruncation(Truncator.Spread spread) {
        return storeWithQueuedTruncation(options(DIR).storage(storage).build(), spread);
    }

    private static Engine storeWithQueuedTruncation(RvmOptions options, Truncator.Spread spread) {
        Engine rvm = Engine.open(options, spread);
        rvm.createSegment("big", (long) PAGES * 2 * PAGE);
        rvm.createSegment("other", PAGE);
        Region r = rvm.map("big", 0, (long) PAGES * 2 * PAGE);
        for (int p = 0; p < PAGES; p++) {
            Transaction t = rvm.begin(RestoreMode.RESTORE);
            t.setRange(r, (long) p * 2 * PAGE, 8);
            r.putLong((long) p * 2 * PAGE, 1000 + p);
            t.commit(CommitMode.FLUSH); // durable: a background truncation takes what is durable, forcing nothing
        }
        return rvm;
    }

    private void awaitFirstPause() throws InterruptedException {
        long give = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pauseSteps.get() == 0) {
            assertTrue(System.nanoTime() < give, "the background truncation never paused");
            Thread.sleep(1);
        }
    }

    @Test
    void aThreadWaitingForThePacedTruncationEndsItsPauses() throws Exception {
        Engine rvm = storeWithQueuedTruncation(anHour);
        Thread background = new Thread(executor::runAll, "test-background-truncation");
        background.start();
        awaitFirstPause();
        long atCall = pauseSteps.get();
        rvm.map("other", 0, PAGE); // waits for the segments: the truncation must stop pacing
        long after = pauseSteps.get();
        background.join();
        // Unhurried, the 16 chunks would sleep about 750 steps of 2 ms. Once map() is on the lock's queue at most
        // one more step passes; the bound leaves room for this thread being descheduled before it gets there.
        assertTrue(after - atCall < 250, "pause steps slept after map() started waiting: " + (after - atCall));
        assertEquals(1, rvm.statistics().truncations());
        assertEquals(0, rvm.statistics().logUsed(), "the truncation went through to the end of the log");
        rvm.close();
    }

    @Test
    void aPacedTruncationKeepsEveryCommitAcrossACrashAfterIt() throws Exception {
        Engine rvm = storeWithQueuedTruncation(Truncator.Spread.NATURAL);
        executor.runAll(); // paced (the commits just filled the log), on this thread
        assertEquals(1, rvm.statistics().truncations());
        assertEquals(0, rvm.statistics().logUsed());
        SimulatedStorage after = storage.reboot(1);
        try (RecoverableMemory again = RecoverableMemory.open(RvmOptions.builder(DIR).storage(after).build())) {
            assertEquals(0, again.statistics().lastRecoveryRecords(), "everything was in the segment already");
            Region r = again.map("big", 0, (long) PAGES * 2 * PAGE);
            for (int p = 0; p < PAGES; p++) {
                assertEquals(1000 + p, r.getLong((long) p * 2 * PAGE), "page " + p * 2);
            }
        }
    }

    @Test
    void anInterruptedPacedTruncationFinishesWithoutClosingTheFilesAndKeepsTheInterrupt(@TempDir Path dir)
            throws Exception {
        Engine rvm = storeWithQueuedTruncation(options(dir).build(), anHour);
        boolean[] interruptedAfter = new boolean[1];
        Thread background = new Thread(() -> {
            executor.runAll();
            interruptedAfter[0] = Thread.currentThread().isInterrupted();
        }, "test-background-truncation");
        background.start();
        awaitFirstPause();
        background.interrupt(); // as an executor's shutdownNow does
        background.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(background.isAlive(), "the interrupted truncation did not finish");
        assertTrue(interruptedAfter[0], "the interrupt is kept for the executor");
        assertTrue(rvm.isOpen(), "the store still works (an interrupt during file I/O closes the channel)");
        assertEquals(1, rvm.statistics().truncations());
        assertEquals(0, rvm.statistics().logUsed());
        Region r = rvm.map("other", 0, PAGE);
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 0, 8);
        r.putLong(0, 42);
        t.commit(CommitMode.FLUSH);
        rvm.close();
        try (RecoverableMemory again = RecoverableMemory.open(RvmOptions.builder(dir).build())) {
            assertEquals(42, again.map("other", 0, PAGE).getLong(0));
            Region big = again.map("big", 0, (long) PAGES * 2 * PAGE);
            for (int p = 0; p < PAGES; p++) {
                assertEquals(1000 + p, big.getLong((long) p * 2 * PAGE), "page " + p * 2);
            }
        }
    }
}
