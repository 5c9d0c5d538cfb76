package dev.rvm.replication;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * How a member's Ratis server is set up from its {@link ReplicaConfig}: the group of peers and the Ratis properties,
 * among them the flush settings the no-lost-commit guarantee rests on. Stateless; thread-safe.
 */
final class RaftSetup {
    private RaftSetup() {
    }

    /** The configured peers as a Raft group, each with its election priority. */
    static RaftGroup group(ReplicaConfig config, RaftGroupId groupId) {
        List<RaftPeer> peers = new ArrayList<>();
        for (Map.Entry<String, String> p : config.peers().entrySet()) {
            peers.add(RaftPeer.newBuilder().setId(p.getKey()).setAddress(p.getValue())
                    .setPriority(config.priority(p.getKey())).build());
        }
        return RaftGroup.valueOf(groupId, peers);
    }

    /** The Ratis server's properties: storage, port, election timeouts, forced log, snapshots and purging. */
    static RaftProperties properties(ReplicaConfig config) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(config.raftDirectory().toFile()));
        String self = config.peers().get(config.memberId());
        int port = Integer.parseInt(self.substring(self.lastIndexOf(':') + 1));
        GrpcConfigKeys.Server.setPort(p, port);
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(config.electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(config.electionTimeoutMax()));
        // Every entry forced before it counts towards a majority: no unsafe or asynchronous flush (the defaults,
        // set explicitly because the guarantee rests on them).
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, false);
        RaftServerConfigKeys.Log.setAsyncFlushEnabled(p, false);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotThreshold());
        // After a snapshot, closed Raft log segments below it are purged.
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.raftSegmentSize()));
        RaftServerConfigKeys.Log.setPreallocatedSize(p,
                SizeInBytes.valueOf(Math.min(4L << 20, config.raftSegmentSize())));
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.max(1, Math.min(1024, config.snapshotThreshold())));
        // No commit-index metadata entry after each commit: Ratis appends one by default (so a restarted member can
        // apply up to the last known commit without a leader), and it is replicated and forced like any entry, which
        // doubled the entries, forces and round trips per commit (measured in alternating runs: 1-thread p50
        // 6.8-14.2 ms with it, 5.2-7.4 without; docs/REPLICATION.md). Nothing here needs it: a new leader applies
        // every earlier entry before it is ready (Raft commits them with its first entry), and a follower applies
        // what the leader says is committed.
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
        return p;
    }

    /**
     * Closes {@code server} and waits (at most {@code bound}) until the threads Ratis ran for this member of
     * {@code groupId} have ended. Ratis's close waits at most 3 s for the Raft log's worker thread and then returns
     * while the worker may still write into the log directory; a member restarted on that directory, or an operator
     * wiping it, must not race a late write (a CI run saw a directory refill while it was being deleted). Ratis names
     * those threads {@code <memberId>@<groupId>-...}. Returns the names of those still running at the bound (none if
     * all ended).
     *
     * <p>A {@code FollowerState} thread still running once the close has returned is interrupted, which is how Ratis
     * stops one: a leader stepping down (Ratis's {@code changeToFollower}, on its own thread) starts it after the
     * division's close has already stopped the follower state, when the close comes from this member being fenced by
     * that very step-down. Ratis never stops that one: on a closed division it never starts an election and loops on
     * its timer for ever (in WildFly a redeploy saw it hold the undeployed adapter's classes).
     */
    static List<String> closeAndAwait(RaftServer server, String memberId, RaftGroupId groupId, Duration bound)
            throws IOException {
        server.close();
        String prefix = memberId + "@" + groupId + "-";
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t != Thread.currentThread() && t.getName().startsWith(prefix))
                    .toList();
            for (Thread t : threads) {
                if (t.getName().equals(prefix + "FollowerState")) {
                    t.interrupt();
                }
            }
            List<String> alive = threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
            if (alive.isEmpty() || System.nanoTime() > deadline) {
                return alive;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return alive;
            }
        }
    }

    private static TimeDuration millis(Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }
}
