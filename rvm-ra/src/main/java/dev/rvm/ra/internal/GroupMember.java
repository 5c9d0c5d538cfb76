package dev.rvm.ra.internal;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.RvmException;
import dev.rvm.replication.GroupProgress;
import dev.rvm.replication.Replica;
import dev.rvm.replication.ReplicaConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The adapter's store when it is one member of a replicated group: a {@link Replica} (Apache Ratis) whose active
 * store, while this member is the group's leader, is the adapter's {@link Store}. The member keeps its copy of the
 * store in {@code storeDirectory/store} and its Raft log in {@code storeDirectory/raft}. A follower has no store:
 * {@link #current()} answers {@code null} and {@link #notLeader()} says which member leads. When this member becomes
 * the leader, the first {@link #current()} call maps the configured regions on the store the replica opened (creating
 * missing segments, which are replicated too) and hands the new {@link Store} to the listener given at start.
 *
 * <p>Thread-safe.
 */
public final class GroupMember {
    private final Replica replica;
    private final StoreConfig config;
    private final Consumer<Store> onLeading;
    private Store store; // guarded by this: the Store over the replica's current active store, if any
    private RecoverableMemory refused; // guarded by this: an active store whose regions did not fit (logged once)

    private GroupMember(Replica replica, StoreConfig config, Consumer<Store> onLeading) {
        this.replica = replica;
        this.config = config;
        this.onLeading = onLeading;
    }

    /**
     * Starts this member's Ratis server; it joins the group as a follower.
     *
     * @param truncation where the active store's truncation runs
     * @param onLeading called (outside any lock) with each new {@link Store} once this member leads
     * @throws IOException if the Ratis server cannot start (its port taken, its directory unusable)
     */
    public static GroupMember start(GroupConfig group, StoreConfig config, Executor truncation,
                                    Consumer<Store> onLeading) throws IOException {
        ReplicaConfig rc = ReplicaConfig.builder(group.memberId(), group.peers(), group.group(), config.directory())
                .logSize(config.logSize()).witnesses(group.witnesses())
                .storeOptions(b -> Store.options(config, truncation, b)).build();
        // Ratis finds its RPC and metrics implementations by name and ServiceLoader, through the context class loader:
        // in a server that must be the adapter's (where Ratis's jars are), whatever thread starts the adapter.
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(GroupMember.class.getClassLoader());
        try {
            return new GroupMember(Replica.start(rc), config, onLeading);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /**
     * The store while this member leads and its store is open; {@code null} otherwise.
     *
     * @throws IllegalArgumentException naming the {@code regions} property if the regions do not fit the
     *         replicated segments
     */
    public Store current() {
        Optional<RecoverableMemory> m = replica.active();
        if (m.isEmpty()) {
            return null;
        }
        Store s;
        Store adopted = null;
        synchronized (this) {
            if (store == null || store.memory() != m.get()) {
                try {
                    store = Store.over(config, m.get());
                } catch (RuntimeException e) {
                    if (refused != m.get()) {
                        refused = m.get();
                        Messages.leaderStoreRefused(replica.memberId(), e);
                    }
                    throw e;
                }
                adopted = store;
            }
            s = store;
        }
        if (adopted != null) {
            onLeading.accept(adopted);
        }
        return s;
    }

    /** Why this member has no store now: {@link ErrorCode#NOT_LEADER}, naming the leader when one is known. */
    public RvmException notLeader() {
        try {
            replica.awaitActive(Duration.ZERO);
            return new RvmException(ErrorCode.NOT_LEADER, "member " + replica.memberId()
                    + " has just become the leader of its group; retry");
        } catch (RvmException e) {
            return e;
        }
    }

    /** This member's view of the group (state, leader, term, applied index). */
    public Replica.Status status() {
        return replica.status();
    }

    /**
     * How far the group has got as this member's Ratis division knows it (its followers' lag only on the leader),
     * read now, without a network call.
     */
    public GroupProgress progress() {
        return replica.progress();
    }

    /** This member's id. */
    public String memberId() {
        return replica.memberId();
    }

    /**
     * Closes the active store (if any; prepared branches stay in doubt in the group's log) and the Ratis server, and
     * waits for Ratis's threads to end, so an undeploy leaves none running.
     */
    public void close() throws IOException {
        replica.close();
    }

    @Override
    public String toString() {
        return "RVM replica " + replica.memberId() + " of group " + replica.config().groupId() + " in "
                + config.directory();
    }
}
