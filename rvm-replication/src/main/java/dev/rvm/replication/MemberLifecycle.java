package dev.rvm.replication;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.RvmException;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.replication.ReplicaStore;
import dev.rvm.replication.Replica.State;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The life of one member, driven by Ratis's callbacks: it follows (applying committed entries to its
 * {@link ReplicaStore}), is promoted when Ratis makes it a ready leader (the replica store closed, the directory opened
 * as the active store with a {@link RaftReplicator}), is fenced when it loses the leadership or a batch is refused,
 * and then closes its stores and Ratis server and, unless told not to, rejoins as a follower with a new server.
 *
 * <p>It owns the member's state and everything that changes with it (the Ratis server, the replica store, the active
 * store, the replicator of the current activation), under one monitor, on which waiters for a change of state wait. {@link Replica}, the operator's API, reads and waits through the methods here. Promotion and the
 * shutdown after a fence run on one control thread of their own, never on Ratis's threads. Thread-safe.
 */
final class MemberLifecycle {
    private static final System.Logger LOG = System.getLogger("dev.rvm.replication");

    private final ReplicaConfig config;
    private final RaftGroupId groupId;
    /** The replicator of the current activation (a fenced one stays fenced; the next activation gets a new one). */
    private volatile RaftReplicator replicator = new RaftReplicator(this);
    /** The state machine of the running Ratis server; calls from an earlier server's are ignored. */
    private volatile StoreStateMachine stateMachine;
    private final ExecutorService control;
    /** Guards the state and the replica store; notified on every change of state. */
    private final Object lock = new Object();
    private volatile RaftServer server;
    private ReplicaStore store;
    private volatile RecoverableMemory active;
    private volatile State state = State.FOLLOWER;
    private volatile String leaderId;
    private volatile String fencedBecause;

    MemberLifecycle(ReplicaConfig config) {
        this.config = config;
        this.groupId = RaftGroupId.valueOf(config.groupId());
        this.control = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rvm-replica-" + config.memberId());
            t.setDaemon(true);
            return t;
        });
    }

    void startServer() throws IOException {
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
            closeStores();
            closeServer();
        }
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

    private static void closeQuietly(RecoverableMemory m) {
        try {
            m.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a fenced store", e);
        }
    }

    /**
     * Closes the active store (if any), the Ratis server and the replica store; the last member of this class loader
     * to close also ends the threads Ratis and gRPC share ({@code RatisSharedThreads}). Idempotent.
     */
    void close() throws IOException {
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
            RatisSharedThreads.closed();
        }
        synchronized (lock) {
            if (store != null) {
                store.close();
                store = null;
            }
        }
    }

    // ---- read by the operator's API (Replica) and the replicator

    /**
     * Waits until the member is the leader with its store open, and returns the store.
     *
     * @throws RvmException {@link ErrorCode#NOT_LEADER} naming the leader if that does not happen within
     *         {@code timeout} or the member is fenced
     */
    RecoverableMemory awaitActive(Duration timeout) {
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

    /** True while the member is the leader or being promoted. */
    boolean leading() {
        State s = state;
        return s == State.ACTIVE || s == State.PROMOTING;
    }

    /** Waits up to {@code millis} while the member is {@link #leading}: a change of state ends the wait. */
    void awaitStepDown(long millis) throws InterruptedException {
        synchronized (lock) {
            if (leading()) {
                lock.wait(millis);
            }
        }
    }

    /** The member's replica store while it follows, for {@code use} under the lock; false if it is not following. */
    boolean withFollowerStore(StoreUse use) throws IOException {
        synchronized (lock) {
            if (state != State.FOLLOWER || store == null) {
                return false;
            }
            use.accept(store);
            return true;
        }
    }

    /** Something done with a follower's replica store while no entry is applied. */
    @FunctionalInterface
    interface StoreUse {
        void accept(ReplicaStore store) throws IOException;
    }

    /** The log position the replica store has applied to, or -1 when the member is not following. */
    long replicaLogPosition() {
        synchronized (lock) {
            return store == null ? -1 : store.appliedLsn();
        }
    }

    /** True while the server is up and the member neither fenced nor closed. */
    boolean serving() {
        State s = state;
        return server != null && s != State.CLOSED && s != State.FENCED;
    }

    /** The leader as this member's division knows it, else as last notified. */
    Optional<String> leaderId() {
        try {
            if (serving()) {
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

    State state() {
        return state;
    }

    RecoverableMemory active() {
        return active;
    }

    RaftReplicator replicator() {
        return replicator;
    }

    ReplicaConfig config() {
        return config;
    }

    String memberId() {
        return config.memberId();
    }

    RaftServer server() {
        return server;
    }

    RaftGroupId groupId() {
        return groupId;
    }
}
