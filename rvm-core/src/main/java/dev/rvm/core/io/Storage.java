package dev.rvm.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The storage seam: how the engine creates, opens, locks and syncs files.
 *
 * <p>Every file operation of the engine goes through here. {@link FileStorage} is the production implementation.
 * Tests plug in implementations that simulate crashes; such implementations keep their fault state in the instance,
 * never in statics. A decorator that changes a few calls extends {@link ForwardingStorage}. Implementations must be
 * thread-safe.
 */
public interface Storage {

    /** What is at a path, symbolic links not followed. */
    enum Kind {
        /** Nothing. */
        NONE,
        /** A regular file. */
        FILE,
        /** A directory. */
        DIRECTORY,
        /** A symbolic link, whatever it points to (if anything). */
        SYMBOLIC_LINK,
        /** Something else: a device, a pipe, a socket. */
        OTHER
    }

    /** True if a regular file (not a symbolic link) exists at {@code path}. */
    boolean exists(Path path) throws IOException;

    /**
     * What is at {@code path}, without following a symbolic link: the engine refuses a linked segments directory and
     * a segment name taken by a file it did not register. The default knows only regular files (through
     * {@link #exists}); an implementation that has directories or links says so.
     */
    default Kind kind(Path path) throws IOException {
        return exists(path) ? Kind.FILE : Kind.NONE;
    }

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
