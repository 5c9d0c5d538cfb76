package dev.rvm.core.internal;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.internal.log.LogWriter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Whether the store still takes work: it does until it is closed or an I/O failure stops its log writer. Every
 * entry point asks here first, so the two refusals ({@link ErrorCode#STORE_CLOSED}, {@link ErrorCode#STORE_FAILED})
 * read the same wherever they come from. Thread-safe.
 */
final class StoreGuard {
    private final Path directory;
    private final LogWriter writer;
    private volatile boolean closed;

    StoreGuard(Path directory, LogWriter writer) {
        this.directory = directory;
        this.writer = writer;
    }

    /** Refuses work on a closed or failed store. */
    void checkUsable() {
        if (closed) {
            throw new RvmException(ErrorCode.STORE_CLOSED, "the store in " + directory + " is closed");
        }
        IOException f = writer.failure();
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
