package dev.rvm.core.internal;

import dev.rvm.core.BranchId;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.internal.log.LogFile;
import dev.rvm.core.internal.log.LogRecord;
import dev.rvm.core.internal.log.LogScanner;
import dev.rvm.core.internal.log.StatusBlock;
import dev.rvm.core.internal.replay.PageApplier;
import dev.rvm.core.internal.replay.Replayer;
import dev.rvm.core.io.Storage;
import dev.rvm.core.io.StorageFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A store kept up to date from another store's log: the engine behind {@link dev.rvm.core.replication.ReplicaStore}.
 *
 * <p>Opening it recovers the directory as {@code open} would (scan from the head, replay onto the segments) but
 * writes nothing after the recovered end. Each {@link #apply} writes a batch of sealed records into the log at the
 * positions they have on the leader, forces it, checks every record (the scanner's rules: length, position, store
 * id, epoch, CRC) and replays them with the same {@link Replayer} as recovery and truncation, which it keeps from
 * batch to batch so a PREPARE waits for its outcome across batches. {@link #checkpoint} is this replica's
 * truncation: it writes out and forces the patched segment pages and moves the head to the oldest PREPARE still in
 * doubt (or the applied end), so the log from the head is always what a recovery needs. The head never passes a
 * PREPARE in doubt, and the leader copies such a PREPARE forward before reusing its space, so the live part of this
 * log is never longer than the leader's and a batch never overwrites it.
 *
 * <p>Not thread-safe: one applier thread (the replication engine's) calls it.
 */
public final class Follower implements Closeable {
    private final Closeable storeLock;
    private final LogFile log;
    private final long storeId;
    private final StatusKeeper status;
    private final SegmentRegistry segments;
    private final byte[] window;
    private final PageApplier applier;
    private final Replayer replayer;
    private long head;
    private long applied;
    private int epoch;
    private long batches;
    private boolean closed;

    private Follower(Closeable storeLock, LogFile log, StatusBlock st, Storage storage, Path dir) throws IOException {
        this.storeLock = storeLock;
        this.log = log;
        this.storeId = st.storeId();
        this.status = new StatusKeeper(log, st);
        this.segments = new SegmentRegistry(storage, dir, storeId, status);
        this.window = LogScanner.newWindow(log);
        segments.openAll();
        this.applier = new PageApplier(segments::byId);
        this.head = st.head();
        this.replayer = new Replayer(applier, head);
        LogScanner sc = new LogScanner(log, storeIdLow(), head, head + log.capacity(), 0, window);
        LogRecord r;
        while ((r = sc.nextView()) != null) {
            replayer.accept(r);
        }
        sc.checkNoDurableRecordAfterEnd();
        this.applied = sc.position();
        this.epoch = Math.max(st.epoch(), sc.epoch());
    }

    /**
     * Opens (creating it if missing) the store in {@code dir} as a replica of the store {@code storeId} whose log is
     * {@code logSize} bytes, and recovers it. Takes the store's lock, like {@code open}.
     */
    public static Follower open(Storage storage, Path dir, long storeId, long logSize) {
        Closeable lock = null;
        LogFile log = null;
        try {
            storage.createDirectories(dir);
            lock = StoreFiles.lock(storage, dir, true);
            Path logPath = dir.resolve(RvmOptions.LOG_FILE_NAME);
            if (!storage.exists(logPath)) {
                StoreFiles.createLog(storage, logPath, logSize, storeId);
            }
            StorageFile f = storage.open(logPath);
            log = new LogFile(f, f.size());
            StatusBlock st = StoreFiles.readStatus(log, logPath);
            if (st.storeId() != storeId || st.logSize() != logSize) {
                throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "the store in " + dir + " is store "
                        + Long.toHexString(st.storeId()) + " with a log of " + st.logSize() + " bytes; this group's is "
                        + Long.toHexString(storeId) + " with " + logSize + " bytes");
            }
            return new Follower(lock, log, st, storage, dir);
        } catch (IOException | RuntimeException e) {
            closeQuietly(log);
            closeQuietly(lock);
            if (e instanceof RvmException re) {
                throw re;
            }
            throw new RvmException(ErrorCode.IO_ERROR, "opening the replica in " + dir + " failed: " + e, e);
        }
    }

    private int storeIdLow() {
        return (int) storeId;
    }

    /**
     * Applies the sealed records {@code b[off, off + len)} that start at log position {@code startLsn}. A batch
     * that ends at or before the applied end is already here (a replay after a restart) and is skipped; one that
     * starts after it is a gap, and refused.
     *
     * @return false if the batch was already applied
     */
    public boolean apply(long startLsn, byte[] b, int off, int len) throws IOException {
        checkOpen();
        long end = startLsn + len;
        if (end <= applied) {
            return false;
        }
        if (startLsn > applied) {
            throw new RvmException(ErrorCode.LOG_CORRUPT, "replicated batch [" + startLsn + ", " + end
                    + ") does not follow this replica's log, which ends at " + applied);
        }
        if (end - head > log.capacity() / 2) {
            checkpoint();
            if (end - head > log.capacity()) {
                throw new RvmException(ErrorCode.LOG_FULL, "replicated batch [" + startLsn + ", " + end
                        + ") does not fit after the oldest record this replica still needs, at " + head);
            }
        }
        log.write(startLsn, b, off, len);
        log.force();
        LogScanner sc = new LogScanner(log, storeIdLow(), applied, end, epoch, window);
        LogRecord r;
        while ((r = sc.nextView()) != null) {
            replayer.accept(r);
        }
        if (sc.position() != end) {
            throw new RvmException(ErrorCode.LOG_CORRUPT, "replicated batch [" + startLsn + ", " + end
                    + ") holds an invalid record at " + sc.position() + ": " + sc.endReason());
        }
        applied = end;
        epoch = sc.epoch();
        batches++;
        return true;
    }

    /**
     * Creates a segment as the leader did; a segment that exists with that size is kept (a replay). Refusals the
     * leader also met (a bad name, a size that is not positive, a full table) are thrown as they are.
     *
     * @return false if the segment already existed
     */
    public boolean createSegment(String name, long size) throws IOException {
        checkOpen();
        if (segments.exists(name)) {
            long have = segments.byName(name).size();
            if (have != size) {
                throw new RvmException(ErrorCode.SEGMENT_EXISTS, "segment '" + name + "' exists here with " + have
                        + " bytes; the leader created it with " + size);
            }
            return false;
        }
        segments.create(name, size);
        return true;
    }

    /**
     * This replica's truncation: writes and forces the segments, then moves the head (forced) to the oldest
     * PREPARE in doubt or the applied end, and records the highest epoch seen, so an {@code open} of this directory
     * starts a newer epoch than every record in it.
     */
    public void checkpoint() throws IOException {
        checkOpen();
        applier.finish();
        log.force();
        long newHead = applied;
        for (LogRecord p : replayer.unresolved()) {
            newHead = Math.min(newHead, p.lsn());
        }
        status.checkpoint(newHead, epoch);
        head = newHead;
    }

    /** The end of the applied log: where the next batch starts. */
    public long appliedLsn() {
        return applied;
    }

    /** The head in the status block: the oldest record a recovery of this directory reads. */
    public long head() {
        return head;
    }

    /** Batches applied since open. */
    public long batches() {
        return batches;
    }

    /** The store id. */
    public long storeId() {
        return storeId;
    }

    /** Branches prepared and without an outcome in the applied log, in prepare order. */
    public List<BranchId> inDoubt() {
        List<BranchId> ids = new ArrayList<>();
        for (LogRecord p : replayer.unresolved()) {
            ids.add(p.branchId());
        }
        return ids;
    }

    private void checkOpen() {
        if (closed) {
            throw new RvmException(ErrorCode.STORE_CLOSED, "the replica is closed");
        }
    }

    /** Checkpoints, then releases the files and the store's lock. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            checkpoint();
        } finally {
            closed = true;
            closeQuietly(segments);
            closeQuietly(log);
            closeQuietly(storeLock);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // releasing after the outcome that matters was decided or reported
            }
        }
    }
}
