package dev.rvm.replication;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * The Ratis state machine of a member: hands each committed entry to its {@link MemberLifecycle}, which applies it
 * to the replica store while the member follows and ignores it while the member's own store is active (that store
 * wrote it). A snapshot is the index the member's directory holds durably: a follower's replica store checkpointed (the
 * segments forced and the head moved), or what the leader's store has forced; the snapshot file itself is empty and
 * only names that term and index. Driven by Ratis's single applier thread.
 */
final class StoreStateMachine extends BaseStateMachine {
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final MemberLifecycle replica;

    StoreStateMachine(MemberLifecycle replica) {
        this.replica = replica;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().transition(LifeCycle.State.STARTING);
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        loadSnapshot();
        replica.openReplicaStore();
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    /**
     * Ratis pauses the state machine before it installs a snapshot sent by the leader (a member whose log is behind
     * the leader's purged log). The snapshot names only an index: the member's directory must already hold the
     * batches up to it, as a copy of another member's directory does ({@link Replica#copyStoreTo}); a member without
     * them fails at the next batch with {@code LOG_CORRUPT} and stops.
     */
    @Override
    public void pause() {
        LifeCycle lc = getLifeCycle();
        if (lc.getCurrentState() == LifeCycle.State.RUNNING) {
            lc.transition(LifeCycle.State.PAUSING);
            lc.transition(LifeCycle.State.PAUSED);
        }
    }

    @Override
    public void reinitialize() throws IOException {
        loadSnapshot();
        LifeCycle lc = getLifeCycle();
        if (lc.getCurrentState() == LifeCycle.State.PAUSED) {
            lc.transition(LifeCycle.State.STARTING);
            lc.transition(LifeCycle.State.RUNNING);
        }
    }

    private void loadSnapshot() {
        SingleFileSnapshotInfo s = storage.loadLatestSnapshot();
        if (s != null) {
            updateLastAppliedTermIndex(s.getTermIndex());
        }
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        if (!replica.isCurrent(this)) {
            CompletableFuture<Message> f = new CompletableFuture<>();
            f.completeExceptionally(new IOException("this state machine's server was replaced"));
            return f;
        }
        try {
            replica.applyEntry(entry.getStateMachineLogEntry().getLogData());
        } catch (IOException | RuntimeException e) {
            replica.applyFailed(e);
            CompletableFuture<Message> f = new CompletableFuture<>();
            f.completeExceptionally(e);
            return f;
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    /**
     * A snapshot names the Raft index up to which the member's directory holds every entry durably: on a follower
     * the replica store checkpointed (everything applied), on the leader what its store has forced (see
     * {@link MemberLifecycle#snapshotIndex}). Ratis then purges its log up to that index. The file itself is empty.
     */
    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
        long latestIndex = latest == null ? RaftLog.INVALID : latest.getIndex();
        if (last == null || last.getIndex() < 0) {
            return latestIndex;
        }
        long index = replica.snapshotIndex(last.getIndex());
        if (index <= latestIndex) {
            return latestIndex;
        }
        TermIndex at = index == last.getIndex() ? last : replica.termIndex(index);
        if (at == null) {
            return latestIndex;
        }
        File f = storage.getSnapshotFile(at.getTerm(), at.getIndex());
        Files.write(f.toPath(), new byte[0]);
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(f);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(f.toPath(), md5), at));
        return at.getIndex();
    }

    @Override
    public void notifyLeaderReady() {
        if (replica.isCurrent(this)) {
            replica.leaderReady();
        }
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
        if (replica.isCurrent(this)) {
            replica.lostLeadership("it stepped down as leader");
        }
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        if (replica.isCurrent(this)) {
            replica.leaderChanged(newLeaderId == null ? null : newLeaderId.toString());
        }
    }

    /** The constant Ratis uses for "no index". */
    private static final class RaftLog {
        static final long INVALID = -1;
    }
}
