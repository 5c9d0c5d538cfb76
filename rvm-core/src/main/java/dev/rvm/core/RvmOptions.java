package dev.rvm.core;

import dev.rvm.core.io.FileStorage;
import dev.rvm.core.io.Storage;
import dev.rvm.core.replication.LogReplicator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How to open a store — the paper's {@code rvm_options}. Immutable and thread-safe; build with
 * {@link #builder(Path)}.
 *
 * <p>The store directory holds the log ({@value #LOG_FILE_NAME}) and the segment files ({@code segments/}).
 */
public final class RvmOptions {
    /** Name of the log file inside the store directory. */
    public static final String LOG_FILE_NAME = "rvm.log";
    /** Smallest log accepted: the status blocks plus room for a few records. */
    public static final long MIN_LOG_SIZE = 64 * 1024;

    private final Path directory;
    private final long logSize;
    private final double truncationThreshold;
    private final boolean coalescing;
    private final boolean rangeLocks;
    private final Duration lockTimeout;
    private final Duration logFullTimeout;
    private final long lazyBufferLimit;
    private final Storage storage;
    private final Executor truncationExecutor;
    private final boolean createIfMissing;
    private final boolean groupCommitWait;
    private final LogReplicator replicator;

    private RvmOptions(Builder b) {
        this.directory = b.directory;
        this.logSize = b.logSize;
        this.truncationThreshold = b.truncationThreshold;
        this.coalescing = b.coalescing;
        this.rangeLocks = b.rangeLocks;
        this.lockTimeout = b.lockTimeout;
        this.logFullTimeout = b.logFullTimeout;
        this.lazyBufferLimit = b.lazyBufferLimit;
        this.storage = b.storage;
        this.truncationExecutor = b.truncationExecutor;
        this.createIfMissing = b.createIfMissing;
        this.groupCommitWait = b.groupCommitWait;
        this.replicator = b.replicator;
    }

    /** A builder for a store in {@code directory}. */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** The store directory. */
    public Path directory() {
        return directory;
    }

    /** The log file's path. */
    public Path logFile() {
        return directory.resolve(LOG_FILE_NAME);
    }

    /** Size of the log file when it is created; an existing log keeps its size. */
    public long logSize() {
        return logSize;
    }

    /** Fraction of the log in use (0..1] at which a truncation starts by itself. */
    public double truncationThreshold() {
        return truncationThreshold;
    }

    /** Whether the inter-transaction optimisation coalesces lazily committed bytes. */
    public boolean coalescing() {
        return coalescing;
    }

    /** Whether {@code setRange} takes exclusive range locks (off gives the paper's behaviour). */
    public boolean rangeLocks() {
        return rangeLocks;
    }

    /** How long a conflicting {@code setRange} waits before {@link ErrorCode#LOCK_TIMEOUT}. */
    public Duration lockTimeout() {
        return lockTimeout;
    }

    /** How long a commit waits for log space before {@link ErrorCode#LOG_FULL}. */
    public Duration logFullTimeout() {
        return logFullTimeout;
    }

    /** Bytes of lazily committed data held in memory before they are written (unforced) to the log. */
    public long lazyBufferLimit() {
        return lazyBufferLimit;
    }

    /** The storage seam. */
    public Storage storage() {
        return storage;
    }

    /** Where background truncation runs; {@code null} means a daemon thread owned by the store. */
    public Executor truncationExecutor() {
        return truncationExecutor;
    }

    /** Whether a missing log is created. */
    public boolean createIfMissing() {
        return createIfMissing;
    }

    /**
     * Whether a forcing commit waits briefly (at most half a force, capped at 0.5 ms) for other active transactions
     * to join its force. It raises throughput under concurrent commits; with many long-running transactions that
     * rarely commit it only adds latency, so such applications may turn it off.
     */
    public boolean groupCommitWait() {
        return groupCommitWait;
    }

    /** Where the log's sealed records are replicated before they are acknowledged; {@code null} for none. */
    public LogReplicator replicator() {
        return replicator;
    }

    /** Builder of {@link RvmOptions}. Not thread-safe. */
    public static final class Builder {
        private final Path directory;
        private long logSize = 64L * 1024 * 1024;
        private double truncationThreshold = 0.5;
        private boolean coalescing = true;
        private boolean rangeLocks = true;
        private Duration lockTimeout = Duration.ofSeconds(10);
        private Duration logFullTimeout = Duration.ofSeconds(60);
        private long lazyBufferLimit = 1024 * 1024;
        private Storage storage = FileStorage.instance();
        private Executor truncationExecutor;
        private boolean createIfMissing = true;
        private boolean groupCommitWait = true;
        private LogReplicator replicator;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** Log size at creation, at least {@link #MIN_LOG_SIZE}; default 64 MiB. */
        public Builder logSize(long bytes) {
            if (bytes < MIN_LOG_SIZE) {
                throw new RvmException(ErrorCode.BAD_OPTION, "logSize must be at least " + MIN_LOG_SIZE + ", got " + bytes);
            }
            this.logSize = bytes;
            return this;
        }

        /** Truncation threshold in (0, 1]; default 0.5. */
        public Builder truncationThreshold(double fraction) {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new RvmException(ErrorCode.BAD_OPTION, "truncationThreshold must be in (0, 1], got " + fraction);
            }
            this.truncationThreshold = fraction;
            return this;
        }

        /** Inter-transaction coalescing of lazy commits; default on. */
        public Builder coalescing(boolean on) {
            this.coalescing = on;
            return this;
        }

        /** Range locks; default on. */
        public Builder rangeLocks(boolean on) {
            this.rangeLocks = on;
            return this;
        }

        /** Lock wait limit, non-negative; default 10 s. */
        public Builder lockTimeout(Duration timeout) {
            this.lockTimeout = nonNegative("lockTimeout", timeout);
            return this;
        }

        /** Log-full wait limit, non-negative; default 60 s. */
        public Builder logFullTimeout(Duration timeout) {
            this.logFullTimeout = nonNegative("logFullTimeout", timeout);
            return this;
        }

        /** Lazy commit buffer, at least 4 KiB; default 1 MiB. */
        public Builder lazyBufferLimit(long bytes) {
            if (bytes < 4096) {
                throw new RvmException(ErrorCode.BAD_OPTION, "lazyBufferLimit must be at least 4096, got " + bytes);
            }
            this.lazyBufferLimit = bytes;
            return this;
        }

        /** The storage seam; default {@link FileStorage}. */
        public Builder storage(Storage s) {
            this.storage = Objects.requireNonNull(s, "storage");
            return this;
        }

        /** Executor for background truncation (an application server passes its managed one). */
        public Builder truncationExecutor(Executor e) {
            this.truncationExecutor = e;
            return this;
        }

        /** Whether to create a missing log; default true. */
        public Builder createIfMissing(boolean create) {
            this.createIfMissing = create;
            return this;
        }

        /** Whether group commit waits briefly for other active transactions; default on. */
        public Builder groupCommitWait(boolean on) {
            this.groupCommitWait = on;
            return this;
        }

        /** Replicates the log through {@code r} (see {@link dev.rvm.core.replication}); default none. */
        public Builder replicator(LogReplicator r) {
            this.replicator = r;
            return this;
        }

        /** The options. */
        public RvmOptions build() {
            return new RvmOptions(this);
        }

        private static Duration nonNegative(String name, Duration d) {
            if (d == null || d.isNegative()) {
                throw new RvmException(ErrorCode.BAD_OPTION, name + " must be a non-negative duration, got " + d);
            }
            return d;
        }
    }
}
