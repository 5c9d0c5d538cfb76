package dev.rvm.core.internal;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.internal.log.LogFile;
import dev.rvm.core.internal.log.LogRecord;
import dev.rvm.core.internal.log.LogScanner;
import dev.rvm.core.internal.log.LogWriter;
import dev.rvm.core.internal.replay.PageApplier;
import dev.rvm.core.internal.replay.Replayer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Epoch truncation, while other threads keep committing: forces the log, replays the durable records from the head
 * onto the segments, copies still-in-doubt PREPARE records forward, forces the segments, and only then moves the
 * head in the status block. A crash at any point leaves either the old head (the replay is redone, idempotently)
 * or the new one (the segments already hold everything before it).
 *
 * <p>Runs on the caller's thread ({@link #truncate()}, at full speed) or in the background on an {@link Executor}
 * when the log passes its threshold. A background truncation is <em>paced</em>: it writes and forces the segments
 * a chunk at a time and sleeps between chunks, spread over the time the log can still grow before it gets tight.
 * Segment forces and commit forces share the disk; one burst of segment writes makes the commits whose forces
 * queue behind it several times slower, while spread-out chunks delay few commits, and each by little (as
 * PostgreSQL spreads a checkpoint). Anyone who needs the truncation done ends the pacing: a thread waiting for the
 * segment lock, a commit waiting for log space, the log passing its high-water mark, close.
 * One truncation at a time. Thread-safe.
 */
final class Truncator {
    /** Longest pause between two chunks: bounds how long a paced truncation holds the segments. */
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Longest spread of one paced truncation: bounds how long log space stays unreclaimed on a quiet store. */
    private static final long MAX_SPREAD_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Pauses are slept in steps this long, so that a thread needing the truncation done waits at most one. */
    private static final long PAUSE_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private static final System.Logger LOG = System.getLogger("dev.rvm.core");

    /**
     * How a paced truncation is stretched beyond what the log's growth asks for, and who is told of each pause step
     * it sleeps. {@link #NATURAL} in a store; a test stretches it to watch a paced truncation step aside.
     *
     * @param minimumNanos every paced truncation spreads its chunks over at least this long
     * @param onPauseStep  run after each pause step, on the truncating thread
     */
    record Spread(long minimumNanos, Runnable onPauseStep) {
        /** Pacing as the log's growth asks, observed by nobody. */
        static final Spread NATURAL = new Spread(0, () -> { });
    }

    private final LogWriter writer;
    private final LogFile log;
    private final int storeIdLow;
    private final StatusKeeper status;
    private final SegmentRegistry segments;
    private final Branches branches;
    private final StoreGuard guard;
    private final Counters counters;
    private final Executor executor;
    private final double threshold;
    /** Pacing stops when the log is this full: half of the room above the threshold. */
    private final double highWater;
    private final Spread spread;
    private final ReentrantLock segmentLock;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** The scan buffer, kept across truncations: a fresh multi-MiB array each time churns the garbage collector. */
    private byte[] window;
    /** Set when a commit waits for space: the next truncation forces first, so unforced records can be freed too. */
    private volatile boolean forceFirst;
    /** Log tail and time at the end of the last truncation (or open): the log's recent rate of growth. */
    private long lastTail;
    private long lastNanos;

    /**
     * @param segmentLock held while segment files are written; whoever reads them ({@code map}) or closes them
     *                    takes it too
     * @param executor    runs background truncations
     * @param threshold   the fraction of the log in use past which a commit schedules a background truncation
     */
    Truncator(LogWriter writer, LogFile log, int storeIdLow, StatusKeeper status, SegmentRegistry segments,
            Branches branches, StoreGuard guard, Counters counters, ReentrantLock segmentLock, Executor executor,
            double threshold, Spread spread) {
        this.writer = writer;
        this.log = log;
        this.storeIdLow = storeIdLow;
        this.status = status;
        this.segments = segments;
        this.branches = branches;
        this.guard = guard;
        this.counters = counters;
        this.segmentLock = segmentLock;
        this.executor = executor;
        this.threshold = threshold;
        this.highWater = threshold + (1 - threshold) / 2;
        this.spread = spread;
    }

    /** Starts the log's rate of growth at its tail after recovery. */
    void logOpened(long tail) {
        lastTail = tail;
        lastNanos = System.nanoTime();
    }

