package dev.rvm.core.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.PrepareResult;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Transaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replication seam without a replication engine: a store whose replicator applies each batch at once to two
 * {@link ReplicaStore}s. Proves that replicas fed the leader's batches end with byte-identical segments, carry the
 * branches in doubt, open as the active store with every commit, and that a replicator's refusal stops the store with
 * its own error code.
 */
class ReplicaStoreTest {
    private static final long STORE_ID = 0x5EED_0000_0000_0027L;
    private static final long LOG_SIZE = 1 << 20;
    private static final int SEG = 256 * 1024;

    @TempDir
    Path dir;

    /** Applies each batch to every replica before returning, as a group would after a majority has it. */
    private static final class ApplyingReplicator implements LogReplicator {
        final List<ReplicaStore> replicas;
        volatile ErrorCode refuse;
        long batches;

        ApplyingReplicator(List<ReplicaStore> replicas) {
            this.replicas = replicas;
        }

        long lastDurable;

        @Override
        public void replicate(long startLsn, byte[] records, int off, int len, long localDurable) throws IOException {
            // the local log is forced at most up to this batch, and never goes back
            assertTrue(localDurable <= startLsn && localDurable >= lastDurable, localDurable + " at " + startLsn);
            lastDurable = localDurable;
            if (refuse != null) {
                throw new ReplicationException(refuse, "refused by the test", null);
            }
            batches++;
            for (ReplicaStore r : replicas) {
                assertTrue(r.apply(startLsn, records, off, len));
                assertEquals(startLsn + len, r.appliedLsn());
            }
        }

        @Override
        public void segmentCreated(String name, long size) throws IOException {
            for (ReplicaStore r : replicas) {
                r.createSegment(name, size);
            }
        }

        @Override
        public void checkActive() {
            if (refuse == ErrorCode.NOT_LEADER) {
                throw new RvmException(ErrorCode.NOT_LEADER, "fenced by the test");
            }
        }
    }

    private RvmOptions options(Path d, LogReplicator r) {
        return RvmOptions.builder(d).logSize(LOG_SIZE).createIfMissing(false).replicator(r).build();
    }

    @Test
    void replicasFedTheLeadersBatchesHoldIdenticalSegmentsAndTheBranchesInDoubt() throws IOException {
        Path leaderDir = dir.resolve("a");
        ReplicaStore.open(leaderDir, STORE_ID, LOG_SIZE).close(); // every member starts from the same empty store
        List<ReplicaStore> replicas = new ArrayList<>();
        replicas.add(ReplicaStore.open(dir.resolve("b"), STORE_ID, LOG_SIZE));
        replicas.add(ReplicaStore.open(dir.resolve("c"), STORE_ID, LOG_SIZE));
        ApplyingReplicator rep = new ApplyingReplicator(replicas);
        byte[] expected = new byte[SEG];
        BranchId open = BranchId.of("left-in-doubt");
        try (RecoverableMemory rvm = RecoverableMemory.open(options(leaderDir, rep))) {
            rvm.createSegment("data", SEG);
            Region r = rvm.map("data", 0, SEG);
            Random random = new Random(27);
            // Enough traffic to wrap the 1 MiB log several times: truncation on the leader, checkpoints on replicas.
            for (int i = 0; i < 6000; i++) {
                Transaction t = rvm.begin(i % 100 == 7 ? RestoreMode.RESTORE : RestoreMode.NO_RESTORE);
                int at = random.nextInt(SEG - 512);
                byte[] v = new byte[1 + random.nextInt(500)];
                random.nextBytes(v);
                t.setRange(r, at, v.length);
                r.put(at, v, 0, v.length);
                System.arraycopy(v, 0, expected, at, v.length);
                if (i % 100 == 7) {
                    assertEquals(PrepareResult.PREPARED, t.prepare(BranchId.of("b" + i)));
                    rvm.commitPrepared(BranchId.of("b" + i));
                } else {
                    t.commit(i % 3 == 0 ? CommitMode.NO_FLUSH : CommitMode.FLUSH);
                }
            }
            Transaction t = rvm.begin(RestoreMode.RESTORE);
            t.setRange(r, 0, 8);
            r.putLong(0, 42);
            t.prepare(open);
            rvm.truncate();
            for (ReplicaStore rs : replicas) {
                rs.checkpoint();
                assertEquals(List.of(open), rs.inDoubt());
            }
            assertTrue(rep.batches > 100, "batches: " + rep.batches);
        }
        byte[] seg = Files.readAllBytes(leaderDir.resolve("segments/data.seg"));
        assertArrayEquals(expected, Arrays.copyOfRange(seg, 4096, 4096 + SEG));
        for (ReplicaStore rs : replicas) {
            rs.close();
        }
        for (String m : List.of("b", "c")) {
            assertArrayEquals(seg, Files.readAllBytes(dir.resolve(m).resolve("segments/data.seg")), "replica " + m);
        }
        // A replica opens as the active store with everything, and the branch still in doubt and locked.
        try (RecoverableMemory promoted = RecoverableMemory.open(options(dir.resolve("b"), null))) {
            assertEquals(List.of(open), promoted.inDoubt());
            Region r = promoted.map("data", 0, SEG);
            byte[] got = new byte[SEG];
            r.get(0, got, 0, SEG);
            assertArrayEquals(expected, got);
            promoted.commitPrepared(open);
            assertEquals(42, r.getLong(0));
        }
    }

