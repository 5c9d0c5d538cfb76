package dev.rvm.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grouped floor forces each full group once, wraps in its file, and reports a failed write; no timing. */
class GroupedFloorTest {

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    @Test
    void everyGroupOfFourIsForcedOnceAndThreadsThatStopDoNotStrandTheOthers(@TempDir Path dir) throws Exception {
        try (FileChannel ch = open(dir.resolve("f"))) {
            long[] pos = {0};
            LatencyHistogram h = new LatencyHistogram();
            GroupedFloor.Result r = GroupedFloor.run(ch, 1L << 30, pos, 4, 300_000_000L, h); // too big to wrap
            assertTrue(r.appends() >= 4, r.toString());
            // Full groups take one force each; when the threads stop, at most three partial groups remain.
            assertTrue(r.forces() * 4 >= r.appends(), r.toString());
            assertTrue(r.forces() <= r.appends() / 4 + 3, r.toString());
            assertEquals(r.appends(), h.count());
            assertEquals(r.appends() * GroupedFloor.RECORD, pos[0], "every record written once, one after another");
            assertEquals(pos[0], ch.size());
        }
    }

    @Test
    void theWritePositionWrapsBeforeTheEndOfTheFile(@TempDir Path dir) throws Exception {
        long size = 4L * GroupedFloor.RECORD * 3; // three groups
        try (FileChannel ch = open(dir.resolve("f"))) {
            long[] pos = {0};
            GroupedFloor.run(ch, size, pos, 4, 100_000_000L, new LatencyHistogram());
            assertTrue(pos[0] <= size, "position " + pos[0]);
            assertTrue(ch.size() <= size, "file grew to " + ch.size());
        }
    }

    @Test
    void aFailedWriteIsReportedNotSwallowed(@TempDir Path dir) throws Exception {
        FileChannel ch = open(dir.resolve("f"));
        ch.write(ByteBuffer.allocate(1), 0);
        ch.close();
        // A window far longer than any thread needs to start: a thread that started after a short window ended would
        // append nothing, and on a loaded machine all four could (seen once). The first failed write ends the run.
        IOException e = assertThrows(IOException.class,
                () -> GroupedFloor.run(ch, 1 << 20, new long[1], 4, 30_000_000_000L, new LatencyHistogram()));
        assertTrue(e.getMessage().contains("grouped append failed"), e.getMessage());
    }
}
