package dev.rvm.core.concurrent;

import dev.rvm.core.io.FileStorage;
import dev.rvm.core.io.ForwardingStorageFile;
import dev.rvm.core.io.Storage;
import dev.rvm.core.io.StorageFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Storage} over {@link FileStorage} whose {@link StorageFile#force()} sleeps first, like a slow disk, so
 * that concurrent commits pile up behind a force. Counts the forces it sees. Thread-safe.
 */
final class SlowForceStorage implements Storage {
    private final Storage real = FileStorage.instance();
    private final long sleepMillis;
    private final AtomicLong forces = new AtomicLong();

    SlowForceStorage(long sleepMillis) {
        this.sleepMillis = sleepMillis;
    }

    long forces() {
        return forces.get();
    }

    @Override
    public boolean exists(Path path) throws IOException {
        return real.exists(path);
    }

    @Override
    public StorageFile create(Path path, long size) throws IOException {
        return new Slow(real.create(path, size));
    }

    @Override
    public StorageFile open(Path path) throws IOException {
        return new Slow(real.open(path));
    }

    @Override
    public StorageFile openReadOnly(Path path) throws IOException {
        return new Slow(real.openReadOnly(path));
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        real.createDirectories(dir);
    }

    @Override
    public Closeable tryLock(Path lockFile) throws IOException {
        return real.tryLock(lockFile);
    }

    private final class Slow extends ForwardingStorageFile {
        Slow(StorageFile f) {
            super(f);
        }

        @Override
        public void force() throws IOException {
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted before force");
            }
            forces.incrementAndGet();
            super.force();
        }
    }
}
