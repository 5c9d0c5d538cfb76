package dev.rvm.replication;

import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A member of the benchmark's group in its own JVM (see {@link ReplicationBench}). Arguments: member id, peers
 * ({@code id=host:port,...}), group UUID, base directory, result file. The member that becomes the leader runs the
 * benchmark's points against its store and appends one line per point to the result file
 * ({@code POINT threads commitsPerSecond p50Nanos p99Nanos batches replicateNanos}), then {@code DONE}; the others
 * follow until they are killed.
 */
public final class BenchMemberChild {
    private BenchMemberChild() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> peers = new LinkedHashMap<>();
        for (String p : args[1].split(",")) {
            String[] kv = p.split("=", 2);
            peers.put(kv[0], kv[1]);
        }
        Path result = Path.of(args[4]);
        Replica replica = Replica.start(ReplicaConfig.builder(args[0], peers, UUID.fromString(args[2]), Path.of(args[3]))
                .logSize(64 << 20).electionTimeout(Cluster.ELECTION_MIN, Cluster.ELECTION_MAX).build());
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (replica.state() != Replica.State.ACTIVE) {
            if (System.nanoTime() > deadline) {
                Thread.sleep(Long.MAX_VALUE); // a follower: serves the leader until killed
            }
            Thread.sleep(20);
        }
        RecoverableMemory rvm = replica.awaitActive(Duration.ofSeconds(1));
        rvm.createSegment("accounts", ReplicationBench.ACCOUNTS * 8L);
        Region r = rvm.map("accounts", 0, ReplicationBench.ACCOUNTS * 8L);
        for (int threads : new int[] {1, 4, 16}) {
            Replica.Status before = replica.status();
            ReplicationBench.Point p = ReplicationBench.point(rvm, r, threads);
            Replica.Status after = replica.status();
            String line = String.format("POINT %d %.1f %.0f %.0f %d %d%n", threads, p.perSecond(), p.p50(), p.p99(),
                    after.batchesReplicated() - before.batchesReplicated(),
                    after.replicateNanos() - before.replicateNanos());
            Files.writeString(result, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        Files.writeString(result, "DONE\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Thread.sleep(Long.MAX_VALUE);
    }
}
