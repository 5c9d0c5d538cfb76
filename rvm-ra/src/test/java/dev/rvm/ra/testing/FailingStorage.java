package dev.rvm.ra.testing;

import dev.rvm.core.io.FileStorage;
import dev.rvm.core.io.ForwardingStorageFile;
import dev.rvm.core.io.Storage;
import dev.rvm.core.io.StorageFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Real files, except that once {@link #failNow()} is called every write and force fails — a disk that went away.
 * Because failed writes never reach the file, what is on disk is what a crash at that moment would leave.
 * The fault state is in the instance. Thread-safe.
 */
public final class FailingStorage implements Storage {
    private final Storage real = FileStorage.instance();
    private volatile boolean failing;

    /** From now on, writes and forces fail. */
    public void failNow() {
        failing = true;
    }

    @Override
    public boolean exists(Path path) throws IOException {
        return real.exists(path);
    }

    @Override
    public StorageFile create(Path path, long size) throws IOException {
        return wrap(real.create(path, size));
    }

    @Override
    public StorageFile open(Path path) throws IOException {
        return wrap(real.open(path));
    }

    @Override
    public StorageFile openReadOnly(Path path) throws IOException {
        return wrap(real.openReadOnly(path));
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        real.createDirectories(dir);
    }

    @Override
    public Closeable tryLock(Path lockFile) throws IOException {
        return real.tryLock(lockFile);
    }

    private StorageFile wrap(StorageFile f) {
        return new ForwardingStorageFile(f) {
            @Override
            public void write(long position, ByteBuffer src) throws IOException {
                check("write");
                super.write(position, src);
            }

            @Override
            public void force() throws IOException {
                check("force");
                super.force();
            }
        };
    }

    private void check(String op) throws IOException {
        if (failing) {
            throw new IOException("simulated disk failure on " + op);
        }
    }
}
