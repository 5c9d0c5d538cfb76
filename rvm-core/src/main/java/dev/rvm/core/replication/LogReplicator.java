package dev.rvm.core.replication;

import java.io.IOException;

/**
 * Where an active store sends its log before acknowledging anything: the service-provider side of replication.
 * The store calls it from the thread that writes a group-commit batch, one call at a time and in log order, and
 * from threads that create segments or check that the store may still work.
 *
 * <p>Implementations must be thread-safe.
 */
public interface LogReplicator {
    /**
     * Replicates the sealed records {@code records[off, off + len)}, which start at log position {@code startLsn}
     * and directly follow the previous call's. Returns only once a majority of the group holds them durably.
     * {@code localDurable} is how far this store's own log is forced (every earlier batch ending at or before it is on
     * this store's disk), which tells a replicator what a snapshot of this store's directory may claim.
     *
     * @throws ReplicationException if that cannot be established (not the leader, no majority in time); the store
     *         then stops, since the batch may or may not be committed
     */
    void replicate(long startLsn, byte[] records, int off, int len, long localDurable) throws IOException;

    /**
     * Replicates the creation of a segment, before the store creates it locally.
     *
     * @throws ReplicationException as for {@link #replicate}
     */
    void segmentCreated(String name, long size) throws IOException;

    /**
     * Throws {@link dev.rvm.core.RvmException} with {@link dev.rvm.core.ErrorCode#NOT_LEADER} if this member may no
     * longer serve (it lost leadership): called before each piece of new work, so a deposed leader fences itself.
     */
    void checkActive();
}
