package dev.rvm.core.concurrent;

import dev.rvm.core.io.FileStorage;
import dev.rvm.core.io.ForwardingStorage;
import dev.rvm.core.io.ForwardingStorageFile;
import dev.rvm.core.io.Storage;
import dev.rvm.core.io.StorageFile;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Storage} over {@link FileStorage} whose {@link StorageFile#force()} sleeps first, like a slow disk, so
 * that concurrent commits pile up behind a force. Counts the forces it sees. Thread-safe.
 */
final class SlowForceStorage extends ForwardingStorage {
    private final long sleepMillis;
    private final AtomicLong forces = new AtomicLong();

    SlowForceStorage(long sleepMillis) {
        super(FileStorage.instance());
        this.sleepMillis = sleepMillis;
    }

    long forces() {
        return forces.get();
    }

    @Override
    protected StorageFile wrap(StorageFile file) {
        return new Slow(file);
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
                throw new InterruptedIOException("interrupted before force");
            }
            forces.incrementAndGet();
            super.force();
        }
    }
}
