package dev.rvm.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The child side of {@link KilledChild}: the acknowledgement file, one line per acknowledged call, each line one
 * append so that a SIGKILL keeps every line completed before it; and {@link #runWorkers}, the child's threads.
 * Thread-safe (lines never interleave).
 */
public final class AckFile {
    private final FileChannel channel;

    private AckFile(FileChannel channel) {
        this.channel = channel;
    }

    /** Opens (creating) the file for appending. */
    public static AckFile open(Path path) {
        try {
            return new AckFile(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body of one worker thread of a child: it runs until the child is killed. */
    @FunctionalInterface
    public interface Worker {
        /** Runs thread {@code me}'s work; any exception ends the child. */
        void run(int me) throws Exception;
    }

    /**
     * Runs {@code threads} workers named {@code name-<i>} and waits for them (until the child is killed). Any
     * exception of a worker is printed and ends the process with status 3, which the parent reports as a failure.
     */
    public static void runWorkers(int threads, String name, Worker worker) throws InterruptedException {
        Thread[] all = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int me = t;
            all[t] = new Thread(() -> {
                try {
                    worker.run(me);
                } catch (Throwable e) {
                    e.printStackTrace();
                    System.exit(3);
                }
            }, name + "-" + t);
            all[t].start();
        }
        for (Thread t : all) {
            t.join();
        }
    }

    /** Appends {@code line} and a newline. */
    public synchronized void write(String line) {
        try {
            ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
