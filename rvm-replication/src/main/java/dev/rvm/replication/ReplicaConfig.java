package dev.rvm.replication;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.io.FileStorage;
import dev.rvm.core.io.Storage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * How one member of a replicated store runs: its id, every member's address, the group id, its directories, the
 * store's log size and the timeouts. Every member must be given the same group, peers and log size. Immutable and
 * thread-safe; build with {@link #builder}.
 */
public final class ReplicaConfig {
    private final String memberId;
    private final Map<String, String> peers;
    private final UUID groupId;
    private final Path storeDirectory;
    private final Path raftDirectory;
    private final long logSize;
    private final Duration electionTimeoutMin;
    private final Duration electionTimeoutMax;
    private final Duration commitTimeout;
    private final long snapshotThreshold;
    private final UnaryOperator<RvmOptions.Builder> storeOptions;
    private final boolean rejoinAfterFence;
    private final Set<String> witnesses;
    private final long raftSegmentSize;
    private final Storage storage;

    private ReplicaConfig(Builder b) {
        this.memberId = b.memberId;
        this.peers = Collections.unmodifiableMap(new LinkedHashMap<>(b.peers));
        this.groupId = b.groupId;
        this.storeDirectory = b.directory.resolve("store");
        this.raftDirectory = b.directory.resolve("raft");
        this.logSize = b.logSize;
        this.electionTimeoutMin = b.electionTimeoutMin;
        this.electionTimeoutMax = b.electionTimeoutMax;
        this.commitTimeout = b.commitTimeout;
        this.snapshotThreshold = b.snapshotThreshold;
        this.storeOptions = b.storeOptions;
        this.rejoinAfterFence = b.rejoinAfterFence;
        this.witnesses = Collections.unmodifiableSet(new LinkedHashSet<>(b.witnesses));
        this.raftSegmentSize = b.raftSegmentSize;
        this.storage = b.storage;
    }

    /**
     * A member {@code memberId} of the group {@code groupId} whose members are {@code peers} (id to
     * {@code host:port}, this member included), keeping its files under {@code directory}.
     */
    public static Builder builder(String memberId, Map<String, String> peers, UUID groupId, Path directory) {
        return new Builder(memberId, peers, groupId, directory);
    }

    /** This member's id. */
    public String memberId() {
        return memberId;
    }

    /** Every member: id to {@code host:port}, in the order given. */
    public Map<String, String> peers() {
        return peers;
    }

    /** The Raft group's id; the store id of every member's store is derived from it. */
    public UUID groupId() {
        return groupId;
    }

    /** The store id every member's store has: derived from the group id, never 0. */
    public long storeId() {
        long id = groupId.getMostSignificantBits() ^ groupId.getLeastSignificantBits();
        return id == 0 ? 1 : id;
    }

    /** This member's store directory ({@code <directory>/store}). */
    public Path storeDirectory() {
        return storeDirectory;
    }

    /** This member's Raft log and snapshots ({@code <directory>/raft}). */
    public Path raftDirectory() {
        return raftDirectory;
    }

    /** The store's log size: the same on every member, since records keep their positions. */
    public long logSize() {
        return logSize;
    }

    /** Shortest election timeout. */
    public Duration electionTimeoutMin() {
        return electionTimeoutMin;
    }

    /** Longest election timeout. */
    public Duration electionTimeoutMax() {
        return electionTimeoutMax;
    }

    /** How long a batch may wait to be committed by a majority before the store stops with {@code NO_QUORUM}. */
    public Duration commitTimeout() {
        return commitTimeout;
    }

    /** Entries applied between two snapshots of a follower (its checkpoint, after which Ratis may purge its log). */
    public long snapshotThreshold() {
        return snapshotThreshold;
    }

    /**
     * Whether a fenced member (deposed, or its batch refused or timed out) closes its store and Ratis server and
     * then starts a new server as a follower by itself (default true); if false it stays down until restarted.
     */
    public boolean rejoinAfterFence() {
        return rejoinAfterFence;
    }

    /**
     * The members that serve only as a vote and a copy (for example an {@code rvm-tools witness}): they get a lower
     * Raft priority, so an up-to-date other member takes the leadership over from them. The same on every member.
     */
    public Set<String> witnesses() {
        return witnesses;
    }

    /** The Raft priority of {@code memberId}: 0 for a witness, 1 otherwise. */
    int priority(String memberId) {
        return witnesses.contains(memberId) ? 0 : 1;
    }

    /** The size at which a Raft log segment is closed (only closed segments are purged after a snapshot). */
    public long raftSegmentSize() {
        return raftSegmentSize;
    }

    /** The storage the member's store files go through (the core's I/O seam). */
    public Storage storage() {
        return storage;
    }

    /** The options the active store opens with, from the defaults this member sets. */
    RvmOptions.Builder storeOptions(RvmOptions.Builder b) {
        return storeOptions.apply(b.storage(storage));
    }

    /** Builder of {@link ReplicaConfig}. Not thread-safe. */
    public static final class Builder {
        private final String memberId;
        private final Map<String, String> peers;
        private final UUID groupId;
        private final Path directory;
        private long logSize = 64L * 1024 * 1024;
        private Duration electionTimeoutMin = Duration.ofMillis(1000);
        private Duration electionTimeoutMax = Duration.ofMillis(2000);
        private Duration commitTimeout = Duration.ofSeconds(10);
        private long snapshotThreshold = 400_000;
        private UnaryOperator<RvmOptions.Builder> storeOptions = b -> b;
        private boolean rejoinAfterFence = true;
        private Set<String> witnesses = Set.of();
        private long raftSegmentSize = 8L * 1024 * 1024;
        private Storage storage = FileStorage.instance();

        private Builder(String memberId, Map<String, String> peers, UUID groupId, Path directory) {
            this.memberId = Objects.requireNonNull(memberId, "memberId");
            this.peers = new LinkedHashMap<>(Objects.requireNonNull(peers, "peers"));
            this.groupId = Objects.requireNonNull(groupId, "groupId");
            this.directory = Objects.requireNonNull(directory, "directory");
            if (!this.peers.containsKey(memberId)) {
                throw new RvmException(ErrorCode.BAD_OPTION, "member '" + memberId + "' is not among the peers " + peers.keySet());
            }
        }

        /** The store's log size (default 64 MiB); the same on every member. */
        public Builder logSize(long bytes) {
            this.logSize = bytes;
            return this;
        }

        /** Election timeouts (default 1 s to 2 s). */
        public Builder electionTimeout(Duration min, Duration max) {
            if (min.isNegative() || min.isZero() || max.compareTo(min) <= 0) {
                throw new RvmException(ErrorCode.BAD_OPTION, "election timeouts must be 0 < min < max, got " + min + ", " + max);
            }
            this.electionTimeoutMin = min;
            this.electionTimeoutMax = max;
            return this;
        }

        /** How long a batch may wait for a majority (default 10 s). */
        public Builder commitTimeout(Duration d) {
            this.commitTimeout = Objects.requireNonNull(d, "commitTimeout");
            return this;
        }

        /** Entries between two follower snapshots (default 400,000). */
        public Builder snapshotThreshold(long entries) {
            this.snapshotThreshold = entries;
            return this;
        }

        /** Adjusts the options of the active store (the directory, log size and replicator are set by the member). */
        public Builder storeOptions(UnaryOperator<RvmOptions.Builder> adjust) {
            this.storeOptions = Objects.requireNonNull(adjust, "storeOptions");
            return this;
        }

        /** Whether a fenced member rejoins as a follower by itself (default true). */
        public Builder rejoinAfterFence(boolean on) {
            this.rejoinAfterFence = on;
            return this;
        }

        /** The members that are only a vote and a copy (default none); see {@link ReplicaConfig#witnesses()}. */
        public Builder witnesses(Set<String> ids) {
            for (String id : ids) {
                if (!peers.containsKey(id)) {
                    throw new RvmException(ErrorCode.BAD_OPTION, "witness '" + id + "' is not among the peers " + peers.keySet());
                }
            }
            this.witnesses = new LinkedHashSet<>(ids);
            return this;
        }

        /** The size of a Raft log segment (default 8 MiB, at least 64 KiB). */
        public Builder raftSegmentSize(long bytes) {
            if (bytes < 64 * 1024) {
                throw new RvmException(ErrorCode.BAD_OPTION, "the Raft segment size must be at least 64 KiB, got " + bytes);
            }
            this.raftSegmentSize = bytes;
            return this;
        }

        /** The storage of the member's store files (default {@link FileStorage}): the core's I/O seam. */
        public Builder storage(Storage s) {
            this.storage = Objects.requireNonNull(s, "storage");
            return this;
        }

        /** The configuration. */
        public ReplicaConfig build() {
            return new ReplicaConfig(this);
        }
    }
}
