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
import org.apache.ratis.util.MD5FileUtil;

/**
 * The Ratis state machine of a member: hands each committed entry to its {@link Replica}, which applies it to the
 * replica store while the member follows and ignores it while the member's own store is active (that store wrote
 * it). A snapshot is the replica store's checkpoint: the segments forced and the head moved; the snapshot file itself
 * is empty and only names the term and index the directory holds. Driven by Ratis's single applier thread.
 */
final class StoreStateMachine extends BaseStateMachine {
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final Replica replica;

    StoreStateMachine(Replica replica) {
        this.replica = replica;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        loadSnapshot();
        replica.openReplicaStore();
    }

    @Override
    public void reinitialize() throws IOException {
        loadSnapshot();
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

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0 || !replica.checkpointForSnapshot()) {
            SingleFileSnapshotInfo s = storage.getLatestSnapshot();
            return s == null ? RaftLog.INVALID : s.getIndex();
        }
        File f = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        Files.write(f.toPath(), new byte[0]);
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(f);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(f.toPath(), md5), last));
        return last.getIndex();
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
