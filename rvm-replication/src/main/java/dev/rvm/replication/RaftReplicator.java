package dev.rvm.replication;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.replication.LogReplicator;
import dev.rvm.core.replication.ReplicationException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
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
    private final MemberLifecycle replica;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private volatile String fencedBecause;
    /** {Raft index, log end} of each batch replicated and not yet known to be forced locally, in log order. */
    private final ArrayDeque<long[]> unforced = new ArrayDeque<>();
    /** Raft index of each segment creation not yet seen in the local store, with the segment's name. */
    private final SortedMap<Long, String> segments = new TreeMap<>();
    /** The highest Raft index of a batch this store's log holds forced. */
    private long forcedIndex = -1;
    private final LongAdder batches = new LongAdder();
    private final LongAdder replicateNanos = new LongAdder();

    RaftReplicator(MemberLifecycle replica) {
        this.replica = replica;
    }

    @Override
    public void replicate(long startLsn, byte[] records, int off, int len, long localDurable) throws IOException {
        synchronized (unforced) {
            while (!unforced.isEmpty() && unforced.peekFirst()[1] <= localDurable) {
                forcedIndex = unforced.pollFirst()[0];
            }
        }
        long t0 = System.nanoTime();
        long index = submit(Entries.batch(startLsn, records, off, len), "log batch [" + startLsn + ", "
                + (startLsn + len) + ")");
        replicateNanos.add(System.nanoTime() - t0);
        batches.increment();
        synchronized (unforced) {
            unforced.addLast(new long[] {index, startLsn + len});
        }
    }

    @Override
    public void segmentCreated(String name, long size) throws IOException {
        long index = submit(Entries.segment(name, size), "creation of segment '" + name + "'");
        synchronized (unforced) {
            segments.put(index, name);
        }
    }

    /**
     * The highest Raft index up to which this (active) store's directory holds every entry durably, as far as is
     * known now: the batches up to it are forced in the local log and the segments created up to it exist
     * ({@code segmentExists}). Entries before this member's activation were in its replica store, checkpointed when
     * it was promoted. -1 if nothing is known yet. A snapshot of the active store may claim this index.
     */
    long durableIndex(Predicate<String> segmentExists) {
        synchronized (unforced) {
            long index = forcedIndex;
            for (Iterator<Map.Entry<Long, String>> it = segments.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, String> e = it.next();
                if (e.getKey() > index) {
                    break;
                }
                if (!segmentExists.test(e.getValue())) {
                    return e.getKey() - 1; // replicated, not yet created here
                }
                it.remove();
            }
            return index;
        }
    }

    @Override
    public void checkActive() {
        String why = fencedBecause;
        if (why != null) {
            throw new RvmException(ErrorCode.NOT_LEADER, notLeader(why));
        }
    }

    /** Batches replicated. */
    long batches() {
        return batches.sum();
    }

    /** Time the batches spent from submission to their commit by a majority, in nanoseconds. */
    long replicateNanos() {
        return replicateNanos.sum();
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

    /** Submits one entry and returns its Raft index once it is committed and applied here. */
    private long submit(ByteString content, String what) throws IOException {
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
            return reply.getLogIndex();
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
