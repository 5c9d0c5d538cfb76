package dev.rvm.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members in child JVMs on loopback; the leader, running transfers (one-phase and two-phase), is killed with
 * SIGKILL at a random moment, again and again. After each kill another member must take over with every
 * acknowledged transfer (the counter at least the last acknowledged one, every slot consistent with it: no partial
 * transaction) and every acknowledged PREPARE either in doubt or already committed; the killed member restarts and
 * rejoins. At the end every member's segment file is byte-identical. {@code -Drvm.failoverCycles=N} (default 20)
 * sets the number of kills; every fourth kill lands between a PREPARE and its commit (the branch must then be in
 * doubt on the new leader), every fourth in the middle of the leader's snapshot (its truncation, held at a segment
 * force by {@link SlowSnapshotStorage}), the others at random moments. {@code -Drvm.seed} repeats a run.
 * Election timeouts: {@link Cluster#ELECTION_MIN} to {@link Cluster#ELECTION_MAX}.
 */
class FailoverKillTest {
    private static final long WAIT_MS = 90_000;

    @TempDir
    Path dir;

    private final Map<String, String> peers = new LinkedHashMap<>();
    private final Map<String, Process> procs = new LinkedHashMap<>();
    private final Map<String, Path> eventFiles = new LinkedHashMap<>();
    private final Map<String, Integer> runs = new LinkedHashMap<>();
    private final UUID group = UUID.randomUUID();

    /** JVM options of the children, such as a small snapshot threshold. */
    private final List<String> childOptions = new ArrayList<>();

    private void start(String id) throws IOException {
        int run = runs.merge(id, 1, Integer::sum);
        Path ev = dir.resolve("events-" + id + "-" + run + ".log");
        Files.createFile(ev);
        eventFiles.put(id, ev);
        StringBuilder p = new StringBuilder();
        peers.forEach((k, v) -> p.append(p.length() == 0 ? "" : ",").append(k).append('=').append(v));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xmx128m"));
        cmd.addAll(childOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ReplicaChild.class.getName(), id,
                p.toString(), group.toString(), dir.resolve(id).toString(), ev.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("out-" + id + "-" + run + ".log").toFile());
        procs.put(id, pb.start());
    }

    private List<String> lines(String id) throws IOException {
        String all = Files.readString(eventFiles.get(id), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String l : all.split("\n", -1)) {
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        if (!all.endsWith("\n") && !out.isEmpty()) {
            out.remove(out.size() - 1); // a line cut by the kill
        }
        return out;
    }

    /** The member (among {@code among}) whose events first satisfy {@code p}, waiting up to the limit. */
    private String awaitEvent(Set<String> among, Predicate<List<String>> p, String what) throws Exception {
        return awaitEvent(among, p, what, false);
    }

    private String awaitEvent(Set<String> among, Predicate<List<String>> p, String what, boolean fencedIsFine)
            throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < deadline) {
            for (String id : among) {
                List<String> l = lines(id);
                for (String line : l) {
                    if (line.startsWith("BAD") || (line.startsWith("FENCED") && !fencedIsFine)) {
                        throw new AssertionError("member " + id + ": " + line + "\n" + l);
                    }
                }
                if (p.test(l)) {
                    return id;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for " + what + "; output in " + dir);
    }

    private static String last(List<String> l, String prefix) {
        String found = null;
        for (String s : l) {
            if (s.startsWith(prefix)) {
                found = s;
            }
        }
        return found;
    }

    private static long lastAck(List<String> l) {
        String a = last(l, "ACK ");
        return a == null ? 0 : Long.parseLong(a.substring(4));
    }

    private void send(String id, String command) throws IOException {
        OutputStream o = procs.get(id).getOutputStream();
        o.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        o.flush();
    }

    /** How a cycle picks the moment of the kill. */
    private enum KillMoment {
        /** After a random number of transfers and a random pause. */
        RANDOM,
        /** While the leader's snapshot (its truncation) forces the segments. */
        DURING_SNAPSHOT,
        /** After a PREPARE was acknowledged and before its commit. */
        BETWEEN_PREPARE_AND_OUTCOME
    }

    @Test
    void killingTheLeaderLosesNoAcknowledgedCommitAndNoPreparedBranch() throws Exception {
        int cycles = Integer.getInteger("rvm.failoverCycles", 20);
        long seed = Long.getLong("rvm.seed", System.nanoTime());
        Random random = new Random(seed);
        childOptions.add("-Drvm.snapshotThreshold=64"); // followers snapshot and purge their Raft logs as they go
        for (int i = 0; i < 3; i++) {
            peers.put("m" + i, "127.0.0.1:" + Cluster.freePort());
        }
        long t0 = System.nanoTime();
        try {
            for (String id : peers.keySet()) {
                start(id);
            }
            long acked = 0;
            Set<String> preparedUnacked = new HashSet<>();
            String held = null;
            List<Long> failoverMs = new ArrayList<>();
            List<Long> firstCommitMs = new ArrayList<>();
            Map<KillMoment, Integer> kills = new LinkedHashMap<>();
            for (int cycle = 0; cycle <= cycles; cycle++) {
                String leader = awaitEvent(procs.keySet(), l -> last(l, "VERIFIED") != null, "a leader's VERIFIED");
                List<String> ev = lines(leader);
                long verified = Long.parseLong(last(ev, "VERIFIED").substring(9));
                Set<String> listed = new HashSet<>(List.of(last(ev, "INDOUBT").split(" ")));
                assertTrue(verified >= acked, "cycle " + cycle + ": new leader " + leader + " has counter " + verified
                        + " but " + acked + " was acknowledged (seed " + seed + ")");
                for (String p : preparedUnacked) {
                    long i = Long.parseLong(p.substring(1));
                    assertTrue(listed.contains(p) || verified >= i, "cycle " + cycle + ": prepared branch " + p
                            + " is neither in doubt on " + leader + " " + listed + " nor committed (counter " + verified + ")");
                }
                if (held != null) {
                    // prepared, acknowledged, never committed: it must be in doubt, not guessed either way
                    assertTrue(listed.contains(held), "cycle " + cycle + ": branch " + held + " was prepared and held"
                            + " until the kill, but the new leader " + leader + " lists in doubt only " + listed);
                }
                if (cycle == cycles) {
                    break;
                }
                KillMoment moment = cycle % 4 == 1 ? KillMoment.BETWEEN_PREPARE_AND_OUTCOME
                        : cycle % 4 == 3 ? KillMoment.DURING_SNAPSHOT : KillMoment.RANDOM;
                long target = verified + 20 + random.nextInt(300);
                String l0 = leader;
                awaitEvent(Set.of(leader), l -> lastAck(l) >= target, "acks on " + l0);
                held = null;
                if (moment == KillMoment.BETWEEN_PREPARE_AND_OUTCOME) {
                    send(leader, "HOLD");
                    awaitEvent(Set.of(leader), l -> last(l, "HELD") != null, "HELD on " + l0);
                    held = last(lines(leader), "HELD").substring(5);
                } else if (moment == KillMoment.DURING_SNAPSHOT) {
                    send(leader, "SNAPSHOT");
                    awaitEvent(Set.of(leader), l -> last(l, "SNAPSHOTTING") != null, "SNAPSHOTTING on " + l0);
                    Thread.sleep(random.nextInt(500)); // the force waits 1.5 s
                } else {
                    Thread.sleep(random.nextInt(50));
                }
                long killedAt = System.nanoTime();
                procs.get(leader).destroyForcibly().waitFor();
                kills.merge(moment, 1, Integer::sum);
                ev = lines(leader);
                if (moment == KillMoment.DURING_SNAPSHOT) {
                    assertTrue(last(ev, "SNAPSHOT_DONE") == null, "cycle " + cycle + ": the snapshot ended before the kill");
                }
                acked = Math.max(acked, lastAck(ev));
                preparedUnacked.clear();
                for (String s : ev) {
                    if (s.startsWith("PREPARED ")) {
                        String b = s.substring(9);
                        if (!ev.contains("ACK " + b.substring(1))) {
                            preparedUnacked.add(b);
                        }
                    }
                }
                Set<String> others = new HashSet<>(procs.keySet());
                others.remove(leader);
                String next = awaitEvent(others, l -> last(l, "VERIFIED") != null, "a new leader");
                failoverMs.add((System.nanoTime() - killedAt) / 1_000_000);
                long v = Long.parseLong(last(lines(next), "VERIFIED").substring(9));
                awaitEvent(Set.of(next), l -> lastAck(l) > v, "the first commit on " + next);
                firstCommitMs.add((System.nanoTime() - killedAt) / 1_000_000);
                System.out.println("cycle " + cycle + " (" + moment + "): killed " + leader + " after ack " + acked
                        + " (prepared, not acked: " + preparedUnacked + "); " + next + " verified its store "
                        + failoverMs.get(failoverMs.size() - 1) + " ms after the kill, first commit after "
                        + firstCommitMs.get(firstCommitMs.size() - 1) + " ms");
                start(leader); // rejoins as a follower
                for (String o : others) {
                    if (!o.equals(next)) {
                        // only one leader per cycle: the other member's old events are from earlier runs
                        assertTrue(last(lines(o), "VERIFIED") == null, "two leaders: " + o + " and " + next);
                    }
                }
            }
            System.out.println("kills: " + kills + "; seed " + seed);
            System.out.println("failover times (kill to new leader verified), ms: " + failoverMs);
            System.out.println("kill to first commit on the new leader, ms: " + firstCommitMs + "; sorted "
                    + firstCommitMs.stream().sorted().toList());
            assertTrue(cycles < 4 || (kills.getOrDefault(KillMoment.DURING_SNAPSHOT, 0) > 0
                    && kills.getOrDefault(KillMoment.BETWEEN_PREPARE_AND_OUTCOME, 0) > 0), "kills: " + kills);
            settleAndCompare();
            System.out.println(cycles + " cycles in " + (System.nanoTime() - t0) / 1_000_000_000 + " s");
        } finally {
            for (Process p : procs.values()) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    /** The leader stops and truncates, the followers catch up and checkpoint; every segment file must be identical. */
    private void settleAndCompare() throws Exception {
        {
            String leader = awaitEvent(procs.keySet(), l -> last(l, "VERIFIED") != null, "the leader");
            send(leader, "QUIESCE");
            awaitEvent(Set.of(leader), l -> last(l, "QUIESCED") != null, "QUIESCED");
            String index = last(lines(leader), "QUIESCED").substring(9);
            for (String id : procs.keySet()) {
                if (!id.equals(leader)) {
                    send(id, "CHECKPOINT " + index);
                    awaitEvent(Set.of(id), l -> last(l, "CHECKPOINTED") != null, "CHECKPOINTED on " + id);
                }
            }
            byte[] seg = Files.readAllBytes(dir.resolve(leader).resolve("store/segments/data.seg"));
            for (String id : procs.keySet()) {
                assertArrayEquals(seg, Files.readAllBytes(dir.resolve(id).resolve("store/segments/data.seg")),
                        "segment of " + id + " differs from the leader " + leader + "'s");
            }
        }
    }

    private static void signal(Process p, String sig) throws Exception {
        int rc = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start().waitFor();
        assertTrue(rc == 0, "kill -" + sig + " failed");
    }

    /**
     * The leader is frozen (SIGSTOP) under load until another member has taken over, then thawed (SIGCONT): it must
     * fence itself — its work fails with NOT_LEADER (or NO_QUORUM for the batch it had in flight) — and every transfer
     * it acknowledged, before or after the freeze, is in the new leader's store.
     */
    @Test
    void aFrozenLeaderDeposedMeanwhileFencesItselfAndAcknowledgesNothingTheNewLeaderLacks() throws Exception {
        for (int i = 0; i < 3; i++) {
            peers.put("m" + i, "127.0.0.1:" + Cluster.freePort());
        }
        try {
            for (String id : peers.keySet()) {
                start(id);
            }
            String old = awaitEvent(procs.keySet(), l -> last(l, "VERIFIED") != null, "a leader");
            long v = Long.parseLong(last(lines(old), "VERIFIED").substring(9));
            awaitEvent(Set.of(old), l -> lastAck(l) >= v + 50, "acks");
            signal(procs.get(old), "STOP");
            Set<String> others = new HashSet<>(procs.keySet());
            others.remove(old);
            String next = awaitEvent(others, l -> last(l, "VERIFIED") != null, "a new leader");
            long c = Long.parseLong(last(lines(next), "VERIFIED").substring(9));
            signal(procs.get(old), "CONT");
            awaitEvent(Set.of(old), l -> last(l, "FENCED") != null || last(l, "STOPPED") != null, "the old leader fenced",
                    true);
            List<String> ev = lines(old);
            String fenced = last(ev, "FENCED");
            System.out.println("old leader " + old + ": " + fenced + "; last ack " + lastAck(ev) + "; new leader " + next
                    + " verified " + c);
            assertTrue(fenced.startsWith("FENCED NOT_LEADER") || fenced.startsWith("FENCED NO_QUORUM"), fenced);
            assertTrue(lastAck(ev) <= c, "the old leader acknowledged " + lastAck(ev) + " but the new leader has " + c);
            procs.get(old).waitFor();
            start(old);
            settleAndCompare();
        } finally {
            for (Process p : procs.values()) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * Followers snapshot (checkpoint their replica store) every 64 entries; a follower SIGKILLed under load in the
     * middle of a checkpoint and restarted later recovers its directory from its last checkpoint, catches up from the
     * leader's log (Ratis replays what follows its snapshot, batches it already holds are skipped) and ends
     * byte-identical.
     */
    @Test
    void aFollowerKilledAndRestartedCatchesUpAcrossSnapshots() throws Exception {
        childOptions.add("-Drvm.snapshotThreshold=64");
        // While the follower is down the leader's majority is the other follower alone: with the usual 1-2 s, one
        // stall of that follower's JVM or disk for 2 s on a loaded machine deposes the leader (Raft's rule, seen once
        // in CI), which is not what this test is about; 5-10 s keeps the same leader through such a stall.
        childOptions.add("-Drvm.electionTimeoutMin=5000");
        childOptions.add("-Drvm.electionTimeoutMax=10000");
        for (int i = 0; i < 3; i++) {
            peers.put("m" + i, "127.0.0.1:" + Cluster.freePort());
        }
        try {
            for (String id : peers.keySet()) {
                start(id);
            }
            String leader = awaitEvent(procs.keySet(), l -> last(l, "VERIFIED") != null, "a leader");
            long v = Long.parseLong(last(lines(leader), "VERIFIED").substring(9));
            awaitEvent(Set.of(leader), l -> lastAck(l) >= v + 150, "acks");
            String follower = procs.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            send(follower, "SNAPSHOT"); // killed in the middle of its checkpoint, at a segment force
            awaitEvent(Set.of(follower), l -> last(l, "SNAPSHOTTING") != null, "SNAPSHOTTING on " + follower);
            procs.get(follower).destroyForcibly().waitFor();
            assertTrue(last(lines(follower), "SNAPSHOT_DONE") == null, "the checkpoint ended before the kill");
            long a = lastAck(lines(leader));
            awaitEvent(Set.of(leader), l -> lastAck(l) >= a + 300, "acks with a follower down");
            start(follower);
            long b = lastAck(lines(leader));
            awaitEvent(Set.of(leader), l -> lastAck(l) >= b + 100, "acks after the restart");
            settleAndCompare();
            for (String id : procs.keySet()) {
                if (!id.equals(leader)) {
                    try (var files = Files.walk(dir.resolve(id).resolve("raft"))) {
                        assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("snapshot.")),
                                "follower " + id + " took no snapshot");
                    }
                }
            }
        } finally {
            for (Process p : procs.values()) {
                p.destroyForcibly().waitFor();
            }
        }
    }
}
