package dev.rvm.core.internal;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.internal.log.LogWriter;
import dev.rvm.core.replication.LogReplicator;
import dev.rvm.core.replication.ReplicationException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Whether the store still takes work: it does until it is closed or an I/O failure stops its log writer. Every
 * entry point asks here first, so the refusals ({@link ErrorCode#STORE_CLOSED}, {@link ErrorCode#STORE_FAILED}, and
 * for a replicated store the replicator's {@link ErrorCode#NOT_LEADER} or {@link ErrorCode#NO_QUORUM}) read the same
 * wherever they come from. Thread-safe.
 */
final class StoreGuard {
    private final Path directory;
    private final LogWriter writer;
    /** A replicated store's replicator (null if not replicated): a fenced one refuses work first. */
    private final LogReplicator replicator;
    private volatile boolean closed;

    StoreGuard(Path directory, LogWriter writer, LogReplicator replicator) {
        this.directory = directory;
        this.writer = writer;
        this.replicator = replicator;
    }

    /** Refuses work on a closed or failed store. */
    void checkUsable() {
        if (replicator != null) {
            replicator.checkActive(); // a fenced replica's store says so even after it was closed
        }
        if (closed) {
            throw new RvmException(ErrorCode.STORE_CLOSED, "the store in " + directory + " is closed");
        }
        IOException f = writer.failure();
        if (f instanceof ReplicationException r) {
            throw new RvmException(r.code(), r.getMessage() + "; the store stopped", r);
        }
        if (f != null) {
            throw new RvmException(ErrorCode.STORE_FAILED, "an I/O failure stopped the store in " + directory
                    + "; close it and reopen it to recover", f);
        }
    }

    /** Neither closed nor stopped by a failure. */
    boolean isOpen() {
        return !closed && writer.failure() == null;
    }

    boolean isClosed() {
        return closed;
    }

    /** From now on the store refuses work; the caller holds the segment lock, so no truncation is writing. */
    void markClosed() {
        closed = true;
    }
}
