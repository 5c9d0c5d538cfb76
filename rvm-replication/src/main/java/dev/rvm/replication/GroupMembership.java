package dev.rvm.replication;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.server.RaftServer;

/**
 * Changes to a group's membership, asked of the leader's Ratis server: taking a member out and putting it back, the
 * two ends of rebuilding a member whose directories were lost. One instance per change, made by {@link Replica} once
 * it has checked that it is the active leader. Thread-safe: immutable, and Ratis serializes configuration changes.
 */
final class GroupMembership {
    private static final System.Logger LOG = System.getLogger("dev.rvm.replication");

    private final RaftServer server;
    private final RaftGroupId groupId;
    private final ReplicaConfig config;

    GroupMembership(RaftServer server, RaftGroupId groupId, ReplicaConfig config) {
        this.server = server;
        this.groupId = groupId;
        this.config = config;
    }

    /**
     * Takes member {@code id} out of the configuration, so the leader forgets how far that member's Raft log got:
     * Raft assumes a member never loses its log, and a leader would keep offering such a member only the entries after
     * those it once acknowledged. While it is out, the group is the others, and all of them form its majority.
     */
    void remove(String id, Duration timeout) throws IOException {
        List<RaftPeer> peers = new ArrayList<>(RaftSetup.group(config, groupId).getPeers());
        if (!peers.removeIf(p -> p.getId().toString().equals(id))) {
            throw new IOException("member '" + id + "' is not among the peers " + config.peers().keySet());
        }
        set(peers, "removing member " + id, timeout);
    }

    /**
     * Puts member {@code id} (one of the configured peers, running) back into the configuration. Ratis brings it up to
     * date first — from the leader's last snapshot, which installs only an index, so its store directory must already
     * hold the batches up to there (a copy of a follower's) — and then commits the change.
     */
    void add(String id, Duration timeout) throws IOException {
        if (!config.peers().containsKey(id)) {
            throw new IOException("member '" + id + "' is not among the peers " + config.peers().keySet());
        }
        set(new ArrayList<>(RaftSetup.group(config, groupId).getPeers()), "adding member " + id, timeout);
    }

    private void set(List<RaftPeer> peers, String what, Duration timeout) throws IOException {
        SetConfigurationRequest request = new SetConfigurationRequest(ClientId.randomId(), server.getId(), groupId, 1,
                peers);
        RaftClientReply reply;
        try {
            reply = server.setConfigurationAsync(request).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " was interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(what + " failed or was not committed within " + timeout.toMillis() + " ms: " + e, e);
        }
        if (!reply.isSuccess()) {
            throw new IOException(what + " was refused: " + reply.getException(), reply.getException());
        }
        LOG.log(System.Logger.Level.INFO, "RVM replica {0}: {1} committed (members {2})", config.memberId(), what,
                peers.stream().map(p -> p.getId().toString()).toList());
    }
}
