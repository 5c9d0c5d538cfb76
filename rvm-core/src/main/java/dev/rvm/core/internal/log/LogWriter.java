package dev.rvm.core.internal.log;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.replication.LogReplicator;
import dev.rvm.core.replication.ReplicationException;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;

/**
 * Appends records to the circular log and makes them durable, with group commit: records are sealed into an
 * in-memory staging buffer under a short lock; one thread at a time writes the buffer and forces the file, while
 * others append to a fresh buffer and wait for a force that covers their own record. How long a group waits for
 * stragglers is {@link Linger}'s decision; lazily committed transactions wait in {@link LazyCommits} and enter the
 * log as one record ahead of whatever is appended next.
 *
 * <p>Fail-stop: a failed write or force is not retried. The writer records the failure and every later call
 * throws {@link ErrorCode#STORE_FAILED}, since what reached the disk is unknown until recovery.
 *
 * <p>Space: records occupy {@code [head, tail)}; an append that does not fit asks for a truncation and waits for
 * {@link #advanceHead}. Space for copying in-doubt prepares forward and for their outcome marks is kept back
 * ({@link LogSpace}). Thread-safe.
 */
public final class LogWriter {
    private static final int WRITE_OUT_THRESHOLD = 1 << 20;

    private final LogFile file;
    private final int storeIdLow;
    private final int epoch;
    private final long capacity;
    private final boolean coalescing;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition durableAdvanced = lock.newCondition();
    private final LogSpace space;
    /** {@link #checkUsable}, made once: appends pass it to {@link LogSpace} on every record. */
    private final Runnable usableCheck = this::checkUsable;
    /** Records in the staging buffer, i.e. commits the next force will cover. */
    private int stagedRecords;
    private final Linger linger;
    private final LazyCommits lazy;
    /** Seals a lazy group into the log (made once: every drain passes it). */
    private final LazyCommits.Sealer lazySealer = rb -> seal(rb, false);

    private volatile long durable;
    private byte[] staging = new byte[64 * 1024];
    private byte[] spare = new byte[64 * 1024];
    private int stagingLength;
    private long stagingStart;
    private boolean writing;
    private volatile IOException failure;

    private long forces;
    /** The age of the oldest lazy commit not yet durable. */
    private final UnforcedAge unforced = new UnforcedAge();
    /** Told the duration of each force; set once after construction. */
    private volatile LongConsumer forceListener = nanos -> { };
    private long records;
    private long bytesLogged;

    /** Where each written batch goes before the local log (null: not replicated); set once after construction. */
    private volatile LogReplicator replicator;

    /** Replicates every batch through {@code r} before writing it locally (see {@code dev.rvm.core.replication}). */
    public void replicateTo(LogReplicator r) {
        this.replicator = r;
    }

    /** Sets what is told the duration of every force (called without the writer's lock held). */
    public void onForce(LongConsumer listener) {
        this.forceListener = listener;
    }

    /**
     * A writer appending from {@code tail}, with everything before it durable.
     *
     * @param coalescing  whether {@code NO_FLUSH} commits are coalesced in a lazy group (else sealed one by one)
     * @param lazyLimit   bytes of values past which a lazy group is written out
     * @param spaceNeeded called (without locks held) when an append waits for space
     */
    public LogWriter(LogFile file, int storeIdLow, int epoch, long head, long tail, boolean coalescing, long lazyLimit,
            long logFullTimeoutNanos, Runnable spaceNeeded) {
        this(file, storeIdLow, epoch, head, tail, coalescing, lazyLimit, logFullTimeoutNanos, spaceNeeded,
                new Linger());
    }

    /** As the public constructor, with a group commit wait of the caller's choice (tests fix its length). */
    LogWriter(LogFile file, int storeIdLow, int epoch, long head, long tail, boolean coalescing, long lazyLimit,
            long logFullTimeoutNanos, Runnable spaceNeeded, Linger linger) {
        this.file = file;
        this.storeIdLow = storeIdLow;
        this.epoch = epoch;
        this.capacity = file.capacity();
        this.space = new LogSpace(lock, capacity, head, tail, logFullTimeoutNanos, spaceNeeded);
        this.durable = tail;
        this.stagingStart = tail;
        this.coalescing = coalescing;
        this.lazy = new LazyCommits(lazyLimit);
        this.linger = linger;
    }

    /**
     * Appends a record after any buffered lazy commits. Returns the LSN just after it; it is durable once
     * {@link #forceUpTo} with that LSN returns.
     */
    public long append(RecordBuilder rb) {
        return appendReserving(rb, 0);
    }

