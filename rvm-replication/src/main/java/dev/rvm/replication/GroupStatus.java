package dev.rvm.replication;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.LogInfoProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.TermIndexProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/**
 * The state of a replicated store's group as its members report it, asked over the network (Ratis's group
 * information call to each member): who is reachable, each member's role, the leader, and how far each member's log
 * and store have got. Used by {@code rvm-tools group-status}. Stateless and thread-safe.
 */
public final class GroupStatus {
    /**
     * One member's answer. Indexes are Raft log indexes; -1 where unknown. {@code lag} is how many entries the
     * member's applied index is behind the leader's commit index (-1 when either is unknown).
     *
     * @param id            the member id
     * @param address       {@code host:port}
     * @param error         why the member did not answer; null when it did
     * @param role          LEADER, FOLLOWER, CANDIDATE or LISTENER as Ratis reports it
     * @param term          the term of the member's last log entry (the leader's: its current term)
     * @param leaderId      the leader as this member sees it, or null
     * @param lastIndex     the member's last log entry
     * @param commitIndex   the member's commit index
     * @param appliedIndex  the last entry applied to the member's store
     * @param snapshotIndex the member's last snapshot (checkpoint), from which it recovers
     * @param lag           entries between the leader's commit index and this member's applied index
     * @param storageHealthy whether Ratis reports the member's storage healthy
     */
    public record Member(String id, String address, String error, String role, long term, String leaderId,
            long lastIndex, long commitIndex, long appliedIndex, long snapshotIndex, long lag, boolean storageHealthy) {
        /** Whether the member answered. */
        public boolean reachable() {
            return error == null;
        }
    }

    private GroupStatus() {
    }

    /**
     * Asks every member of {@code peers} (id to {@code host:port}) about group {@code groupId}, each within
     * {@code timeout}; members that do not answer are listed with the error.
     */
    public static List<Member> query(Map<String, String> peers, UUID groupId, Duration timeout) {
        RaftGroupId gid = RaftGroupId.valueOf(groupId);
        List<RaftPeer> list = new ArrayList<>();
        peers.forEach((id, address) -> list.add(RaftPeer.newBuilder().setId(id).setAddress(address).build()));
        RaftGroup group = RaftGroup.valueOf(gid, list);
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(timeout.toMillis(), TimeUnit.MILLISECONDS));
        List<Member> raw = new ArrayList<>();
        try (RaftClient client = RaftClient.newBuilder().setProperties(p).setRaftGroup(group)
                .setRetryPolicy(RetryPolicies.noRetry()).build()) {
            for (RaftPeer peer : list) {
                raw.add(ask(client, peer, gid));
            }
        } catch (IOException e) {
            throw new IllegalStateException("closing the Ratis client failed: " + e, e);
        }
        long leaderCommit = -1;
        for (Member m : raw) {
            if ("LEADER".equals(m.role())) {
                leaderCommit = Math.max(leaderCommit, m.commitIndex());
            }
        }
        List<Member> out = new ArrayList<>();
        for (Member m : raw) {
            long lag = leaderCommit < 0 || m.appliedIndex() < 0 ? -1 : Math.max(0, leaderCommit - m.appliedIndex());
            out.add(new Member(m.id(), m.address(), m.error(), m.role(), m.term(), m.leaderId(), m.lastIndex(),
                    m.commitIndex(), m.appliedIndex(), m.snapshotIndex(), lag, m.storageHealthy()));
        }
        return out;
    }

    private static Member ask(RaftClient client, RaftPeer peer, RaftGroupId gid) {
        String id = peer.getId().toString();
        String address = peer.getAddress();
        try {
            GroupInfoReply r = client.getGroupManagementApi(RaftPeerId.valueOf(id)).info(gid);
            if (!r.isSuccess()) {
                return unreachable(id, address, String.valueOf(r.getException()));
            }
            RoleInfoProto role = r.getRoleInfoProto();
            LogInfoProto log = r.getLogInfoProto();
            String leader = null;
            long term = log.hasLastEntry() ? log.getLastEntry().getTerm() : -1;
            if (role.hasLeaderInfo()) {
                leader = id;
                term = role.getLeaderInfo().getTerm();
            } else if (role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()) {
                leader = role.getFollowerInfo().getLeaderInfo().getId().getId().toStringUtf8();
                if (leader.isEmpty()) {
                    leader = null;
                }
            }
            return new Member(id, address, null, role.getRole().name(), term, leader, index(log.hasLastEntry(),
                    log.getLastEntry()), index(log.hasCommitted(), log.getCommitted()), index(log.hasApplied(),
                    log.getApplied()), index(log.hasLastSnapshot(), log.getLastSnapshot()), -1, r.isRaftStorageHealthy());
        } catch (IOException | RuntimeException e) {
            return unreachable(id, address, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static long index(boolean present, TermIndexProto t) {
        return present ? t.getIndex() : -1;
    }

    private static Member unreachable(String id, String address, String error) {
        return new Member(id, address, error, null, -1, null, -1, -1, -1, -1, -1, false);
    }
}
