package dev.rvm.core.replication;

import dev.rvm.core.BranchId;
import dev.rvm.core.internal.Follower;
import dev.rvm.core.io.FileStorage;
import dev.rvm.core.io.Storage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A member's copy of a replicated store while it is not the active one: a store directory kept up to date by
 * applying, in log order, the batches the leader's {@link LogReplicator} replicated and the group committed.
 *
 * <p>The directory is at every moment a valid store: {@link #close()} checkpoints it, after which
 * {@link dev.rvm.core.RecoverableMemory#open} recovers it with every applied commit and lists every applied PREPARE
 * without an outcome as in doubt. A batch already applied (the replication engine replays its log after a restart)
 * is recognised by its position and skipped, so applying is idempotent.
 *
 * <p>Not thread-safe: one thread applies.
 */
public final class ReplicaStore implements Closeable {
    private final Follower follower;

    private ReplicaStore(Follower follower) {
        this.follower = follower;
    }

    /**
     * Opens, creating it if missing, the replica in {@code directory} of the store {@code storeId} whose log is
     * {@code logSize} bytes (both must be the same on every member), and recovers it.
     */
    public static ReplicaStore open(Path directory, long storeId, long logSize) {
        return open(FileStorage.instance(), directory, storeId, logSize);
    }

    /** As {@link #open(Path, long, long)}, through {@code storage}. */
    public static ReplicaStore open(Storage storage, Path directory, long storeId, long logSize) {
        return new ReplicaStore(Follower.open(storage, directory, storeId, logSize));
    }

    /**
     * Applies a committed batch of sealed records starting at {@code startLsn}: written and forced in this log at the
     * same position, checked record by record, replayed onto the segments.
     *
     * @return false if this replica already held it
     * @throws dev.rvm.core.RvmException {@code LOG_CORRUPT} for a gap or an invalid record
     */
    public boolean apply(long startLsn, byte[] records, int off, int len) throws IOException {
        return follower.apply(startLsn, records, off, len);
    }

    /** Creates a segment the leader created; false if it exists already with that size. */
    public boolean createSegment(String name, long size) throws IOException {
        return follower.createSegment(name, size);
    }

    /** Forces the segments and moves the head (this replica's truncation); the directory then needs no later batch. */
    public void checkpoint() throws IOException {
        follower.checkpoint();
    }

    /** The log position after the last applied batch. */
    public long appliedLsn() {
        return follower.appliedLsn();
    }

    /** Branches prepared and without an outcome so far. */
    public List<BranchId> inDoubt() {
        return follower.inDoubt();
    }

    /** Batches applied since open. */
    public long batches() {
        return follower.batches();
    }

    /** Checkpoints and releases the directory (its lock too), so it can be opened as the active store. */
    @Override
    public void close() throws IOException {
        follower.close();
    }
}
