package dev.rvm.tools;

import static dev.rvm.tools.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.CommitMode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.Transaction;
import dev.rvm.replication.Replica;
import dev.rvm.replication.ReplicaConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code witness} and {@code group-status} with real Ratis servers: two application members in this JVM and the
 * tool's witness in a child JVM form a group of three; the witness's vote keeps the group serving when one
 * application member goes, and {@code group-status} shows the members, the leader, the applied indexes and the one
 * that is down.
 */
class GroupCommandsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Replica awaitActive(List<Replica> members) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Replica m : members) {
                if (m.state() == Replica.State.ACTIVE) {
                    return m;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no application member became the active store within " + WAIT);
    }

    private static long commit(RecoverableMemory rvm, Region r, long from, int n) {
        long i = from;
        for (int k = 0; k < n; k++) {
            i++;
            Transaction t = rvm.begin(RestoreMode.NO_RESTORE);
            t.setRange(r, 0, 8);
            r.putLong(0, i);
            t.commit(CommitMode.FLUSH);
        }
        return i;
    }

    @Test
    void aWitnessIsTheThirdVoteAndGroupStatusShowsTheGroup() throws Exception {
        Map<String, String> peers = new LinkedHashMap<>();
        for (String id : List.of("m0", "m1", "w")) {
            peers.put(id, "127.0.0.1:" + freePort());
        }
        UUID group = UUID.randomUUID();
        StringBuilder peerArg = new StringBuilder();
        peers.forEach((k, v) -> peerArg.append(peerArg.length() == 0 ? "" : ",").append(k).append('=').append(v));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process witness = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                RvmTool.class.getName(), "witness", "--id", "w", "--peers", peerArg.toString(), "--group",
                group.toString(), "--dir", dir.resolve("w").toString(), "--log-size", "1M")
                .redirectErrorStream(true).redirectOutput(dir.resolve("witness.out").toFile()).start();
        List<Replica> apps = new ArrayList<>();
        try {
            long until = System.nanoTime() + WAIT.toNanos();
            String said = "";
            while (!said.contains("witness w of group " + group) && System.nanoTime() < until && witness.isAlive()) {
                Thread.sleep(50);
                said = Files.readString(dir.resolve("witness.out"));
            }
            assertTrue(said.contains("witness w of group " + group), "witness said: " + said);
            for (String id : List.of("m0", "m1")) {
                apps.add(Replica.start(ReplicaConfig.builder(id, peers, group, dir.resolve(id)).logSize(1 << 20)
                        .witnesses(Set.of("w")).build()));
            }
            Replica leader = awaitActive(apps);
            RecoverableMemory rvm = leader.active().orElseThrow();
            rvm.createSegment("data", 4096);
            long n = commit(rvm, rvm.map("data", 0, 4096), 0, 200);

            Fixtures.Run s = run("group-status", "--group", group.toString(), "--peers", peerArg.toString(),
                    "--max-lag", "1000");
            System.out.println(s.out());
            assertEquals(ExitCodes.OK, s.exit(), s.toString());
            assertTrue(s.out().contains("leader " + leader.memberId()), s.toString());
            assertTrue(s.out().lines().anyMatch(l -> l.startsWith("w ") && l.contains("FOLLOWER")), s.toString());
            Fixtures.Run j = run("group-status", "--json", "--group", group.toString(), "--peers", peerArg.toString());
            assertTrue(j.out().contains("\"id\":\"w\"") && j.out().contains("\"appliedIndex\":"), j.toString());

            // The leader goes; the other application member and the witness elect the application member (the
            // witness has the lower priority), which has every commit.
            leader.close();
            Replica other = apps.stream().filter(m -> m != leader).findFirst().orElseThrow();
            RecoverableMemory rvm2 = other.awaitActive(WAIT);
            Region r2 = rvm2.map("data", 0, 4096);
            assertEquals(n, r2.getLong(0));
            commit(rvm2, r2, n, 10);
            Fixtures.Run down = run("group-status", "--group", group.toString(), "--peers", peerArg.toString(),
                    "--timeout-ms", "1000");
            System.out.println(down.out());
            assertEquals(ExitCodes.ATTENTION, down.exit(), down.toString());
            assertTrue(down.out().contains("leader " + other.memberId()), down.toString());
            assertTrue(down.out().lines().anyMatch(l -> l.startsWith(leader.memberId() + " ") && l.contains("unreachable")),
                    down.toString());
        } finally {
            for (Replica m : apps) {
                m.close();
            }
            witness.destroy(); // SIGTERM: the witness closes its member in a shutdown hook
            assertTrue(witness.waitFor(30, TimeUnit.SECONDS), "the witness did not stop on SIGTERM");
        }
    }
}
