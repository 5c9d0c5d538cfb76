package dev.rvm.replication;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.RvmException;
import dev.rvm.core.replication.ReplicaStore;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;

/**
 * One member of a replicated store: a Ratis server, the member's store directory, and — while the member is the
 * group's leader — the active {@link RecoverableMemory}.
 *
 * <p>Life of a member: it starts as a follower, applying every committed entry to its
 * {@link ReplicaStore}. When Ratis makes it the leader and it has applied every entry of earlier terms, it closes the
 * replica store and opens the directory as the active store, whose log writer replicates each batch through Raft
 * before acknowledging anything ({@link #awaitActive}). When it loses the leadership, or a batch is refused or times
 * out, it is <em>fenced</em>: its store refuses all work with {@link ErrorCode#NOT_LEADER} (or failed the batch in
 * flight with {@link ErrorCode#NO_QUORUM}), and the member closes the store and its Ratis server. Then, unless
 * {@link ReplicaConfig#rejoinAfterFence()} is off, it starts a new Ratis server as a follower: it recovers its
 * directory and Ratis replays what it lacks (a member that failed to apply a committed entry stays down: its
 * directory needs an operator). That life, driven by Ratis's callbacks, is {@link MemberLifecycle}'s; this class is
 * the operator's API over it: waiting for the store, status and progress, switchover, membership, copies. Thread-safe.
 */
public final class Replica implements Closeable {
    private static final System.Logger LOG = System.getLogger("dev.rvm.replication");

    /** Where a member stands. */
    public enum State {
        /** Applying the leader's entries. */
        FOLLOWER,
        /** Elected; opening its store as the active one. */
        PROMOTING,
        /** The leader: its store accepts work. */
        ACTIVE,
        /** Deposed or unable to replicate: refuses all work; restart it to rejoin. */
        FENCED,
        /** Closed. */
        CLOSED
    }

    /**
     * A member's view of the group at one moment.
     *
     * @param memberId           this member
     * @param state              where it stands
     * @param leaderId           the leader as it last heard, or null
     * @param term               its current term (-1 when its server is down)
     * @param appliedIndex       the last Raft entry applied here (-1 when its server is down)
     * @param replicaLogPosition the log position its replica store has applied to (-1 when it is not following)
     * @param batchesReplicated  batches its active store replicated in the current activation (0 when not active)
     * @param replicateNanos     the time those batches spent in Raft: submitted to committed by a majority
     */
    public record Status(String memberId, State state, String leaderId, long term, long appliedIndex,
            long replicaLogPosition, long batchesReplicated, long replicateNanos) {
    }

    private final MemberLifecycle life;

    private Replica(MemberLifecycle life) {
        this.life = life;
    }

    /** Starts a member: recovers its store directory, starts its Ratis server and joins the group. */
    public static Replica start(ReplicaConfig config) throws IOException {
        MemberLifecycle life = new MemberLifecycle(config);
        RatisSharedThreads.opened();
        try {
            life.startServer();
        } catch (IOException | RuntimeException e) {
            life.close();
            throw e;
        }
        return new Replica(life);
    }

