package dev.rvm.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random workloads checked against a model: large lazy groups (hundreds of overlapping ranges, in one segment and
 * in two) must reach the log with the newest value of every byte, and abort must restore old values of every size.
 */
class LargeGroupAndUndoTest {
    private static final int SIZE = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void largeLazyGroupsOfOverlappingRangesReopenWithTheNewestValues() {
        lazyWorkload(1);
    }

    @Test
    void largeLazyGroupsOverTwoSegmentsReopenWithTheNewestValues() {
        lazyWorkload(2);
    }

    private void lazyWorkload(int segments) {
        RvmOptions o = RvmAssertions.small(dir).logSize(8 << 20).build();
        byte[][] model = new byte[segments][SIZE];
        Random rnd = new Random(segments * 7919L);
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            Region[] r = new Region[segments];
            for (int s = 0; s < segments; s++) {
                rvm.createSegment("s" + s, SIZE);
                r[s] = rvm.map("s" + s, 0, SIZE);
            }
            for (int tx = 0; tx < 3000; tx++) {
                Transaction t = rvm.begin(tx % 2 == 0 ? RestoreMode.RESTORE : RestoreMode.NO_RESTORE);
                int ranges = 1 + rnd.nextInt(3);
                for (int k = 0; k < ranges; k++) {
                    int s = rnd.nextInt(segments);
                    // Mostly a dense area (many overlaps), sometimes anywhere (a wide span of offsets).
                    int at = rnd.nextInt(4) == 0 ? rnd.nextInt(SIZE - 64) : rnd.nextInt(2048);
                    int len = 1 + rnd.nextInt(40);
                    t.setRange(r[s], at, len);
                    byte[] v = new byte[len];
                    rnd.nextBytes(v);
                    r[s].put(at, v, 0, len);
                    System.arraycopy(v, 0, model[s], at, len);
                }
                t.commit(CommitMode.NO_FLUSH);
                if (tx % 400 == 399) {
                    rvm.flush();
                }
            }
            rvm.flush();
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            for (int s = 0; s < segments; s++) {
                Region r = rvm.map("s" + s, 0, SIZE);
                byte[] got = new byte[SIZE];
                r.get(0, got, 0, SIZE);
                assertArrayEquals(model[s], got, "segment s" + s);
            }
        }
    }

    @Test
    void abortRestoresOldValuesOfSmallMiddleAndBigOverlappingRangesInTwoRegions() {
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(dir).build())) {
            rvm.createSegment("s", 2 * SIZE);
            Region[] r = {rvm.map("s", 0, SIZE), rvm.map("s", SIZE, SIZE)};
            Random rnd = new Random(42);
            for (Region region : r) {
                Transaction t = rvm.begin(RestoreMode.NO_RESTORE);
                t.setRange(region, 0, SIZE);
                byte[] v = new byte[SIZE];
                rnd.nextBytes(v);
                region.put(0, v, 0, SIZE);
                t.commit(CommitMode.FLUSH);
            }
            for (int round = 0; round < 20; round++) {
                byte[][] before = {snapshot(r[0]), snapshot(r[1])};
                Transaction t = rvm.begin(RestoreMode.RESTORE);
                for (int k = 0; k < 30; k++) {
                    Region region = r[rnd.nextInt(2)];
                    int kind = rnd.nextInt(3);
                    int len = kind == 0 ? 1 + rnd.nextInt(8) : kind == 1 ? 9 + rnd.nextInt(4000) : 4097 + rnd.nextInt(9000);
                    int at = rnd.nextInt(SIZE - len);
                    t.setRange(region, at, len);
                    byte[] junk = new byte[len];
                    rnd.nextBytes(junk);
                    region.put(at, junk, 0, len);
                }
                t.abort();
                assertArrayEquals(before[0], snapshot(r[0]), "first region, round " + round);
                assertArrayEquals(before[1], snapshot(r[1]), "second region, round " + round);
            }
        }
    }

    private static byte[] snapshot(Region r) {
        byte[] b = new byte[(int) r.length()];
        r.get(0, b, 0, b.length);
        return b;
    }
}
