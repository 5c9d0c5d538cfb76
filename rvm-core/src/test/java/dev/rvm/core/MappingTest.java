package dev.rvm.core;

import static dev.rvm.core.RvmAssertions.assertRvm;
import static dev.rvm.core.RvmAssertions.putLong;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code map} and {@code unmap}: bounds, overlaps, regions in use, what a new mapping sees, and large regions. */
class MappingTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    private RecoverableMemory open() {
        return RecoverableMemory.open(RvmAssertions.small(dir).build());
    }

    @Test
    void mapOutsideTheSegmentIsIllegalArgument() {
        try (RecoverableMemory rvm = open()) {
            rvm.createSegment("s", 4096);
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> rvm.map("s", 0, 4097));
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> rvm.map("s", 4096, 1));
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> rvm.map("s", 4000, 100));
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> rvm.map("s", -1, 8));
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> rvm.map("s", 0, 0));
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> rvm.map("s", 0, -8));
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> rvm.map("s", 8, Long.MAX_VALUE));
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> rvm.map("s", Long.MAX_VALUE, 8));
            assertTrue(rvm.regions().isEmpty());
            Region whole = rvm.map("s", 0, 4096);
            assertEquals(4096, whole.length());
            assertEquals(0, whole.offset());
            assertEquals("s", whole.segment());
        }
    }

    @Test
    void overlappingOrRepeatedMappingIsRefusedAndAdjacentIsFine() {
        try (RecoverableMemory rvm = open()) {
            rvm.createSegment("s", 4096);
            rvm.createSegment("t", 4096);
            Region a = rvm.map("s", 1000, 1000);
            assertRvm(ErrorCode.OVERLAPPING_MAPPING, () -> rvm.map("s", 1000, 1000));
            assertRvm(ErrorCode.OVERLAPPING_MAPPING, () -> rvm.map("s", 500, 501));
            assertRvm(ErrorCode.OVERLAPPING_MAPPING, () -> rvm.map("s", 1999, 10));
            assertRvm(ErrorCode.OVERLAPPING_MAPPING, () -> rvm.map("s", 1200, 10));
            assertRvm(ErrorCode.OVERLAPPING_MAPPING, () -> rvm.map("s", 0, 4096));
            Region before = rvm.map("s", 0, 1000);
            Region after = rvm.map("s", 2000, 2096);
            Region other = rvm.map("t", 1000, 1000); // same offsets, another segment
            assertEquals(4, rvm.regions().size());
            assertTrue(rvm.regions().containsAll(List.of(a, before, after, other)));
            rvm.unmap(a);
            Region again = rvm.map("s", 1000, 1000); // the space is free once unmapped
            assertTrue(again.isMapped());
        }
    }

    @Test
    void unmapWhileTransactionHasDeclaredRangesIsRegionInUseUntilCommitOrAbort() {
        try (RecoverableMemory rvm = open()) {
            rvm.createSegment("s", 4096);
            Region r = rvm.map("s", 0, 4096);
            Transaction t = rvm.begin(RestoreMode.RESTORE);
            t.setRange(r, 0, 8);
            assertRvm(ErrorCode.REGION_IN_USE, () -> rvm.unmap(r));
            assertTrue(r.isMapped());
            t.commit(CommitMode.FLUSH);
            rvm.unmap(r);
            assertFalse(r.isMapped());
            assertFalse(rvm.regions().contains(r));

            Region r2 = rvm.map("s", 0, 4096);
            Transaction t2 = rvm.begin(RestoreMode.RESTORE);
            t2.setRange(r2, 100, 8);
            assertRvm(ErrorCode.REGION_IN_USE, () -> rvm.unmap(r2));
            t2.abort();
            rvm.unmap(r2);
        }
    }

    @Test
    void unmapInUseFromAnotherThreadIsRegionInUse() throws Exception {
        try (RecoverableMemory rvm = open()) {
            rvm.createSegment("s", 4096);
            Region r = rvm.map("s", 0, 4096);
            Transaction t = rvm.begin(RestoreMode.RESTORE);
            t.setRange(r, 0, 8);
            RvmException[] seen = new RvmException[1];
            Thread other = new Thread(() -> {
                try {
                    rvm.unmap(r);
                } catch (RvmException e) {
                    seen[0] = e;
                }
            });
            other.start();
            other.join();
            assertEquals(ErrorCode.REGION_IN_USE, seen[0] == null ? null : seen[0].code());
            t.commit(CommitMode.NO_FLUSH);
        }
    }

    @Test
    void unmappedRegionRefusesAccessAndSecondUnmap() {
        try (RecoverableMemory rvm = open()) {
            rvm.createSegment("s", 4096);
            Region r = rvm.map("s", 0, 4096);
            rvm.unmap(r);
            assertRvm(ErrorCode.REGION_UNMAPPED, () -> r.getLong(0));
            assertRvm(ErrorCode.REGION_UNMAPPED, () -> rvm.unmap(r));
            Transaction t = rvm.begin(RestoreMode.RESTORE);
            assertRvm(ErrorCode.REGION_UNMAPPED, () -> t.setRange(r, 0, 8));
            t.abort();
        }
    }

    @Test
    void regionOfAnotherStoreIsIllegalArgument() {
        try (RecoverableMemory a = open();
                RecoverableMemory b = RecoverableMemory.open(RvmAssertions.small(dir.resolve("b")).build())) {
            a.createSegment("s", 64);
            b.createSegment("s", 64);
            Region ra = a.map("s", 0, 64);
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> b.unmap(ra));
            Transaction t = b.begin(RestoreMode.RESTORE);
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> t.setRange(ra, 0, 8));
            t.abort();
        }
    }

    @Test
    void mapAfterUnmapSeesFlushAndNoFlushCommitsNotYetTruncated() {
        try (RecoverableMemory rvm = open()) {
            rvm.createSegment("s", 8192);
            Region r = rvm.map("s", 0, 8192);
            putLong(rvm, r, 1000, 11, CommitMode.FLUSH);
            putLong(rvm, r, 2000, 22, CommitMode.NO_FLUSH);
            Transaction t = rvm.begin(RestoreMode.NO_RESTORE);
            t.setRange(r, 4000, 8);
            r.putLong(4000, 33);
            t.commit(CommitMode.NO_FLUSH);
            assertEquals(0, rvm.statistics().truncations(), "precondition: nothing truncated yet");
            rvm.unmap(r);
            Region again = rvm.map("s", 0, 8192);
            assertEquals(11, again.getLong(1000));
            assertEquals(22, again.getLong(2000));
            assertEquals(33, again.getLong(4000));
            rvm.unmap(again);
            Region part = rvm.map("s", 1500, 1000); // a different window of the same bytes
            assertEquals(22, part.getLong(500));
        }
    }

    @Test
    void mapOfAnotherWindowSeesCommitsMadeThroughANeighbouringRegion() {
        try (RecoverableMemory rvm = open()) {
            rvm.createSegment("s", 8192);
            Region left = rvm.map("s", 0, 4096);
            putLong(rvm, left, 4088, 7, CommitMode.NO_FLUSH);
            rvm.unmap(left);
            Region right = rvm.map("s", 4096, 4096);
            putLong(rvm, right, 0, 8, CommitMode.NO_FLUSH);
            rvm.unmap(right);
            Region straddle = rvm.map("s", 4000, 200);
            assertEquals(7, straddle.getLong(88));
            assertEquals(8, straddle.getLong(96));
        }
    }

    @Test
    void longSegmentOffsetsBeyondFourGibRoundTripThroughLogAndTruncation() {
        long size = 5 * GIB;
        try (RecoverableMemory rvm = open()) {
            rvm.createSegment("big", size);
            assertEquals(size, rvm.segmentSize("big"));
            Region near2 = rvm.map("big", (1L << 31) - 4096, 8192);
            Region near4 = rvm.map("big", (1L << 32) - 4096, 8192);
            Region end = rvm.map("big", size - 4096, 4096);
            putLong(rvm, near2, 4092, 0x0102030405060708L, CommitMode.FLUSH); // straddles 2^31 in the segment
            putLong(rvm, near4, 4088, -2, CommitMode.NO_FLUSH);
            putLong(rvm, end, 4088, Long.MIN_VALUE, CommitMode.FLUSH);
        }
        try (RecoverableMemory rvm = open()) {
            Region r = rvm.map("big", (1L << 31) - 8, 16);
            assertEquals(0x0102030405060708L, r.getLong(4));
            rvm.truncate();
            Region r4 = rvm.map("big", (1L << 32) - 16, 32);
            assertEquals(-2, r4.getLong(8));
            Region e = rvm.map("big", size - 8, 8);
            assertEquals(Long.MIN_VALUE, e.getLong(0));
        }
    }

    @Test
    void regionLargerThanTwoGibMapsAndWorksAcrossChunkBoundaries() {
        // rvm-core's pom gives the test JVM -Xmx4g: fail rather than skip if a run lacks the memory.
        assertTrue(Runtime.getRuntime().maxMemory() >= 3 * GIB, "needs a max heap of 3 GiB (surefire argLine in"
                + " rvm-core/pom.xml); have " + Runtime.getRuntime().maxMemory());
        long size = 2 * GIB + 512L * 1024 * 1024;
        byte[] pattern = new byte[64];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i + 1);
        }
        try (RecoverableMemory rvm = open()) {
            rvm.createSegment("big", size);
            Region r = rvm.map("big", 0, size);
            assertEquals(size, r.length());
            try (Transaction t = rvm.begin(RestoreMode.RESTORE)) {
                t.setRange(r, GIB - 4, 8);
                t.setRange(r, 2 * GIB - 32, 64);
                t.setRange(r, size - 8, 8);
                r.putLong(GIB - 4, 0x1122334455667788L); // half in the first chunk, half in the second
                r.put(2 * GIB - 32, pattern, 0, 64); // across 2^31
                r.putInt(2 * GIB - 2, 0xCAFEBABE); // an int across 2^31, inside the declared range
                r.putLong(size - 8, 99);
                assertRvm(ErrorCode.RANGE_NOT_DECLARED, () -> r.putLong(GIB + 4, 1));
                t.commit(CommitMode.FLUSH);
            }
            assertEquals(0x1122334455667788L, r.getLong(GIB - 4));
            assertEquals(0x55667788, r.getInt(GIB - 4));
            assertEquals(0x11223344, r.getInt(GIB));
            assertEquals(0xCAFEBABE, r.getInt(2 * GIB - 2));
            assertEquals((byte) 0xBE, r.getByte(2 * GIB - 2));
            assertEquals((byte) 0xCA, r.getByte(2 * GIB + 1));
            assertEquals(99, r.getLong(size - 8));
            byte[] got = new byte[64];
            r.get(2 * GIB - 32, got, 0, 64);
            byte[] want = pattern.clone();
            want[30] = (byte) 0xBE;
            want[31] = (byte) 0xBA;
            want[32] = (byte) 0xFE;
            want[33] = (byte) 0xCA;
            assertArrayEquals(want, got);
            rvm.unmap(r);
        }
        try (RecoverableMemory rvm = open()) {
            Region r = rvm.map("big", GIB - 8, 16);
            assertEquals(0x1122334455667788L, r.getLong(4));
            Region r2 = rvm.map("big", 2 * GIB - 32, 64);
            assertEquals(0xCAFEBABE, r2.getInt(30));
            assertEquals(1, r2.getByte(0));
        }
    }
}