    @Test
    void aReplicaReopenedSkipsBatchesItHoldsAndRefusesAGap() throws IOException {
        Path leaderDir = dir.resolve("a");
        ReplicaStore.open(leaderDir, STORE_ID, LOG_SIZE).close();
        List<byte[]> batches = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        LogReplicator recording = new LogReplicator() {
            @Override
            public void replicate(long startLsn, byte[] records, int off, int len, long localDurable) {
                starts.add(startLsn);
                batches.add(Arrays.copyOfRange(records, off, off + len));
            }

            @Override
            public void segmentCreated(String name, long size) {
            }

            @Override
            public void checkActive() {
            }
        };
        try (RecoverableMemory rvm = RecoverableMemory.open(options(leaderDir, recording))) {
            rvm.createSegment("data", 4096);
            Region r = rvm.map("data", 0, 4096);
            for (int i = 0; i < 10; i++) {
                Transaction t = rvm.begin(RestoreMode.NO_RESTORE);
                t.setRange(r, i * 8, 8);
                r.putLong(i * 8, i + 1);
                t.commit(CommitMode.FLUSH);
            }
        }
        Path b = dir.resolve("b");
        try (ReplicaStore rs = ReplicaStore.open(b, STORE_ID, LOG_SIZE)) {
            rs.createSegment("data", 4096);
            for (int i = 0; i < 5; i++) {
                assertTrue(rs.apply(starts.get(i), batches.get(i), 0, batches.get(i).length));
            }
            RvmException gap = assertThrows(RvmException.class,
                    () -> rs.apply(starts.get(6), batches.get(6), 0, batches.get(6).length));
            assertEquals(ErrorCode.LOG_CORRUPT, gap.code());
        }
        try (ReplicaStore rs = ReplicaStore.open(b, STORE_ID, LOG_SIZE)) {
            assertEquals(false, rs.createSegment("data", 4096));
            for (int i = 0; i < 10; i++) {
                assertEquals(i >= 5, rs.apply(starts.get(i), batches.get(i), 0, batches.get(i).length), "batch " + i);
            }
        }
        try (RecoverableMemory promoted = RecoverableMemory.open(options(b, null))) {
            Region r = promoted.map("data", 0, 4096);
            for (int i = 0; i < 10; i++) {
                assertEquals(i + 1, r.getLong(i * 8));
            }
        }
    }

    @Test
    void aRefusingReplicatorStopsTheStoreWithItsCodeAndNothingReachesTheLocalLog() throws IOException {
        Path leaderDir = dir.resolve("a");
        ReplicaStore.open(leaderDir, STORE_ID, LOG_SIZE).close();
        ApplyingReplicator rep = new ApplyingReplicator(List.of());
        RecoverableMemory rvm = RecoverableMemory.open(options(leaderDir, rep));
        rvm.createSegment("data", 4096);
        Region r = rvm.map("data", 0, 4096);
        Transaction t = rvm.begin(RestoreMode.NO_RESTORE);
        t.setRange(r, 0, 8);
        r.putLong(0, 7);
        t.commit(CommitMode.FLUSH);
        rep.refuse = ErrorCode.NO_QUORUM;
        Transaction t2 = rvm.begin(RestoreMode.NO_RESTORE);
        t2.setRange(r, 0, 8);
        r.putLong(0, 8);
        RvmException e = assertThrows(RvmException.class, () -> t2.commit(CommitMode.FLUSH));
        assertEquals(ErrorCode.NO_QUORUM, e.code());
        assertEquals(ErrorCode.NO_QUORUM, assertThrows(RvmException.class, () -> rvm.begin(RestoreMode.NO_RESTORE)).code());
        rep.refuse = ErrorCode.NOT_LEADER;
        assertEquals(ErrorCode.NOT_LEADER, assertThrows(RvmException.class, () -> rvm.begin(RestoreMode.NO_RESTORE)).code());
        rvm.close(); // the store stopped: nothing left to flush
        try (RecoverableMemory reopened = RecoverableMemory.open(options(leaderDir, null))) {
            assertEquals(7, reopened.map("data", 0, 4096).getLong(0), "the refused commit is not in the local log");
        }
    }
}
