package dev.rvm.replication;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.RvmException;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.replication.ReplicaStore;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

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
 * directory needs an operator). Thread-safe.
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

    private final ReplicaConfig config;
    private final RaftGroupId groupId;
    /** The replicator of the current activation (a fenced one stays fenced; the next activation gets a new one). */
    private volatile RaftReplicator replicator = new RaftReplicator(this);
    /** The state machine of the running Ratis server; calls from an earlier server's are ignored. */
    private volatile StoreStateMachine stateMachine;
    private final ExecutorService control;
    private final Object lock = new Object();
    private volatile RaftServer server;
    private ReplicaStore store;
    private volatile RecoverableMemory active;
    private volatile State state = State.FOLLOWER;
    private volatile String leaderId;
    private volatile String fencedBecause;

    private Replica(ReplicaConfig config) {
        this.config = config;
        this.groupId = RaftGroupId.valueOf(config.groupId());
        this.control = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rvm-replica-" + config.memberId());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a member: recovers its store directory, starts its Ratis server and joins the group. */
    public static Replica start(ReplicaConfig config) throws IOException {
        Replica r = new Replica(config);
        RatisTimers.opened();
        try {
            r.startServer();
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    private void startServer() throws IOException {
        StoreStateMachine sm = new StoreStateMachine(this);
        stateMachine = sm;
        server = RaftServer.newBuilder()
                .setGroup(RaftSetup.group(config, groupId))
                .setProperties(RaftSetup.properties(config))
                .setServerId(RaftPeerId.valueOf(config.memberId()))
                .setStateMachine(sm)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        server.start();
    }

    /** Whether {@code sm} is the running server's state machine (an earlier server's late calls are ignored). */
    boolean isCurrent(StoreStateMachine sm) {
        return sm == stateMachine;
    }

    // ---- called by the state machine (Ratis's applier thread) and the replicator

    void openReplicaStore() {
        synchronized (lock) {
            store = ReplicaStore.open(config.storage(), config.storeDirectory(), config.storeId(), config.logSize());
        }
    }

    void applyEntry(ByteString data) throws IOException {
        State s = state;
        if (s == State.ACTIVE || s == State.PROMOTING) {
            return; // this member's own store wrote it
        }
        synchronized (lock) {
            if (store == null) {
                throw new IOException("member " + config.memberId() + " is " + state + " and has no replica store to apply to");
            }
            Entries.decode(data, new Entries.Visitor() {
                @Override
                public void batch(long startLsn, byte[] records, int off, int len) throws IOException {
                    store.apply(startLsn, records, off, len);
                }

                @Override
                public void segment(String name, long size) throws IOException {
                    store.createSegment(name, size);
                }
            });
        }
    }

    void applyFailed(Exception e) {
        String hint = e instanceof RvmException re && re.code() == ErrorCode.LOG_CORRUPT
                ? "; if this member's directory was lost or is too old for the leader's log, stop it and rebuild its"
                        + " store directory from a copy of another member's (Replica.copyStoreTo)"
                : "";
        LOG.log(System.Logger.Level.ERROR, "RVM replica " + config.memberId() + " could not apply an entry; it stops"
                + hint, e);
        fenced("applying a committed entry failed: " + e.getMessage() + hint, false);
    }

    /**
     * Makes this member's directory the state of a snapshot and returns the Raft index up to which it holds every
     * entry durably (called on Ratis's applier thread, {@code applied} being the last entry applied): a follower
     * checkpoints its replica store, which then holds everything applied; the active store's directory holds what its
     * replicator knows is forced in the local log (see {@link RaftReplicator#durableIndex}); -1 for neither.
     */
    long snapshotIndex(long applied) throws IOException {
        synchronized (lock) {
            if (state == State.FOLLOWER && store != null) {
                store.checkpoint();
                return applied;
            }
        }
        RecoverableMemory m = active;
        RaftReplicator rep = replicator;
        if (state == State.ACTIVE && m != null) {
            return Math.min(applied, rep.durableIndex(m::segmentExists));
        }
        return -1;
    }

    /** The term of the entry at {@code index} in this member's Raft log, or null if it is not there. */
    TermIndex termIndex(long index) throws IOException {
        return server.getDivision(groupId).getRaftLog().getTermIndex(index);
    }

    void leaderReady() {
        control.execute(this::promote);
    }

    private void promote() {
        synchronized (lock) {
            if (state != State.FOLLOWER) {
                return;
            }
            state = State.PROMOTING;
            try {
                store.close();
            } catch (IOException | RuntimeException e) {
                fenced("checkpointing the replica before promotion failed: " + e);
                return;
            } finally {
                store = null;
            }
        }
        try {
            RaftReplicator rep = new RaftReplicator(this);
            replicator = rep;
            RvmOptions options = config.storeOptions(RvmOptions.builder(config.storeDirectory()).logSize(config.logSize()))
                    .createIfMissing(false).replicator(rep).build();
            long t0 = System.nanoTime();
            RecoverableMemory m = RecoverableMemory.open(options);
            if (rep.isFenced()) {
                closeQuietly(m);
                return;
            }
            active = m;
            synchronized (lock) {
                state = State.ACTIVE;
                lock.notifyAll();
            }
            LOG.log(System.Logger.Level.INFO, "RVM replica {0} is the active store of group {1} ({2} ms to open; {3} in doubt)",
                    config.memberId(), config.groupId(), (System.nanoTime() - t0) / 1_000_000, m.inDoubt().size());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "RVM replica " + config.memberId() + " could not open its store as the leader", e);
            fenced("opening the store as the leader failed: " + e);
        }
    }

    void leaderChanged(String newLeader) {
        leaderId = newLeader;
        if (!config.memberId().equals(newLeader)) {
            lostLeadership("member " + newLeader + " was elected");
        }
    }

    void lostLeadership(String why) {
        State s = state;
        if (s == State.PROMOTING || s == State.ACTIVE) {
            replicator.fence(why);
            fenced(why);
        }
    }

    /** Fences the member: its store refuses work; the store and the Ratis server are closed in the background. */
    void fenced(String why) {
        fenced(why, config.rejoinAfterFence());
    }

    private void fenced(String why, boolean rejoin) {
        synchronized (lock) {
            if (state == State.FENCED || state == State.CLOSED) {
                return;
            }
            replicator.fence(why);
            fencedBecause = why;
            state = State.FENCED;
            lock.notifyAll();
        }
        LOG.log(System.Logger.Level.WARNING, "RVM replica {0} is fenced: {1}; it closes its store and Ratis server"
                + (rejoin ? " and rejoins as a follower" : "; restart it to rejoin the group"), config.memberId(), why);
        control.execute(() -> shutDownAndRejoin(rejoin));
    }

    private void shutDownAndRejoin(boolean rejoin) {
        closeStores();
        awaitNotLeader();
        closeServer();
        if (!rejoin) {
            return;
        }
        synchronized (lock) {
            if (state != State.FENCED) {
                return; // closed meanwhile
            }
            state = State.FOLLOWER;
            fencedBecause = null;
        }
        try {
            // A new server recovers the directory (its store's log holds only committed batches) and Ratis replays
            // what follows the last snapshot; batches the directory holds are skipped by position.
            startServer();
            LOG.log(System.Logger.Level.INFO, "RVM replica {0} rejoined group {1} as a follower", config.memberId(),
                    config.groupId());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "RVM replica " + config.memberId() + " could not rejoin; restart it", e);
            synchronized (lock) {
                if (state == State.FOLLOWER) {
                    state = State.FENCED;
                    fencedBecause = "rejoining failed: " + e;
                    lock.notifyAll();
                }
            }
            shutDown();
        }
    }

    private void shutDown() {
        closeStores();
        closeServer();
    }

    /**
     * Waits (bounded) until Ratis no longer counts this member as the leader: a member fenced because its batch was
     * refused during a leadership transfer must let the transfer finish instead of forcing an election by closing
     * its server. A member that was killed off or deposed is not the leader, and does not wait.
     */
    private void awaitNotLeader() {
        long deadline = System.nanoTime() + 3 * config.electionTimeoutMax().toNanos() + config.commitTimeout().toNanos();
        try {
            while (System.nanoTime() < deadline && server.getDivision(groupId).getInfo().isLeader()) {
                Thread.sleep(20);
            }
        } catch (IOException | RuntimeException e) {
            // the server is going away anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeStores() {
        RecoverableMemory m = active;
        active = null;
        if (m != null) {
            closeQuietly(m);
        }
        synchronized (lock) {
            if (store != null) {
                try {
                    store.close();
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "RVM replica " + config.memberId() + ": closing the replica store", e);
                }
                store = null;
            }
        }
    }

    private void awaitClosed(RaftServer s) throws IOException {
        List<String> alive = RaftSetup.closeAndAwait(s, config.memberId(), groupId, Duration.ofSeconds(30));
        if (!alive.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "RVM replica {0}: Ratis threads still running after its server closed (waited up to 30 s, or was interrupted): {1}",
                    config.memberId(), alive);
        }
    }

    private void closeServer() {
        RaftServer s = server;
        if (s != null) {
            try {
                awaitClosed(s);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "RVM replica " + config.memberId() + ": closing the Ratis server", e);
            }
        }
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
        if (state != State.ACTIVE) {
            throw new IOException("member " + config.memberId() + " is " + state + ", not the active leader");
        }
        RaftServer s = server;
        TransferLeadershipRequest request = new TransferLeadershipRequest(ClientId.randomId(), s.getId(), groupId, 1,
                RaftPeerId.valueOf(to), timeout.toMillis());
        // The answer may never come: stepping down fences this member, which closes the server that would send it.
        CompletableFuture<RaftClientReply> reply = s.transferLeadershipAsync(request);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (state == State.ACTIVE || state == State.PROMOTING) {
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
                    lock.wait(Math.min(50, Math.max(1, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while transferring the leadership to " + to, e);
                }
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
        if (state != State.ACTIVE) {
            throw new IOException(what + ": member " + config.memberId() + " is " + state + ", not the leader");
        }
        return new GroupMembership(server, groupId, config);
    }

    private static void closeQuietly(RecoverableMemory m) {
        try {
            m.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a fenced store", e);
        }
    }

    // ---- public API

    /**
     * Waits until this member is the leader and its store is open, and returns the store.
     *
     * @throws RvmException {@link ErrorCode#NOT_LEADER} naming the leader if that does not happen within
     *         {@code timeout} or the member is fenced
     */
    public RecoverableMemory awaitActive(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (state != State.ACTIVE) {
                if (state == State.FENCED || state == State.CLOSED) {
                    throw new RvmException(ErrorCode.NOT_LEADER, "member " + config.memberId() + " is " + state
                            + (fencedBecause == null ? "" : " (" + fencedBecause + ")") + "; the leader is "
                            + leaderId().orElse("unknown"));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new RvmException(ErrorCode.NOT_LEADER, "member " + config.memberId() + " is not the leader of group "
                            + config.groupId() + " (it is " + state + "; the leader is " + leaderId().orElse("not elected yet")
                            + ")");
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RvmException(ErrorCode.NOT_LEADER, "interrupted while waiting to become the leader");
                }
            }
            return active;
        }
    }

    /** The active store, if this member is the leader and has opened it. */
    public Optional<RecoverableMemory> active() {
        return state == State.ACTIVE ? Optional.ofNullable(active) : Optional.empty();
    }

    /** Where this member stands. */
    public State state() {
        return state;
    }

    /** This member's id. */
    public String memberId() {
        return config.memberId();
    }

    /** The leader as this member last heard, if any. */
    public Optional<String> leaderId() {
        try {
            if (server != null && state != State.CLOSED && state != State.FENCED) {
                RaftPeerId id = server.getDivision(groupId).getInfo().getLeaderId();
                if (id != null) {
                    return Optional.of(id.toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall back to the last notification
        }
        return Optional.ofNullable(leaderId);
    }

    /** A snapshot of this member's view. */
    public Status status() {
        long term = -1;
        long applied = -1;
        try {
            if (server != null && state != State.CLOSED && state != State.FENCED) {
                DivisionInfo info = server.getDivision(groupId).getInfo();
                term = info.getCurrentTerm();
                applied = info.getLastAppliedIndex();
            }
        } catch (IOException | RuntimeException e) {
            // a closing server: report what is known
        }
        long position = -1;
        synchronized (lock) {
            if (store != null) {
                position = store.appliedLsn();
            }
        }
        RaftReplicator rep = replicator;
        return new Status(config.memberId(), state, leaderId().orElse(null), term, applied, position,
                rep.batches(), rep.replicateNanos());
    }

    /**
     * How far the group has got as this member's Ratis division knows it (the followers' figures only on the leader),
     * read now without a network call; every figure -1 while the member's server is down, fenced or closed.
     */
    public GroupProgress progress() {
        RaftServer s = server;
        try {
            if (s != null && state != State.CLOSED && state != State.FENCED) {
                return GroupProgress.of(s.getDivision(groupId));
            }
        } catch (IOException | RuntimeException e) {
            // a closing server: nothing is known
        }
        return GroupProgress.UNKNOWN;
    }

    /** Forces this follower's replica store and moves its head (a checkpoint); false if it is not following. */
    public boolean checkpoint() throws IOException {
        synchronized (lock) {
            if (state != State.FOLLOWER || store == null) {
                return false;
            }
            store.checkpoint();
            return true;
        }
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
        synchronized (lock) {
            if (state != State.FOLLOWER || store == null) {
                throw new IOException("member " + config.memberId() + " is " + state
                        + ": only a following member's store can be copied");
            }
            store.checkpoint();
            copyTree(config.storeDirectory(), target);
            LOG.log(System.Logger.Level.INFO, "RVM replica {0} copied its store (log position {1}) to {2}",
                    config.memberId(), store.appliedLsn(), target);
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
        return config;
    }

    RaftServer server() {
        return server;
    }

    RaftGroupId groupId() {
        return groupId;
    }

    /** The address this member listens on. */
    public InetSocketAddress address() {
        String self = config.peers().get(config.memberId());
        int colon = self.lastIndexOf(':');
        return new InetSocketAddress(self.substring(0, colon), Integer.parseInt(self.substring(colon + 1)));
    }

    /**
     * Closes the active store (if any), the Ratis server and the replica store; the last member of this class loader
     * to close also stops Ratis's shared timer threads ({@code RatisTimers}).
     */
    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            lock.notifyAll();
        }
        replicator.fence("the member was closed");
        control.shutdownNow();
        RecoverableMemory m = active;
        if (m != null) {
            closeQuietly(m);
        }
        try {
            RaftServer s = server;
            if (s != null) {
                awaitClosed(s);
            }
        } finally {
            RatisTimers.closed();
        }
        synchronized (lock) {
            if (store != null) {
                store.close();
                store = null;
            }
        }
    }
}
