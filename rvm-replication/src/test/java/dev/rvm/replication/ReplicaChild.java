package dev.rvm.replication;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.PrepareResult;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A member in a child JVM, for the kill tests. Arguments: member id, peers ({@code id=host:port,...}), group UUID,
 * base directory, events file. While it is the leader it checks the store it took over, resolves the branches in
 * doubt, then runs transfers: a counter at offset 0 and slot {@code i % SLOTS} set to {@code i} in one transaction,
 * every {@value #TWO_PHASE_EVERY}th by prepare and commitPrepared. Every acknowledged step is one line appended to
 * the events file with one write (a SIGKILL keeps completed writes): {@code ACTIVE}, {@code INDOUBT ids},
 * {@code VERIFIED c}, {@code PREPARED i}, {@code ACK i}. Commands on stdin: {@code QUIESCE} (the leader stops,
 * truncates and answers {@code QUIESCED index}), {@code CHECKPOINT index} (a follower waits for the index and
 * checkpoints, answering {@code CHECKPOINTED}), {@code HOLD} (the leader stops after its next PREPARE, answering
 * {@code HELD p<i>}, until it is killed), {@code SNAPSHOT} (the member snapshots — the leader truncates, a follower
 * checkpoints — and its first segment force answers {@code SNAPSHOTTING} and then pauses, see
 * {@link SlowSnapshotStorage}). System property {@code rvm.snapshotThreshold}: entries between two Ratis snapshots;
 * {@code rvm.electionTimeoutMin} and {@code rvm.electionTimeoutMax} (ms): the election timeouts, by default
 * {@link Cluster}'s.
 */
public final class ReplicaChild {
    static final int SLOTS = 512;
    static final int TWO_PHASE_EVERY = 7;
    static final long SEG = 8 + SLOTS * 8L;

    private static FileChannel events;
    private static volatile boolean quiesce;
    private static volatile boolean hold;
    private static volatile RecoverableMemory activeStore;

    private ReplicaChild() {
    }

    static synchronized void event(String line) {
        try {
            events.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> peers = new LinkedHashMap<>();
        for (String p : args[1].split(",")) {
            String[] kv = p.split("=", 2);
            peers.put(kv[0], kv[1]);
        }
        events = FileChannel.open(Path.of(args[4]), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        SlowSnapshotStorage storage = new SlowSnapshotStorage(ReplicaChild::event, 1500);
        ReplicaConfig config = ReplicaConfig.builder(args[0], peers, UUID.fromString(args[2]), Path.of(args[3]))
                .logSize(1 << 20).electionTimeout(Duration.ofMillis(Long.getLong("rvm.electionTimeoutMin",
                        Cluster.ELECTION_MIN.toMillis())), Duration.ofMillis(Long.getLong("rvm.electionTimeoutMax",
                        Cluster.ELECTION_MAX.toMillis())))
                .commitTimeout(Duration.ofSeconds(10)).snapshotThreshold(Long.getLong("rvm.snapshotThreshold", 400_000))
                .raftSegmentSize(256 * 1024).storage(storage).build();
        Replica replica = Replica.start(config);
        event("STARTED");
        Thread commands = new Thread(() -> commands(replica, storage), "commands");
        commands.setDaemon(true);
        commands.start();
        while (replica.state() != Replica.State.ACTIVE) {
            if (replica.state() == Replica.State.FENCED || replica.state() == Replica.State.CLOSED) {
                event("STOPPED " + replica.state());
                System.exit(3);
            }
            Thread.sleep(10);
        }
        RecoverableMemory rvm = replica.active().orElseThrow();
        activeStore = rvm;
        try {
            lead(replica, rvm);
        } catch (RvmException e) {
            event("FENCED " + e.code() + " " + e.getMessage().replace('\n', ' '));
            System.exit(3);
        }
    }

    private static void commands(Replica replica, SlowSnapshotStorage storage) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("QUIESCE")) {
                    quiesce = true;
                } else if (line.startsWith("CHECKPOINT ")) {
                    long index = Long.parseLong(line.substring(11));
                    while (replica.status().appliedIndex() < index) {
                        Thread.sleep(10);
                    }
                    replica.checkpoint();
                    event("CHECKPOINTED");
                } else if (line.equals("HOLD")) {
                    hold = true;
                } else if (line.equals("SNAPSHOT")) {
                    storage.arm();
                    Thread t = new Thread(() -> snapshot(replica), "snapshot");
                    t.setDaemon(true);
                    t.start();
                }
            }
        } catch (IOException | InterruptedException e) {
            event("COMMANDS " + e);
        }
    }

    /** The leader's snapshot is a truncation of its store; a follower's is a checkpoint of its replica store. */
    private static void snapshot(Replica replica) {
        try {
            RecoverableMemory m = activeStore;
            if (m != null) {
                m.truncate();
            } else {
                replica.checkpoint();
            }
            event("SNAPSHOT_DONE");
        } catch (IOException | RuntimeException e) {
            event("SNAPSHOT_FAILED " + e.toString().replace('\n', ' '));
        }
    }

    private static void lead(Replica replica, RecoverableMemory rvm) throws IOException {
        event("ACTIVE");
        if (!rvm.segmentExists("data")) {
            rvm.createSegment("data", SEG);
        }
        Region r = rvm.map("data", 0, SEG);
        List<BranchId> inDoubt = rvm.inDoubt();
        StringBuilder ids = new StringBuilder("INDOUBT");
        for (BranchId b : inDoubt) {
            ids.append(' ').append(new String(b.toBytes(), StandardCharsets.UTF_8));
        }
        event(ids.toString());
        for (BranchId b : inDoubt) {
            rvm.commitPrepared(b); // the test's coordinator decided commit before any prepare
        }
        long c = r.getLong(0);
        String bad = check(r, c);
        event(bad == null ? "VERIFIED " + c : "BAD " + bad);
        for (long i = c + 1; !quiesce; i++) {
            Transaction t = rvm.begin(RestoreMode.RESTORE);
            t.setRange(r, 0, 8);
            t.setRange(r, 8 + (i % SLOTS) * 8, 8);
            r.putLong(0, i);
            r.putLong(8 + (i % SLOTS) * 8, i);
            if (i % TWO_PHASE_EVERY == 0) {
                BranchId b = BranchId.of("p" + i);
                if (t.prepare(b) != PrepareResult.PREPARED) {
                    throw new AssertionError("not prepared");
                }
                event("PREPARED p" + i);
                if (hold) {
                    event("HELD p" + i);
                    holdUntilKilled();
                }
                rvm.commitPrepared(b);
            } else {
                t.commit(CommitMode.FLUSH);
            }
            event("ACK " + i);
        }
        rvm.truncate();
        event("QUIESCED " + replica.status().appliedIndex());
    }

    private static void holdUntilKilled() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while holding a prepared branch", e);
            }
        }
    }

    /** Null if every slot holds the newest {@code i <= c} that maps to it; else what is wrong. */
    static String check(Region r, long c) {
        for (int s = 0; s < SLOTS; s++) {
            long want = Math.max(0, c - Math.floorMod(c - s, SLOTS));
            long got = r.getLong(8 + s * 8L);
            if (got != want) {
                return "counter " + c + " slot " + s + " holds " + got + ", expected " + want;
            }
        }
        return null;
    }
}
