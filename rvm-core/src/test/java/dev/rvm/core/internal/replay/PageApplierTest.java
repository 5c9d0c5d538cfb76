package dev.rvm.core.internal.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.internal.segment.SegmentFile;
import dev.rvm.core.testing.SimulatedStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageApplierTest {
    private static final Path SEG = Path.of("/store/segments/s.seg");
    private static final int PAGE = 4096;
    private static final int PAGES = 40; // 160 KiB: two full paced chunks and a partial one

    private final SimulatedStorage storage = new SimulatedStorage();

    private SegmentFile segment() throws IOException {
        storage.createDirectories(SEG.getParent());
        return SegmentFile.create(storage, SEG, "s", 1, 7L, 1 << 20);
    }

    private static void applyOneRangePerPage(PageApplier a) throws IOException {
        for (int p = 0; p < PAGES; p++) {
            byte[] v = {(byte) (p + 1), 2, 3, 4, 5, 6, 7, 8};
            a.apply(1, (long) p * 2 * PAGE + 100, v, 0, v.length); // every other page
        }
    }

    @Test
    void pacedWriteOutForcesEachChunkBeforeItPauses() throws IOException {
        SegmentFile seg = segment();
        List<long[]> calls = new ArrayList<>();
        List<Integer> unforcedAtCall = new ArrayList<>();
        PageApplier a = new PageApplier(id -> seg, (done, total) -> {
            calls.add(new long[] {done, total});
            unforcedAtCall.add(storage.unforcedWrites(SEG));
        });
        applyOneRangePerPage(a);
        a.finish();

        long total = (long) PAGES * PAGE;
        assertEquals(3, calls.size(), "one pause per 64 KiB chunk, the last one partial");
        assertEquals(List.of(0, 0, 0), unforcedAtCall, "every chunk is durable before the pacing may sleep");
        assertEquals(PageApplier.PACED_CHUNK, calls.get(0)[0]);
        assertEquals(2L * PageApplier.PACED_CHUNK, calls.get(1)[0]);
        assertEquals(total, calls.get(2)[0]);
        for (long[] c : calls) {
            assertEquals(total, c[1]);
        }
        assertDurableValues();
    }

    @Test
    void unpacedWriteOutForcesOnceAtTheEnd() throws IOException {
        SegmentFile seg = segment();
        PageApplier a = new PageApplier(id -> seg);
        applyOneRangePerPage(a);
        assertEquals(0, storage.unforcedWrites(SEG), "nothing is written before finish");
        a.finish();
        assertEquals(0, storage.unforcedWrites(SEG));
        assertDurableValues();
    }

    private void assertDurableValues() throws IOException {
        byte[] durable = storage.durableBytes(SEG);
        for (int p = 0; p < PAGES; p++) {
            int at = SegmentFile.HEADER + p * 2 * PAGE + 100;
            byte[] got = Arrays.copyOfRange(durable, at, at + 8);
            assertArrayEquals(new byte[] {(byte) (p + 1), 2, 3, 4, 5, 6, 7, 8}, got, "page " + p * 2);
        }
        assertTrue(durable.length >= SegmentFile.HEADER + (1 << 20));
    }
}
