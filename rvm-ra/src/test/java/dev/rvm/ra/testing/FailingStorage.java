package dev.rvm.ra.testing;

import dev.rvm.core.io.FileStorage;
import dev.rvm.core.io.ForwardingStorage;
import dev.rvm.core.io.ForwardingStorageFile;
import dev.rvm.core.io.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Real files, except that once {@link #failNow()} is called every write and force fails — a disk that went away.
 * Because failed writes never reach the file, what is on disk is what a crash at that moment would leave.
 * The fault state is in the instance. Thread-safe.
 */
public final class FailingStorage extends ForwardingStorage {
    private volatile boolean failing;

    /** Real files until {@link #failNow()}. */
    public FailingStorage() {
        super(FileStorage.instance());
    }

    /** From now on, writes and forces fail. */
    public void failNow() {
        failing = true;
    }

    @Override
    protected StorageFile wrap(StorageFile f) {
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
