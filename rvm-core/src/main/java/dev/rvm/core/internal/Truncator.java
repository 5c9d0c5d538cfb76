package dev.rvm.core.internal;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.internal.log.LogRecord;
import dev.rvm.core.internal.log.LogScanner;
import dev.rvm.core.internal.log.LogWriter;
import dev.rvm.core.internal.replay.PageApplier;
import dev.rvm.core.internal.replay.Replayer;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Epoch truncation, while other threads keep committing: forces the log, replays the durable records from the head
 * onto the segments, copies still-in-doubt PREPARE records forward, forces the segments, and only then moves the
 * head in the status block. A crash at any point leaves either the old head (the replay is redone, idempotently)
 * or the new one (the segments already hold everything before it).
 *
 * <p>Runs on the caller's thread ({@link #truncate()}) or in the background on an {@link Executor} when the log
 * passes its threshold. One truncation at a time. Thread-safe.
 */
final class Truncator {
    private final Engine engine;
    private final Executor executor;
    private final double threshold;
    private final Object mutex = new Object();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** The scan buffer, kept across truncations: a fresh multi-MiB array each time churns the garbage collector. */
    private byte[] window;
    /** Set when a commit waits for space: the next truncation forces first, so unforced records can be freed too. */
    private volatile boolean forceFirst;

    Truncator(Engine engine, Executor executor, double threshold) {
        this.engine = engine;
        this.executor = executor;
        this.threshold = threshold;
    }

    /** The lock held while segment files are written; {@code map} holds it while reading them. */
    Object mutex() {
        return mutex;
    }

    /** Schedules a background truncation if the log is past the threshold (or {@code always}). */
    void maybeSchedule(boolean always) {
        LogWriter w = engine.writer();
        if (!always && w.used() < threshold * w.capacity()) {
            return;
        }
        if (always) {
            forceFirst = true;
        }
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::background);
        } catch (RejectedExecutionException e) {
            scheduled.set(false);
        }
    }

    private void background() {
        try {
            if (engine.isOpen()) {
                truncate();
            }
        } catch (RuntimeException e) {
            engine.backgroundFailure(e);
        } finally {
            scheduled.set(false);
        }
    }

    /** Truncates everything durable now. */
    void truncate() {
        synchronized (mutex) {
            engine.checkUsable();
            long t0 = System.nanoTime();
            try {
                run();
            } catch (IOException e) {
                engine.writer().fail(e);
                throw new RvmException(ErrorCode.STORE_FAILED, "truncation failed; the store stopped and must be reopened"
                        + " to recover", e);
            }
            long took = System.nanoTime() - t0;
            engine.counters().truncations.increment();
            engine.counters().truncationNanos.add(took);
            engine.counters().lastTruncationNanos = took;
        }
    }

    private void run() throws IOException {
        LogWriter w = engine.writer();
        long head = engine.status().current().head();
        // Truncate what is durable already: forcing here would only compete with committers for the disk.
        // (An explicit truncate() flushes first, so it covers every commit made before it.)
        long end = forceFirst ? w.forceSealed() : w.durableEnd();
        forceFirst = false;
        if (end == head) {
            return;
        }
        PageApplier applier = new PageApplier(engine.segments()::byId);
        Replayer replayer = new Replayer(applier, head);
        if (window == null) {
            window = LogScanner.newWindow(engine.logFile());
        }
        LogScanner scanner = new LogScanner(engine.logFile(), engine.storeIdLow(), head, end, 0, window);
        LogRecord r;
        while ((r = scanner.nextView()) != null) {
            replayer.accept(r);
        }
        if (scanner.position() != end) {
            throw new RvmException(ErrorCode.LOG_CORRUPT, "durable log record at lsn " + scanner.position()
                    + " is invalid (" + scanner.endReason() + "); truncation stopped");
        }
        boolean relogged = false;
        java.util.List<LogRecord> unresolved = replayer.unresolved();
        for (LogRecord p : unresolved) {
            switch (engine.branches().decide(p.lsn())) {
                case APPLY:
                    replayer.applyRanges(p);
                    break;
                case RELOGGED:
                    relogged = true;
                    break;
                default:
                    break;
            }
        }
        // Copies of in-doubt prepares and outcome marks decided on must be durable before the head passes them.
        if (relogged || !unresolved.isEmpty()) {
            w.forceSealed();
        }
        applier.finish();
        engine.status().advanceHead(end);
        w.advanceHead(end);
        engine.branches().truncatedTo(end);
    }
}
