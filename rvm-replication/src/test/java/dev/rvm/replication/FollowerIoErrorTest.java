package dev.rvm.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.CommitMode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.Transaction;
import dev.rvm.core.io.FileStorage;
import dev.rvm.core.io.ForwardingStorage;
import dev.rvm.core.io.ForwardingStorageFile;
import dev.rvm.core.io.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower's disk fails while it applies committed batches (a write tears halfway and throws): the follower stops
 * applying and fences itself, the leader and the other follower go on committing (still a majority), and the failed
 * member, restarted on a healthy disk, recovers its store past the torn write and catches up to segments
 * byte-identical to the leader's. Three real Ratis servers in this JVM.
 */
class FollowerIoErrorTest {
    private static final int SEG = 64 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** Fails every write to a file under {@code failUnder} once armed: half the bytes reach the file, then an error. */
    private static final class FailingStorage extends ForwardingStorage {
        volatile Path failUnder;
        final AtomicInteger failed = new AtomicInteger();

        FailingStorage() {
            super(FileStorage.instance());
        }

        @Override
        public StorageFile create(Path path, long size) throws IOException {
            return failing(path, super.create(path, size));
        }

        @Override
        public StorageFile open(Path path) throws IOException {
            return failing(path, super.open(path));
        }

        private StorageFile failing(Path path, StorageFile file) {
            return new ForwardingStorageFile(file) {
                @Override
                public void write(long position, ByteBuffer src) throws IOException {
                    Path under = failUnder;
                    if (under != null && path.startsWith(under)) {
                        failed.incrementAndGet();
                        ByteBuffer half = src.duplicate();
                        half.limit(half.position() + half.remaining() / 2);
                        super.write(position, half);
                        throw new IOException("injected I/O error writing " + path.getFileName() + " at " + position);
                    }
                    super.write(position, src);
                }
            };
        }
    }

    private static void write(RecoverableMemory rvm, Region r, byte[] expected, Random random) {
        Transaction t = rvm.begin(RestoreMode.NO_RESTORE);
        int at = random.nextInt(SEG - 100);
        byte[] v = new byte[1 + random.nextInt(96)];
        random.nextBytes(v);
        t.setRange(r, at, v.length);
        r.put(at, v, 0, v.length);
        System.arraycopy(v, 0, expected, at, v.length);
        t.commit(CommitMode.FLUSH);
    }

    @Test
    void aFollowerWhoseDiskFailsStopsTheGroupCommitsOnAndOnceRestartedItCatchesUpByteForByte() throws Exception {
        FailingStorage storage = new FailingStorage();
        try (Cluster c = new Cluster(dir, 3, 1 << 20, b -> b.storage(storage))) {
            c.startAll();
            Replica leader = c.awaitLeader(WAIT);
            RecoverableMemory rvm = leader.active().orElseThrow();
            rvm.createSegment("data", SEG);
            Region r = rvm.map("data", 0, SEG);
            byte[] expected = new byte[SEG];
            Random random = new Random(11);
            for (int i = 0; i < 200; i++) {
                write(rvm, r, expected, random);
            }
            c.awaitApplied(leader.status().appliedIndex(), WAIT);
            Replica victim = c.members.values().stream().filter(m -> m != leader).findFirst().orElseThrow();
            storage.failUnder = dir.resolve(victim.memberId()).resolve("store");

            for (int i = 0; i < 300; i++) { // every one acknowledged: the leader and the other follower are a majority
                write(rvm, r, expected, random);
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (victim.state() != Replica.State.FENCED && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(Replica.State.FENCED, victim.state(), "the failed follower stops: " + victim.status());
            assertTrue(storage.failed.get() > 0, "the fault was hit");
            assertEquals(Replica.State.ACTIVE, leader.state());
            for (int i = 0; i < 100; i++) {
                write(rvm, r, expected, random);
            }

            // The operator restarts the failed member on a healthy disk: it recovers past the torn write and catches up.
            victim.close();
            storage.failUnder = null;
            Replica restarted = c.start(victim.memberId());
            rvm.truncate();
            c.awaitApplied(leader.status().appliedIndex(), WAIT);
            assertEquals(Replica.State.FOLLOWER, restarted.state());
            assertTrue(restarted.checkpoint());
            byte[] seg = Files.readAllBytes(dir.resolve(leader.memberId()).resolve("store/segments/data.seg"));
            assertArrayEquals(expected, Arrays.copyOfRange(seg, 4096, 4096 + SEG));
            assertArrayEquals(seg, Files.readAllBytes(dir.resolve(restarted.memberId()).resolve("store/segments/data.seg")),
                    "the restarted member's segment");
        }
    }
}
