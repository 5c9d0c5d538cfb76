package dev.rvm.core.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.io.FileStorage;
import dev.rvm.core.io.ForwardingStorageFile;
import dev.rvm.core.io.StorageFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who forces a group commit. A group waits for transactions that are active but have not appended yet; the last
 * of them to arrive forces at once, since waking a waiting leader instead costs a thread wake-up between forces.
 * Counts and names the forcing threads, never times them.
 */
class GroupCommitLeaderTest {
    private static final long LONG_LINGER = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path dir;

    private final List<Thread> forcers = new CopyOnWriteArrayList<>();
    private final AtomicInteger active = new AtomicInteger();
    private LogFile log;
    private LogWriter writer;

    @BeforeEach
    void open() throws IOException {
        long size = 1 << 20;
        StorageFile f = new RecordingForces(FileStorage.instance().create(dir.resolve("log"), size));
        log = new LogFile(f, size);
    }

    /** The writer under test, whose groups wait up to {@code lingerNanos} for stragglers. */
    private void writerLingering(long lingerNanos) {
        writer = new LogWriter(log, 1, 1, 0, 0, true, 1 << 20, TimeUnit.SECONDS.toNanos(5), () -> { },
                new Linger(lingerNanos));
        writer.activeTransactions(active::get);
    }

    @AfterEach
    void close() throws Exception {
        log.close();
    }

    private long appendOne() {
        return writer.append(new RecordBuilder().reset(LogFormat.COMMIT, (byte) 0).varint(1).varint(0));
    }

    /** Starts a committer that appends and waits for its force, on its own thread. */
    private Thread committer(String name, AtomicReference<Throwable> failure) {
        Thread t = new Thread(() -> {
            try {
                writer.forceUpTo(appendOne());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, name);
        t.start();
        return t;
    }

    private static void awaitWaiting(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (t.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(t.isAlive() && System.nanoTime() < deadline, t.getName() + " never waited for stragglers: "
                    + t.getState());
            Thread.sleep(1);
        }
    }

    @Test
    void theLastTransactionToJoinAGroupForcesItItself() throws Exception {
        writerLingering(LONG_LINGER);
        active.set(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread first = committer("first", failure);
        awaitWaiting(first); // staged 1 of 2 active: it waits for the other
        long lsn = appendOne();
        writer.forceUpTo(lsn); // the group is complete: this thread forces, without waiting for the first one
        first.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(first.isAlive(), "the first committer was not released by the group's force");
        assertNull(failure.get());
        assertEquals(List.of(Thread.currentThread()), forcers, "one force, by the last to arrive");
        assertTrue(writer.durableEnd() >= lsn);
    }

    @Test
    void aGroupWhoseStragglerNeverArrivesIsForcedWhenItsWaitEnds() throws Exception {
        writerLingering(TimeUnit.MILLISECONDS.toNanos(50));
        active.set(2); // the second transaction never commits
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread first = committer("first", failure);
        first.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(first.isAlive(), "a group waiting for a transaction that never commits never forced");
        assertNull(failure.get());
        assertEquals(List.of(first), forcers);
    }

    @Test
    void aLoneCommitterForcesWithoutWaiting() {
        writerLingering(LONG_LINGER);
        active.set(1);
        writer.forceUpTo(appendOne()); // would hang for a minute if it waited for stragglers
        assertEquals(List.of(Thread.currentThread()), forcers);
    }

    @Test
    void anInterruptedCommitterStillWaitsForItsForceAndKeepsTheInterrupt() {
        writerLingering(TimeUnit.MILLISECONDS.toNanos(50));
        active.set(2);
        long lsn = appendOne();
        Thread.currentThread().interrupt();
        try {
            writer.forceUpTo(lsn);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is the caller's, kept for it");
        } finally {
            Thread.interrupted();
        }
        assertTrue(writer.durableEnd() >= lsn, "returned before its record was durable");
        assertEquals(1, forcers.size());
    }

    /** Records the thread of every force. */
    private final class RecordingForces extends ForwardingStorageFile {
        RecordingForces(StorageFile f) {
            super(f);
        }

        @Override
        public void force() throws IOException {
            forcers.add(Thread.currentThread());
            super.force();
        }
    }
}