    /**
     * Appends a record of an in-doubt branch (a copy of its prepare, or its outcome mark) using the space reserved
     * for it. Does not queue behind appenders waiting for space, since truncation calls it to make space.
     */
    public long appendReserved(RecordBuilder rb) {
        lock.lock();
        try {
            checkUsable();
            return seal(rb, true);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends a PREPARE and keeps back {@code reserve} bytes for its branch (room for truncation to copy the record
     * forward and for its outcome mark) in the same step: the record and its reserve must fit in free space together.
     * Reserving afterwards would let a PREPARE take the last free bytes with its reserve counted but not there, and
     * truncation would then wait for space to copy it forward that only truncation can free. Released with
     * {@link #reserve} (negative) once the branch's outcome is durable.
     */
    public long appendReserving(RecordBuilder rb, long reserve) {
        lock.lock();
        try {
            passGate();
            drainLazy();
            return seal(rb, false, reserve);
        } finally {
            lock.unlock();
        }
    }

    private void passGate() {
        space.passGate(usableCheck);
    }

    /**
     * Adds a lazily committed transaction. With coalescing, its ranges join the lazy group; without, it is sealed
     * as its own record at once (still unforced). {@code ranges} is encoded by the caller into {@code rb} when
     * coalescing is off, and visited into the group when on.
     */
    public void appendLazy(RecordBuilder rb, RangeSink.Source ranges, long payloadBound) {
        lock.lock();
        try {
            passGate();
            if (!coalescing) {
                seal(rb, false);
                unforced.staged();
                return;
            }
            long sealed = lazy.groupsSealed();
            lazy.add(ranges, payloadBound, space, lazySealer);
            if (lazy.groupsSealed() != sealed) { // add sealed the group that was waiting (to make room or at its limit)
                unforced.groupSealed();
            }
            if (lazy.isEmpty()) {
                unforced.staged();
            } else {
                unforced.addedToGroup();
            }
        } finally {
            lock.unlock();
        }
        maybeWriteOut();
    }

    /** Writes any lazy group and forces everything appended so far; returns the durable end. */
    public long flushAll() {
        long end;
        lock.lock();
        try {
            passGate();
            drainLazy();
            end = space.tail();
        } finally {
            lock.unlock();
        }
        forceUpTo(end);
        return end;
    }

    /**
     * Seals the lazy group into the log, unforced, so that a record appended after this call follows every lazy
     * commit made before it. May wait for space, like any append.
     */
    public void sealLazy() {
        lock.lock();
        try {
            passGate();
            drainLazy();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forces every sealed record, leaving a lazy group in memory; returns the durable end. Truncation uses it:
     * it must not queue behind appenders that wait for the space it is about to free.
     */
    public long forceSealed() {
        long end;
        lock.lock();
        try {
            checkUsable();
            end = space.tail();
        } finally {
            lock.unlock();
        }
        forceUpTo(end);
        return end;
    }

    /**
     * Returns after a force of the log file that began after the call, sharing it with committers: makes a write
     * made outside the record stream before the call (a status block) durable without a force of its own.
     */
    public void forceAfterNow() {
        lock.lock();
        try {
            long target = forces + (writing ? 2 : 1); // an operation in flight may have begun before the write
            while (forces < target) {
                checkUsable();
                if (writing || linger.isWaiting()) {
                    durableAdvanced.awaitUninterruptibly();
                } else {
                    writeStaging(true);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns once every record before {@code lsn} is durable; shares forces with concurrent callers. */
    public void forceUpTo(long lsn) {
        if (durable >= lsn) {
            checkUsable();
            return;
        }
        boolean interrupted = false;
        lock.lock();
        try {
            while (durable < lsn) {
                checkUsable();
                if (writing) {
                    durableAdvanced.awaitUninterruptibly(); // the force in flight, or the next one, covers this record
                    continue;
                }
                long wait = linger.nanosToWait(stagedRecords);
                if (wait <= 0) {
                    writeStaging(true);
                    continue;
                }
                try {
                    durableAdvanced.awaitNanos(wait);
                } catch (InterruptedException e) {
                    interrupted = true; // a commit still finishes; the interrupt is the caller's, kept for it
                }
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes the staging buffer out (and forces it); called and returns with the lock held. */
    private void writeStaging(boolean force) {
        writing = true;
        linger.groupClosed();
        byte[] buf = staging;
        int n = stagingLength;
        long start = stagingStart;
        long end = space.tail();
        staging = spare;
        spare = null;
        stagingLength = 0;
        stagedRecords = 0;
        stagingStart = end;
        unforced.writeStarted();
        lock.unlock();
        IOException failed = null;
        try {
            if (n > 0) {
                if (replicator != null) {
                    replicator.replicate(start, buf, 0, n, durable); // a majority holds it before the local log does
                }
                file.write(start, buf, 0, n);
            }
            if (force) {
                long f0 = System.nanoTime();
                file.force();
                long took = System.nanoTime() - f0;
                linger.forced(took);
                forceListener.accept(took);
            }
        } catch (IOException e) {
            failed = e;
        } finally {
            lock.lock();
        }
        spare = buf;
        writing = false;
        if (failed != null) {
            failure = failed;
            durableAdvanced.signalAll();
            space.wakeAll();
            throw failed();
        }
        if (force) {
            durable = end;
            forces++;
        }
        unforced.writeEnded(force);
        durableAdvanced.signalAll();
    }

    /** Writes a large staging buffer out without forcing, so it does not grow without bound. */
    private void maybeWriteOut() {
        if (stagingLength < WRITE_OUT_THRESHOLD) {
            return;
        }
        lock.lock();
        try {
            if (!writing && stagingLength >= WRITE_OUT_THRESHOLD && failure == null) {
                writeStaging(false);
            }
        } finally {
            lock.unlock();
        }
    }

    private void drainLazy() {
        lazy.drain(lazySealer);
        if (lazy.isEmpty()) {
            unforced.groupSealed();
        }
    }

    /**
     * Milliseconds since the oldest {@code NO_FLUSH} commit that is not yet durable was made, or 0 if every commit
     * is durable: what a crash now could take.
     */
    public long oldestUnforcedCommitMillis() {
        lock.lock();
        try {
            return unforced.millis();
        } finally {
            lock.unlock();
        }
    }

    private long seal(RecordBuilder rb, boolean useReserve) {
        return seal(rb, useReserve, 0);
    }

    /** Seals {@code rb} once {@code extra} bytes more than the record are free as well (see {@link #appendReserving}). */
    private long seal(RecordBuilder rb, boolean useReserve, long extra) {
        int len = rb.sealedLength();
        space.awaitRoom(len, extra, useReserve, usableCheck);
        long lsn = space.tail();
        rb.seal(lsn, storeIdLow, epoch, durable);
        if (stagingLength + len > staging.length) {
            staging = Arrays.copyOf(staging, Math.max(staging.length * 2, stagingLength + len));
        }
        System.arraycopy(rb.buffer(), 0, staging, stagingLength, len);
        stagingLength += len;
        stagedRecords++;
        space.appended(len, extra);
        records++;
        bytesLogged += len;
        return lsn + len;
    }

    /** Tells the writer how many transactions are active, for group commit's lingering. */
    public void activeTransactions(IntSupplier count) {
        linger.activeTransactions(count);
    }

    /** The end of the durable log, without forcing anything. */
    public long durableEnd() {
        return durable;
    }

    /** Frees the log before {@code newHead} (truncation has applied it). */
    public void advanceHead(long newHead) {
        lock.lock();
        try {
            space.advanceHead(newHead);
        } finally {
            lock.unlock();
        }
    }

    /** Keeps back {@code bytes} (positive) or releases them (negative) for re-logging in-doubt prepares. */
    public void reserve(long bytes) {
        lock.lock();
        try {
            space.reserve(bytes);
        } finally {
            lock.unlock();
        }
    }

    /** Marks the writer failed (for example when a segment force failed during truncation). */
    public void fail(IOException cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            durableAdvanced.signalAll();
            space.wakeAll();
        } finally {
            lock.unlock();
        }
    }

    /** The failure that stopped the writer, or {@code null}. */
    public IOException failure() {
        return failure;
    }

    private void checkUsable() {
        if (failure != null) {
            throw failed();
        }
    }

    private RvmException failed() {
        if (failure instanceof ReplicationException r) {
            return new RvmException(r.code(), r.getMessage() + "; the store stopped", r);
        }
        return new RvmException(ErrorCode.STORE_FAILED,
                "the log could not be written or forced; the store stopped and must be reopened to recover", failure);
    }

    /** A consistent snapshot of positions and counters. */
    public Snapshot snapshot() {
        lock.lock();
        try {
            return new Snapshot(space.head(), space.tail(), durable, space.reserved(), forces, records, bytesLogged,
                    lazy.bytesSaved());
        } finally {
            lock.unlock();
        }
    }

    /** Positions and counters of the writer at one moment. */
    public record Snapshot(long head, long tail, long durable, long reserved, long forces, long records,
            long bytesLogged, long bytesSavedInter) {
    }

    /** Bytes of the log in use now, read without locking (for threshold checks). */
    public long used() {
        return space.used();
    }

    /** Bytes of the record area. */
    public long capacity() {
        return capacity;
    }

    /** LSN of the next record (a volatile read; may be stale by the time it is used). */
    public long tail() {
        return space.tail();
    }

    /** The session epoch stamped on records. */
    public int epoch() {
        return epoch;
    }
}
