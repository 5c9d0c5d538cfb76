package dev.rvm.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;

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

    private RvmOptions options() {
        return RvmOptions.builder(DIR).storage(storage).logSize(1 << 20).truncationThreshold(0.01)
                .truncationExecutor(executor).build();
    }

    /** Commits one long into each of {@link #PAGES} pages; returns the store with a truncation queued. */
    private Engine storeWithQueuedTruncation() {
        Engine rvm = Engine.open(options());
        rvm.createSegment("big", (long) PAGES * 2 * PAGE);
        rvm.createSegment("other", PAGE);
        Region r = rvm.map("big", 0, (long) PAGES * 2 * PAGE);
        for (int p = 0; p < PAGES; p++) {
            Transaction t = rvm.begin(RestoreMode.RESTORE);
            t.setRange(r, (long) p * 2 * PAGE, 8);
            r.putLong((long) p * 2 * PAGE, 1000 + p);
            t.commit(CommitMode.FLUSH);
        }
        return rvm;
    }

    @Test
    void aThreadWaitingForThePacedTruncationEndsItsPauses() throws Exception {
        Engine rvm = storeWithQueuedTruncation();
        rvm.truncator().spreadAtLeast(TimeUnit.HOURS.toNanos(1));
        Thread background = new Thread(executor::runAll, "test-background-truncation");
        background.start();
        long give = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (rvm.truncator().pauseSteps() == 0) {
            assertTrue(System.nanoTime() < give, "the background truncation never paused");
            Thread.sleep(1);
        }
        long atCall = rvm.truncator().pauseSteps();
        rvm.map("other", 0, PAGE); // waits for the segments: the truncation must stop pacing
        long after = rvm.truncator().pauseSteps();
        background.join();
        // Unhurried, the 16 chunks would sleep about 750 steps of 2 ms; one step may be under way when map queues,
        // and a few more may pass before the waiting thread is on the lock's queue.
        assertTrue(after - atCall < 50, "pause steps slept after map() started waiting: " + (after - atCall));
        assertEquals(1, rvm.statistics().truncations());
        assertEquals(0, rvm.statistics().logUsed(), "the truncation went through to the end of the log");
        rvm.close();
    }

    @Test
    void aPacedTruncationKeepsEveryCommitAcrossACrashAfterIt() throws Exception {
        Engine rvm = storeWithQueuedTruncation();
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
}