    /** Schedules a background truncation if the log is past the threshold (or {@code always}). */
    void maybeSchedule(boolean always) {
        LogWriter w = writer;
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
            if (guard.isOpen()) {
                truncate(true);
            }
        } catch (RuntimeException e) {
            if (!guard.isClosed()) {
                LOG.log(System.Logger.Level.ERROR, "RVM background truncation failed", e);
            }
        } finally {
            scheduled.set(false);
        }
    }

    /** Truncates everything durable now, at full speed. */
    void truncate() {
        truncate(false);
    }

    private void truncate(boolean paced) {
        segmentLock.lock();
        try {
            guard.checkUsable();
            long t0 = System.nanoTime();
            try {
                run(paced ? new Pacer(t0) : null);
            } catch (IOException e) {
                writer.fail(e);
                throw new RvmException(ErrorCode.STORE_FAILED, "truncation failed; the store stopped and must be reopened"
                        + " to recover", e);
            }
            long took = System.nanoTime() - t0;
            counters.truncations.increment();
            counters.truncationNanos.add(took);
            counters.lastTruncationNanos = took;
            lastTail = writer.tail();
            lastNanos = System.nanoTime();
        } finally {
            segmentLock.unlock();
        }
    }

    private void run(Pacer pacer) throws IOException {
        LogWriter w = writer;
        long head = status.current().head();
        // Truncate what is durable already: forcing here would only compete with committers for the disk.
        // (An explicit truncate() flushes first, so it covers every commit made before it.)
        long end = forceFirst ? w.forceSealed() : w.durableEnd();
        forceFirst = false;
        if (end == head) {
            return;
        }
        PageApplier applier = new PageApplier(segments::byId, pacer);
        Replayer replayer = new Replayer(applier, head);
        if (window == null) {
            window = LogScanner.newWindow(log);
        }
        LogScanner scanner = new LogScanner(log, storeIdLow, head, end, 0, window);
        LogRecord r;
        while ((r = scanner.nextView()) != null) {
            replayer.accept(r);
        }
        if (scanner.position() != end) {
            throw new RvmException(ErrorCode.LOG_CORRUPT, "durable log record at lsn " + scanner.position()
                    + " is invalid (" + scanner.endReason() + "); truncation stopped");
        }
        boolean relogged = false;
        List<LogRecord> unresolved = replayer.unresolved();
        for (LogRecord p : unresolved) {
            switch (branches.decide(p.lsn())) {
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
        // The new head must be durable before its space is reused; it rides on a commit's force when there is one.
        status.advanceHead(end);
        w.forceAfterNow();
        w.advanceHead(end);
        branches.truncatedTo(end);
    }

    /**
     * Spreads one background truncation's chunks over half the time the log would take, at the rate it grew since
     * the last truncation, to go from its present use to the high-water mark. Called with the segment lock held.
     */
    private final class Pacer implements PageApplier.Pacing {
        private final long deadline;
        private boolean hurry;

        Pacer(long start) {
            LogWriter w = writer;
            long tail = w.tail();
            long room = (long) (highWater * w.capacity()) - w.used();
            long grown = tail - lastTail;
            long spent = start - lastNanos;
            long over = 0; // idle log (nothing to compete with) or no room: full speed
            if (grown > 0 && room > 0 && spent > 0) {
                over = (long) Math.min(0.5 * room * ((double) spent / grown), Long.MAX_VALUE / 4);
            }
            deadline = start + Math.max(Math.min(over, MAX_SPREAD_NANOS), spread.minimumNanos());
        }

        @Override
        public void chunkForced(long done, long total) {
            long left = deadline - System.nanoTime();
            if (hurry || left <= 0 || done >= total) {
                return;
            }
            long chunksLeft = Math.max(1, (total - done + PageApplier.PACED_CHUNK - 1) / PageApplier.PACED_CHUNK);
            long until = System.nanoTime() + Math.min(MAX_PAUSE_NANOS, left / (chunksLeft + 1));
            long remaining;
            while ((remaining = until - System.nanoTime()) > 0) {
                if (needed()) {
                    hurry = true;
                    return;
                }
                LockSupport.parkNanos(Math.min(remaining, PAUSE_STEP_NANOS));
                if (Thread.currentThread().isInterrupted()) {
                    hurry = true; // being stopped (executor shut down): finish unpaced
                    return;
                }
                spread.onPauseStep().run();
            }
        }

        /** Whether someone waits for this truncation to end. */
        private boolean needed() {
            LogWriter w = writer;
            return segmentLock.hasQueuedThreads() || forceFirst || !guard.isOpen()
                    || w.used() >= highWater * w.capacity();
        }
    }
}
