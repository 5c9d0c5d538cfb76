package dev.rvm.core.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Production {@link Storage}: plain files through {@link FileChannel}, forced with {@code fsync}.
 *
 * <p>Never memory-maps a file: segment files change only through truncation and recovery. Thread-safe.
 */
public final class FileStorage implements Storage {

    /** Paths locked by this JVM: {@link FileChannel#tryLock()} alone does not exclude a second open here. */
    private static final Set<Path> LOCKED_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private static final FileStorage INSTANCE = new FileStorage();
    private static final int ZERO_CHUNK = 1 << 20;

    private FileStorage() {
    }

    /** The shared instance; it holds no per-store state. */
    public static FileStorage instance() {
        return INSTANCE;
    }

    @Override
    public boolean exists(Path path) {
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Kind kind(Path path) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return Kind.NONE; // as Files.exists: what cannot be read counts as absent
        }
        return a.isSymbolicLink() ? Kind.SYMBOLIC_LINK : a.isDirectory() ? Kind.DIRECTORY
                : a.isRegularFile() ? Kind.FILE : Kind.OTHER;
    }

    @Override
    public StorageFile create(Path path, long size) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(path.toString());
        }
        FileChannel ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), ownerOnlyFile());
        try {
            zeroFill(ch, size);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
                Files.deleteIfExists(path); // ours (CREATE_NEW): a part-written file would block the next attempt
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup); // the failure to report is the creation's
            }
            throw e;
        }
        forceDirectory(path.toAbsolutePath().getParent());
        return new Channel(ch, path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /**
     * Writes every byte rather than extending the file sparsely: a later write into a hole allocates blocks, so its
     * force must also commit file-system metadata (measured here: a 25 KiB append and force 20-35 % slower on a
     * sparse file), and a full disk would surface then, at a commit or a truncation, instead of now.
     */
    private static void zeroFill(FileChannel ch, long size) throws IOException {
        if (size == 0) {
            return;
        }
        // The last byte first, so the file has its final length as soon as possible, as before the fill.
        ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(size - 1, ZERO_CHUNK));
        for (long at = 0; at < size - 1;) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), size - 1 - at));
            at += ch.write(zeros, at);
        }
    }

    @Override
    public StorageFile open(Path path) throws IOException {
        return new Channel(openChannel(path, StandardOpenOption.READ, StandardOpenOption.WRITE), path,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Override
    public StorageFile openReadOnly(Path path) throws IOException {
        return new Channel(openChannel(path, StandardOpenOption.READ), path, StandardOpenOption.READ);
    }

    private static FileChannel openChannel(Path path, OpenOption... options) throws IOException {
        if (Files.isSymbolicLink(path)) {
            throw new IOException("refusing symbolic link: " + path);
        }
        OpenOption[] all = new OpenOption[options.length + 1];
        System.arraycopy(options, 0, all, 0, options.length);
        all[options.length] = LinkOption.NOFOLLOW_LINKS;
        return FileChannel.open(path, all);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path parent = abs.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(abs, ownerOnlyDirectory());
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) {
                throw e;
            }
        }
        if (parent != null) {
            forceDirectory(parent);
        }
    }

    @Override
    public Closeable tryLock(Path lockFile) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        if (!LOCKED_IN_THIS_JVM.add(key)) {
            return null;
        }
        FileChannel ch = null;
        try {
            ch = openChannel(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                LOCKED_IN_THIS_JVM.remove(key);
                return null;
            }
            FileChannel held = ch;
            return () -> {
                try {
                    held.close(); // releases the lock
                } finally {
                    LOCKED_IN_THIS_JVM.remove(key);
                }
            };
        } catch (IOException | OverlappingFileLockException e) {
            if (ch != null) {
                ch.close();
            }
            LOCKED_IN_THIS_JVM.remove(key);
            if (e instanceof OverlappingFileLockException) {
                return null;
            }
            throw (IOException) e;
        }
    }

    /** Forces a directory so that a file created in it survives a crash. */
    static void forceDirectory(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for reading; there is nothing more we can do there.
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win")) {
                throw e;
            }
        }
    }

    private static FileAttribute<?>[] ownerOnlyFile() {
        return posix() ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] ownerOnlyDirectory() {
        return posix() ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))} : new FileAttribute<?>[0];
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /**
     * A {@link StorageFile} over a {@link FileChannel}. A {@code FileChannel} closes itself when a thread using it
     * is interrupted, which would stop the whole store because one application thread was cancelled. So the
     * interrupt status is cleared for each read or write and restored after it, and a channel closed by an
     * interrupt that arrived during one is reopened and the call repeated (they are positional, so repeating one is
     * harmless). As H2 does. Forces go through a second descriptor, an {@link AsynchronousFileChannel}, which an
     * interrupt does not close: a force cut off that way could not be repeated safely, since Java then reports the
     * interrupt in place of the force's own error, and a write-back error the cut-off {@code fsync} consumed is not
     * reported again to a new descriptor.
     */
    private static final class Channel implements StorageFile {
        private final Path path;
        private final OpenOption[] options;
        private volatile FileChannel ch;
        private final AsynchronousFileChannel syncer;
        private volatile boolean closed;

        Channel(FileChannel ch, Path path, OpenOption... options) throws IOException {
            this.ch = ch;
            this.path = path;
            this.options = options;
            try {
                OpenOption mode = Arrays.asList(options).contains(StandardOpenOption.WRITE) ? StandardOpenOption.WRITE
                        : StandardOpenOption.READ;
                this.syncer = AsynchronousFileChannel.open(path, mode, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }

        @FunctionalInterface
        private interface Call<T> {
            T on(FileChannel ch) throws IOException;
        }

        private <T> T call(Call<T> call) throws IOException {
            boolean interrupted = Thread.interrupted();
            try {
                while (true) { // each round needs yet another interrupt during the call: this ends when they do
                    FileChannel c = ch;
                    try {
                        return call.on(c);
                    } catch (ClosedChannelException e) {
                        interrupted |= Thread.interrupted();
                        if (closed) {
                            throw e;
                        }
                        reopen(c);
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private synchronized void reopen(FileChannel broken) throws IOException {
            if (ch == broken && !closed) {
                ch = openChannel(path, options);
            }
        }

        @Override
        public long size() throws IOException {
            return call(FileChannel::size);
        }

        @Override
        public void read(long position, ByteBuffer dst) throws IOException {
            long pos = position;
            while (dst.hasRemaining()) {
                long at = pos;
                int n = call(c -> c.read(dst, at));
                if (n < 0) {
                    throw new EOFException("end of file at " + pos);
                }
                pos += n;
            }
        }

        @Override
        public void write(long position, ByteBuffer src) throws IOException {
            long pos = position;
            while (src.hasRemaining()) {
                long at = pos;
                pos += call(c -> c.write(src, at));
            }
        }

        @Override
        public void force() throws IOException {
            syncer.force(false);
        }

        @Override
        public synchronized void close() throws IOException {
            closed = true;
            try {
                ch.close();
            } finally {
                syncer.close();
            }
        }
    }
}
