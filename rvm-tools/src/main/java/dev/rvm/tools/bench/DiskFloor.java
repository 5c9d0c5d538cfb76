package dev.rvm.tools.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The disk's floor: the rate of appending 32-byte records to a file with a {@code force(false)} after each, the
 * same calls the engine's log makes. Not thread-safe; one measurement at a time.
 */
final class DiskFloor {
    private static final int FILE_SIZE = 64 << 20;
    private static final int RECORD = 32;

    private DiskFloor() {
    }

    /** Measures in {@code dir} for {@code seconds}, on a file written out as zeros first (as the engine's log is). */
    static BenchResults.Floor measure(Path dir, double seconds) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("floor.dat");
        Files.deleteIfExists(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            for (long at = 0; at < FILE_SIZE; at += zeros.capacity()) {
                zeros.clear();
                while (zeros.hasRemaining()) {
                    ch.write(zeros, at + zeros.position());
                }
            }
            ch.force(true);
            LatencyHistogram h = new LatencyHistogram();
            byte[] rec = new byte[RECORD];
            ByteBuffer buf = ByteBuffer.wrap(rec);
            long pos = 0;
            long n = 0;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long now = start;
            while (now < end) {
                rec[0] = (byte) n;
                buf.clear();
                long t0 = System.nanoTime();
                while (buf.hasRemaining()) {
                    ch.write(buf, pos + buf.position());
                }
                ch.force(false);
                now = System.nanoTime();
                h.record(now - t0);
                n++;
                pos += RECORD;
                if (pos + RECORD > FILE_SIZE) {
                    pos = 0;
                }
            }
            return new BenchResults.Floor(n / ((now - start) / 1e9), h.percentile(0.5), h.percentile(0.99));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
