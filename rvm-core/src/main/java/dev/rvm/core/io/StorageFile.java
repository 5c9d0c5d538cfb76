package dev.rvm.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One open file of a store: the log or a segment. All positional; no file pointer.
 *
 * <p>The engine issues every read, write and force of a store through this interface, so that tests can
 * substitute an implementation that loses unforced writes, tears writes or fails a force. Implementations
 * must be safe for concurrent positional reads and writes to disjoint ranges from several threads.
 */
public interface StorageFile extends Closeable {

    /** Current length in bytes. */
    long size() throws IOException;

    /**
     * Reads exactly {@code dst.remaining()} bytes starting at {@code position}.
     *
     * @throws java.io.EOFException if the file ends first
     */
    void read(long position, ByteBuffer dst) throws IOException;

    /** Writes all of {@code src.remaining()} bytes at {@code position}; not durable until {@link #force()}. */
    void write(long position, ByteBuffer src) throws IOException;

    /** Makes every completed write durable. A failure means the durable state is unknown. */
    void force() throws IOException;

    @Override
    void close() throws IOException;
}
