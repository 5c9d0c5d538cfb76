package dev.rvm.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileStorage#create}: a new file has its length, reads as zeros, and has every block on disk. */
class FileStorageCreateTest {
    @TempDir
    Path dir;

    @Test
    void aCreatedFileHasItsLengthAndReadsAsZeros() throws IOException {
        long size = 3 * (1 << 20) + 17; // more than one fill chunk, not a multiple of it
        try (StorageFile f = FileStorage.instance().create(dir.resolve("f"), size)) {
            assertEquals(size, f.size());
            byte[] tail = new byte[4096];
            f.read(size - tail.length, ByteBuffer.wrap(tail));
            assertArrayEquals(new byte[tail.length], tail);
        }
    }

    /**
     * Sparse files made commits slower (a write into a hole allocates blocks, so its force also commits file-system
     * metadata) and would report a full disk at a commit or truncation rather than at creation.
     */
    @Test
    void aCreatedFileIsNotSparse() throws Exception {
        long size = 8L << 20;
        Path p = dir.resolve("f");
        FileStorage.instance().create(p, size).close();
        long allocated = allocatedBytes(p);
        assertTrue(allocated >= size, "only " + allocated + " of " + size + " bytes have blocks on disk");
    }

    @Test
    void createRefusesAnExistingFileAndLeavesItAlone() throws IOException {
        Path p = dir.resolve("f");
        Files.writeString(p, "keep");
        assertThrows(FileAlreadyExistsException.class, () -> FileStorage.instance().create(p, 4096));
        assertEquals("keep", Files.readString(p, StandardCharsets.UTF_8));
    }

    @Test
    void aFailedCreateLeavesNoFileBehind() throws IOException {
        Path p = dir.resolve("f");
        // Larger than any file system allows: the fill fails, and the half-made file must not block a retry.
        assertThrows(IOException.class, () -> FileStorage.instance().create(p, Long.MAX_VALUE - 1));
        assertFalse(Files.exists(p));
    }

    /**
     * Bytes a file has on disk, from GNU {@code stat} (the JDK does not expose a file's blocks). Skipped off Linux,
     * where {@code stat} takes other options; on Linux a missing or failing {@code stat} fails the test.
     */
    private static long allocatedBytes(Path p) throws Exception {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"), "blocks are read with GNU stat (Linux)");
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", p.toString()).redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertTrue(stat.waitFor(30, TimeUnit.SECONDS) && stat.exitValue() == 0, "stat failed: " + out);
        String[] parts = out.split("\\s+");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }
}
