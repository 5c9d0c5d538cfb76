package dev.rvm.replication;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.replication.LogReplicator;
import dev.rvm.core.replication.ReplicationException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The active store's {@link LogReplicator}: each batch becomes one Raft entry submitted straight to this member's
 * Ratis server (never through a client that would retry at another leader), and the call returns when Ratis
 * answers that the entry is committed — held, forced, by a majority — and applied here. A refusal or a timeout fences
 * the member. Thread-safe.
 */
final class RaftReplicator implements LogReplicator {
    private final Replica replica;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private volatile String fencedBecause;

    RaftReplicator(Replica replica) {
        this.replica = replica;
    }

    @Override
    public void replicate(long startLsn, byte[] records, int off, int len) throws IOException {
        submit(Entries.batch(startLsn, records, off, len), "log batch [" + startLsn + ", " + (startLsn + len) + ")");
    }

    @Override
    public void segmentCreated(String name, long size) throws IOException {
        submit(Entries.segment(name, size), "creation of segment '" + name + "'");
    }

    @Override
    public void checkActive() {
        String why = fencedBecause;
        if (why != null) {
            throw new RvmException(ErrorCode.NOT_LEADER, notLeader(why));
        }
    }

    /** From now on every call is refused with {@code NOT_LEADER}. */
    void fence(String why) {
        if (fencedBecause == null) {
            fencedBecause = why;
        }
    }

    boolean isFenced() {
        return fencedBecause != null;
    }

    private String notLeader(String why) {
        String leader = replica.leaderId().filter(l -> !l.equals(replica.memberId())).orElse("none elected yet");
        return "member " + replica.memberId() + " is not the leader of group " + replica.config().groupId()
                + " (" + why + "; the leader is " + leader + "): this store is fenced and refuses work";
    }

    private void submit(ByteString content, String what) throws IOException {
        String why = fencedBecause;
        if (why != null) {
            throw new ReplicationException(ErrorCode.NOT_LEADER, notLeader(why), null);
        }
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(replica.server().getId())
                .setGroupId(replica.groupId())
                .setCallId(callIds.incrementAndGet())
                .setMessage(Message.valueOf(content))
                .setType(RaftClientRequest.writeRequestType())
                .build();
        long timeoutNanos = replica.config().commitTimeout().toNanos();
        CompletableFuture<RaftClientReply> future = replica.server().submitClientRequestAsync(request);
        RaftClientReply reply = await(future, timeoutNanos, what);
        if (reply.isSuccess()) {
            return;
        }
        NotLeaderException nle = reply.getNotLeaderException();
        Throwable e = nle != null ? nle : reply.getException();
        throw refused(what, e);
    }

    private RaftClientReply await(CompletableFuture<RaftClientReply> future, long timeoutNanos, String what)
            throws ReplicationException {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true; // the batch is in flight either way; the caller's interrupt is kept for it
                } catch (TimeoutException e) {
                    int n = replica.config().peers().size();
                    String msg = what + " was not committed by a majority of the group (" + (n / 2 + 1) + " of " + n
                            + " members) within the commit timeout of " + replica.config().commitTimeout().toMillis()
                            + " ms: a majority may be down or unreachable. Nothing in it was acknowledged; its outcome "
                            + "is decided by the group";
                    fence("a commit timed out without a majority");
                    replica.fenced("commit timeout without a majority");
                    throw new ReplicationException(ErrorCode.NO_QUORUM, msg, e);
                } catch (ExecutionException e) {
                    throw refused(what, e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ReplicationException refused(String what, Throwable e) {
        if (e instanceof NotLeaderException || e instanceof LeaderNotReadyException
                || e instanceof LeaderSteppingDownException) {
            fence("Ratis refused " + what + ": " + e.getMessage());
            replica.fenced("lost leadership");
            return new ReplicationException(ErrorCode.NOT_LEADER, notLeader("Ratis refused " + what
                    + " because this member is no longer the leader: it stepped down when no majority of the group"
                    + " answered within the election timeout, or another member was elected; it was not acknowledged"), e);
        }
        fence("replicating " + what + " failed: " + e);
        replica.fenced("replication failed");
        return new ReplicationException(ErrorCode.STORE_FAILED, "replicating " + what + " failed: " + e, e);
    }
}
