package dev.rvm.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.CommitMode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member whose directories (store and Raft log) are lost, while the leader has purged the log it would need to
 * rebuild it entry by entry. The leader forgets the member ({@link Replica#removeMember}) and takes it back
 * ({@link Replica#addMember}): started empty, Ratis installs the leader's snapshot (an index only) and the member stops
 * at the first batch with {@code LOG_CORRUPT} and a message that says to rebuild it from a copy; started on a copy of
 * another follower's store ({@link Replica#copyStoreTo}) it catches up, ends byte-identical with the others and can
 * lead with every transfer.
 * Three real Ratis servers in this JVM; members snapshot every 32 entries (the leader too) and Raft log segments are
 * 64 KiB, so the log is purged.
 */
class WipedMemberTest {
    private static final int SLOTS = 256;
    private static final long SEG = 8 + SLOTS * 8L;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static long transfers(RecoverableMemory rvm, Region r, long from, int n) {
        long i = from;
        for (int k = 0; k < n; k++) {
            i++;
            Transaction t = rvm.begin(RestoreMode.NO_RESTORE);
            t.setRange(r, 0, 8);
            t.setRange(r, 8 + (i % SLOTS) * 8, 8);
            r.putLong(0, i);
            r.putLong(8 + (i % SLOTS) * 8, i);
            t.commit(CommitMode.FLUSH);
        }
        return i;
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(f);
            }
        }
    }

    private static boolean purged(Path raftDir) throws IOException {
        try (Stream<Path> s = Files.walk(raftDir)) {
            // Ratis names a closed segment log_<first>-<last>; once purged, none starts at index 0.
            return s.noneMatch(f -> f.getFileName().toString().startsWith("log_0-"));
        }
    }

    private static void awaitState(Replica m, Replica.State want) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (m.state() != want && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(want, m.state(), m.memberId() + ": " + m.status());
    }

    @Test
    void aWipedMemberStopsAtTheGapAndCatchesUpFromACopyOfAnotherMembersStore() throws Exception {
        try (Cluster c = new Cluster(dir, 3, 1 << 20, b -> b.snapshotThreshold(32).raftSegmentSize(64 * 1024))) {
            c.startAll();
            Replica leader = c.awaitLeader(WAIT);
            RecoverableMemory rvm2 = leader.active().orElseThrow();
            rvm2.createSegment("data", SEG);
            Region r2 = rvm2.map("data", 0, SEG);
            long i = transfers(rvm2, r2, 0, 2500);
            // The leader snapshots too (up to what its store has forced), so its Raft log is purged.
            assertTrue(purged(dir.resolve(leader.memberId()).resolve("raft")), "the leader's Raft log was not purged");
            String lost = c.members.keySet().stream().filter(id -> !id.equals(leader.memberId())).findFirst()
                    .orElseThrow();
            Replica source = c.members.values().stream().filter(m -> m != leader && !m.memberId().equals(lost))
                    .findFirst().orElseThrow();
            c.awaitApplied(leader.status().appliedIndex(), WAIT);

            // The third member loses everything. The leader must forget how far it got (Raft assumes a member keeps
            // its log): out of the configuration, started empty, back in.
            c.stop(lost);
            delete(dir.resolve(lost));
            leader.removeMember(lost, WAIT);
            Replica empty = c.start(lost);
            try {
                leader.addMember(lost, Duration.ofSeconds(20));
            } catch (IOException refused) {
                // the member may stop before it has caught up: what matters is that it stops
            }
            awaitState(empty, Replica.State.FENCED);
            RvmException why = assertThrows(RvmException.class, () -> empty.awaitActive(Duration.ZERO));
            System.out.println("wiped member started empty: " + why.getMessage());
            assertTrue(why.getMessage().contains("LOG_CORRUPT") && why.getMessage().contains("copyStoreTo"),
                    why.getMessage());
            empty.close();
            delete(dir.resolve(lost));

            // Rebuilt from a copy of the other follower's store.
            leader.removeMember(lost, WAIT);
            c.awaitApplied(leader.status().appliedIndex(), WAIT);
            source.copyStoreTo(dir.resolve(lost).resolve("store"));
            Replica rebuilt = c.start(lost);
            leader.addMember(lost, WAIT);
            i = transfers(rvm2, r2, i, 300);
            rvm2.truncate();
            c.awaitApplied(leader.status().appliedIndex(), WAIT);
            assertEquals(Replica.State.FOLLOWER, rebuilt.state(), rebuilt.status().toString());
            for (Replica m : c.members.values()) {
                if (m != leader) {
                    assertTrue(m.checkpoint(), m.memberId() + " is " + m.state());
                }
            }
            assertEquals(i, r2.getLong(0));
            byte[] seg = Files.readAllBytes(dir.resolve(leader.memberId()).resolve("store/segments/data.seg"));
            for (String id : c.members.keySet()) {
                assertArrayEquals(seg, Files.readAllBytes(dir.resolve(id).resolve("store/segments/data.seg")),
                        "segment of member " + id);
            }
            // And it can lead, with every transfer.
            leader.transferLeadership(lost, Duration.ofSeconds(30));
            Region r3 = rebuilt.awaitActive(WAIT).map("data", 0, SEG);
            assertEquals(i, r3.getLong(0));
            for (long k = i - SLOTS + 1; k <= i; k++) {
                assertEquals(k, r3.getLong(8 + (k % SLOTS) * 8), "slot of transfer " + k);
            }
        }
    }
}
