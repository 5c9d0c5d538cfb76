package dev.rvm.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The storage seam: how the engine creates, opens, locks and syncs files.
 *
 * <p>{@link FileStorage} is the production implementation. Tests plug in implementations that simulate
 * crashes; such implementations keep their fault state in the instance, never in statics.
 * Implementations must be thread-safe.
 */
public interface Storage {

    /** True if a regular file (not a symbolic link) exists at {@code path}. */
    boolean exists(Path path) throws IOException;

    /**
     * Creates a new zero-filled file of {@code size} bytes, readable and writable by its owner only, and
     * makes its existence durable (file and parent directory forced). Every byte is written, so the file is not
     * sparse: later writes need no block allocation, and a full disk shows here rather than at a commit. If creation
     * fails, no file is left behind.
     *
     * @throws java.nio.file.FileAlreadyExistsException if something exists at {@code path}
     */
    StorageFile create(Path path, long size) throws IOException;

    /** Opens an existing regular file for reading and writing; symbolic links are refused. */
    StorageFile open(Path path) throws IOException;

    /** Opens an existing regular file for reading only; symbolic links are refused. */
    StorageFile openReadOnly(Path path) throws IOException;

    /** Creates {@code dir} and missing parents (owner-only permissions where supported), durably. */
    void createDirectories(Path dir) throws IOException;

    /**
     * Takes an exclusive lock that excludes other processes and other opens in this JVM.
     *
     * @return the held lock, released by {@link Closeable#close()}, or {@code null} if someone else holds it
     */
    Closeable tryLock(Path lockFile) throws IOException;
}