    /**
     * A planned switchover: asks Ratis to hand the leadership to member {@code to} (Ratis first lets it catch up)
     * and returns once this member has stepped down. Nothing acknowledged is lost: batches committed before the
     * hand-over are in the new leader's log, and any still in flight are refused with {@code NOT_LEADER}. This member
     * is fenced and, with {@link ReplicaConfig#rejoinAfterFence()}, follows again. The caller waits for the new leader
     * with its {@link #awaitActive}.
     *
     * @throws IOException if this member is not the active one, or is still the leader after {@code timeout}
     */
    public void transferLeadership(String to, Duration timeout) throws IOException {
        ReplicaConfig config = life.config();
        if (life.state() != State.ACTIVE) {
            throw new IOException("member " + config.memberId() + " is " + life.state() + ", not the active leader");
        }
        RaftServer s = life.server();
        TransferLeadershipRequest request = new TransferLeadershipRequest(ClientId.randomId(), s.getId(), life.groupId(),
                1, RaftPeerId.valueOf(to), timeout.toMillis());
        // The answer may never come: stepping down fences this member, which closes the server that would send it.
        CompletableFuture<RaftClientReply> reply = s.transferLeadershipAsync(request);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (life.leading()) {
            if (reply.isDone() && !reply.isCompletedExceptionally() && !reply.join().isSuccess()) {
                throw new IOException("transferring the leadership of group " + config.groupId() + " to " + to
                        + " was refused: " + reply.join().getException(), reply.join().getException());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("member " + config.memberId() + " is still the leader of group "
                        + config.groupId() + " " + timeout.toMillis() + " ms after asking to hand it to " + to);
            }
            try {
                life.awaitStepDown(Math.min(50, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while transferring the leadership to " + to, e);
            }
        }
    }

    /**
     * On the leader: takes member {@code id} out of the group's configuration, so the leader forgets how far that
     * member's Raft log got. The first step of rebuilding a member whose directories were lost: Raft assumes a member
     * never loses its log, and a leader would keep offering such a member only the entries after those it once
     * acknowledged. Then start the member on a copy ({@link #copyStoreTo}) and {@link #addMember} it back. While it is
     * out, the group is the others, and all of them form its majority.
     *
     * @throws IOException if this member is not the leader or the change is not committed within {@code timeout}
     */
    public void removeMember(String id, Duration timeout) throws IOException {
        membership("removing member " + id).remove(id, timeout);
    }

    /**
     * On the leader: puts member {@code id} (one of the configured peers, running) back into the group's
     * configuration. Ratis brings it up to date first — from the leader's last snapshot, which installs only an index,
     * so its store directory must already hold the batches up to there (a copy of a follower's) — and then commits the
     * change.
     *
     * @throws IOException if this member is not the leader or the change is not committed within {@code timeout}
     */
    public void addMember(String id, Duration timeout) throws IOException {
        membership("adding member " + id).add(id, timeout);
    }

    private GroupMembership membership(String what) throws IOException {
        if (life.state() != State.ACTIVE) {
            throw new IOException(what + ": member " + life.memberId() + " is " + life.state() + ", not the leader");
        }
        return new GroupMembership(life.server(), life.groupId(), life.config());
    }

    // ---- public API

    /**
     * Waits until this member is the leader and its store is open, and returns the store.
     *
     * @throws RvmException {@link ErrorCode#NOT_LEADER} naming the leader if that does not happen within
     *         {@code timeout} or the member is fenced
     */
    public RecoverableMemory awaitActive(Duration timeout) {
        return life.awaitActive(timeout);
    }

    /** The active store, if this member is the leader and has opened it. */
    public Optional<RecoverableMemory> active() {
        return life.state() == State.ACTIVE ? Optional.ofNullable(life.active()) : Optional.empty();
    }

    /** Where this member stands. */
    public State state() {
        return life.state();
    }

    /** This member's id. */
    public String memberId() {
        return life.memberId();
    }

    /** The leader as this member last heard, if any. */
    public Optional<String> leaderId() {
        return life.leaderId();
    }

    /** A snapshot of this member's view. */
    public Status status() {
        long term = -1;
        long applied = -1;
        try {
            if (life.serving()) {
                DivisionInfo info = life.server().getDivision(life.groupId()).getInfo();
                term = info.getCurrentTerm();
                applied = info.getLastAppliedIndex();
            }
        } catch (IOException | RuntimeException e) {
            // a closing server: report what is known
        }
        long position = life.replicaLogPosition();
        RaftReplicator rep = life.replicator();
        return new Status(life.memberId(), life.state(), leaderId().orElse(null), term, applied, position,
                rep.batches(), rep.replicateNanos());
    }

    /**
     * How far the group has got as this member's Ratis division knows it (the followers' figures only on the leader),
     * read now without a network call; every figure -1 while the member's server is down, fenced or closed.
     */
    public GroupProgress progress() {
        RaftServer s = life.server();
        try {
            if (life.serving()) {
                return GroupProgress.of(s.getDivision(life.groupId()));
            }
        } catch (IOException | RuntimeException e) {
            // a closing server: nothing is known
        }
        return GroupProgress.UNKNOWN;
    }

    /** Forces this follower's replica store and moves its head (a checkpoint); false if it is not following. */
    public boolean checkpoint() throws IOException {
        return life.withFollowerStore(ReplicaStore::checkpoint);
    }

    /**
     * Copies this follower's store directory into {@code target} (which must not exist): the way to rebuild a member
     * whose directory was lost or whose log is behind what the leader still holds. The replica store is checkpointed
     * first and no entry is applied while the files are copied, so the copy is a valid store that holds every batch
     * up to one point; a member started on it with an empty Raft directory catches up from there (batches the copy
     * already holds are skipped by position).
     *
     * @throws IOException if this member is not following, or the copy fails
     */
    public void copyStoreTo(Path target) throws IOException {
        ReplicaConfig config = life.config();
        boolean copied = life.withFollowerStore(store -> {
            store.checkpoint();
            copyTree(config.storeDirectory(), target);
            LOG.log(System.Logger.Level.INFO, "RVM replica {0} copied its store (log position {1}) to {2}",
                    config.memberId(), store.appliedLsn(), target);
        });
        if (!copied) {
            throw new IOException("member " + config.memberId() + " is " + life.state()
                    + ": only a following member's store can be copied");
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
    }

    /** The member's configuration. */
    public ReplicaConfig config() {
        return life.config();
    }

    RaftServer server() {
        return life.server();
    }

    RaftGroupId groupId() {
        return life.groupId();
    }

    /** The address this member listens on. */
    public InetSocketAddress address() {
        ReplicaConfig config = life.config();
        String self = config.peers().get(config.memberId());
        int colon = self.lastIndexOf(':');
        return new InetSocketAddress(self.substring(0, colon), Integer.parseInt(self.substring(colon + 1)));
    }

    /**
     * Closes the active store (if any), the Ratis server and the replica store; the last member of this class loader
     * to close also ends the threads Ratis and gRPC share ({@code RatisSharedThreads}).
     */
    @Override
    public void close() throws IOException {
        life.close();
    }
}
