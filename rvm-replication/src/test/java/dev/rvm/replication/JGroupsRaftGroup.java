package dev.rvm.replication;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.replication.LogReplicator;
import dev.rvm.core.replication.ReplicaStore;
import dev.rvm.core.replication.ReplicationException;
import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.jgroups.JChannel;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.raft.RaftHandle;
import org.jgroups.raft.StateMachine;

/**
 * The benchmark's alternative engine: the same replicated store as {@link Replica} — one Raft entry per group-commit
 * batch ({@link Entries}), followers applying committed batches to a {@link ReplicaStore}, the leader's store writing
 * a batch locally only after a majority holds it — on jgroups-raft instead of Ratis, so both can be measured in one run
 * (the issue asks for that before choosing). Members in this JVM on loopback TCP, each Raft log a
 * {@code FileBasedLog} with fsync on (an entry counts towards a majority only once forced, as with Ratis). Only what
 * the benchmark needs: no failover, fencing or snapshots. Not thread-safe to set up; the replicator is.
 */
final class JGroupsRaftGroup implements AutoCloseable {
    private static final long STORE_ID = 0x6a67726f75707321L;
    private final List<Member> members = new ArrayList<>();
    private final long logSize;
    private RecoverableMemory active;

    JGroupsRaftGroup(Path dir, int n, long logSize) throws Exception {
        this.logSize = logSize;
        List<Integer> ports = new ArrayList<>();
        StringBuilder hosts = new StringBuilder();
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int port = Cluster.freePort();
            ports.add(port);
            hosts.append(i == 0 ? "" : ",").append("127.0.0.1[").append(port).append(']');
            ids.append(i == 0 ? "" : ",").append("j").append(i);
        }
        for (int i = 0; i < n; i++) {
            members.add(new Member("j" + i, dir.resolve("j" + i), ports.get(i), hosts.toString(), ids.toString()));
        }
        for (Member m : members) {
            m.channel.connect("rvm-bench");
        }
    }

    /** Waits for a leader and opens its store as the active one, replicating through jgroups-raft. */
    RecoverableMemory awaitActiveStore(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Member m : members) {
                if (m.raft.isLeader()) {
                    m.replica.close();
                    m.replica = null;
                    m.active = true;
                    active = RecoverableMemory.open(RvmOptions.builder(m.dir).logSize(logSize).createIfMissing(false)
                            .replicator(m.replicator).build());
                    return active;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no jgroups-raft leader within " + timeout);
    }

    /** Batches the leader replicated, and their time from submission to majority commit, in nanoseconds. */
    long[] replicated() {
        for (Member m : members) {
            if (m.active) {
                return new long[] {m.replicator.batches.sum(), m.replicator.nanos.sum()};
            }
        }
        return new long[] {0, 0};
    }

    @Override
    public void close() throws IOException {
        if (active != null) {
            active.close();
        }
        for (Member m : members) {
            m.channel.close();
            if (m.replica != null) {
                m.replica.close();
            }
        }
    }

    private final class Member implements StateMachine {
        final Path dir;
        final JChannel channel;
        final RaftHandle raft;
        final Replicator replicator;
        volatile ReplicaStore replica;
        volatile boolean active;

        Member(String id, Path dir, int port, String hosts, String ids) throws Exception {
            this.dir = dir.resolve("store");
            this.replica = ReplicaStore.open(this.dir, STORE_ID, logSize);
            String xml = "<config xmlns=\"urn:org:jgroups\">"
                    + "<TCP bind_addr=\"127.0.0.1\" bind_port=\"" + port + "\" port_range=\"0\"/>"
                    + "<TCPPING initial_hosts=\"" + hosts + "\" port_range=\"0\"/>"
                    + "<MERGE3/><FD_ALL3/><VERIFY_SUSPECT2/>"
                    + "<pbcast.NAKACK2 use_mcast_xmit=\"false\"/><UNICAST3/><pbcast.STABLE/>"
                    + "<raft.NO_DUPES/><pbcast.GMS join_timeout=\"1000\"/><FRAG4/>"
                    + "<raft.ELECTION/><raft.RAFT/><raft.REDIRECT/></config>";
            this.channel = new JChannel(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            channel.name(id);
            RAFT r = channel.getProtocolStack().findProtocol(RAFT.class);
            r.raftId(id).logClass("org.jgroups.protocols.raft.FileBasedLog")
                    .logDir(dir.resolve("raft").toString()).logUseFsync(true);
            r.setMembers(ids);
            r.maxLogSize(Long.MAX_VALUE / 2);
            this.raft = new RaftHandle(channel, this);
            this.replicator = new Replicator(raft);
        }

        @Override
        public byte[] apply(byte[] data, int offset, int length, boolean serializeResponse) throws Exception {
            ReplicaStore r = replica;
            if (active || r == null) {
                return null; // the active store wrote it
            }
            Entries.decode(ByteString.copyFrom(data, offset, length), new Entries.Visitor() {
                @Override
                public void batch(long startLsn, byte[] records, int off, int len) throws IOException {
                    r.apply(startLsn, records, off, len);
                }

                @Override
                public void segment(String name, long size) throws IOException {
                    r.createSegment(name, size);
                }
            });
            return null;
        }

        @Override
        public void readContentFrom(DataInput in) {
        }

        @Override
        public void writeContentTo(DataOutput out) {
        }
    }

    /** Replicates each batch as one jgroups-raft entry and returns once the leader has it committed and applied. */
    private static final class Replicator implements LogReplicator {
        final RaftHandle raft;
        final LongAdder batches = new LongAdder();
        final LongAdder nanos = new LongAdder();

        Replicator(RaftHandle raft) {
            this.raft = raft;
        }

        @Override
        public void replicate(long startLsn, byte[] records, int off, int len, long localDurable) throws IOException {
            long t0 = System.nanoTime();
            submit(Entries.batch(startLsn, records, off, len).toByteArray());
            nanos.add(System.nanoTime() - t0);
            batches.increment();
        }

        @Override
        public void segmentCreated(String name, long size) throws IOException {
            submit(Entries.segment(name, size).toByteArray());
        }

        @Override
        public void checkActive() {
        }

        private void submit(byte[] entry) throws IOException {
            try {
                raft.setAsync(entry, 0, entry.length, null).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReplicationException(ErrorCode.NO_QUORUM, "interrupted", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new ReplicationException(ErrorCode.NO_QUORUM, "jgroups-raft did not commit: " + e, e);
            } catch (Exception e) {
                throw new ReplicationException(ErrorCode.STORE_FAILED, "jgroups-raft refused: " + e, e);
            }
        }
    }
}
