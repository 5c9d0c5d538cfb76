package dev.rvm.replication;

import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;

/**
 * How far a group has got as one member's own Ratis division knows it, read without any network call (unlike
 * {@link GroupStatus}, which asks every member): what a management console shows next to the member's role. Only the
 * leader tracks its followers, so the follower figures are {@code -1} on any other member. A snapshot of one moment;
 * an immutable value, thread-safe.
 *
 * <p>A leader learns a follower's match index from the follower's answers: right after an election, until the first
 * answer, a follower counts as holding nothing, so the lag is briefly the whole log.
 *
 * @param commitIndex          the last Raft entry this member knows committed ({@code -1} when its server is down)
 * @param lastIndex            the last entry in this member's Raft log ({@code -1} when its server is down)
 * @param followerLagMax       on the leader, the most entries by which a follower's match index (the last entry the
 *                             leader knows it holds) is behind the leader's last entry; {@code -1} elsewhere
 * @param followersBehind      on the leader, how many followers lack at least one committed entry; {@code -1}
 *                             elsewhere
 * @param followerSilenceMillis on the leader, the longest time since a follower last answered it (a stopped member's
 *                             grows while its lag may not, if nothing is being written); {@code -1} elsewhere
 */
public record GroupProgress(long commitIndex, long lastIndex, long followerLagMax, long followersBehind,
        long followerSilenceMillis) {
    /** Every figure unknown: a member whose server is down or closing. */
    static final GroupProgress UNKNOWN = new GroupProgress(-1, -1, -1, -1, -1);

    /** Reads {@code division}'s log and, if it leads, its followers' match indexes and last answers. */
    static GroupProgress of(RaftServer.Division division) {
        RaftLog log = division.getRaftLog();
        long commit = log.getLastCommittedIndex();
        long last = log.getNextIndex() - 1;
        DivisionInfo info = division.getInfo();
        long[] matches = info.getFollowerMatchIndices(); // null unless this division leads
        if (matches == null) {
            return new GroupProgress(commit, last, -1, -1, -1);
        }
        long lagMax = 0;
        long behind = 0;
        for (long m : matches) {
            lagMax = Math.max(lagMax, last - m);
            if (m < commit) {
                behind++;
            }
        }
        long silence = 0;
        RoleInfoProto role = info.getRoleInfoProto();
        if (role.hasLeaderInfo()) {
            for (ServerRpcProto f : role.getLeaderInfo().getFollowerInfoList()) {
                silence = Math.max(silence, f.getLastRpcElapsedTimeMs());
            }
        }
        return new GroupProgress(commit, last, lagMax, behind, silence);
    }
}
