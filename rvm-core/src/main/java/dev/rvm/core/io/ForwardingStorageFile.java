package dev.rvm.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link StorageFile} that passes every call on to another: the base of decorators that slow, fail or watch some
 * calls (a test's slow or failing disk) and override only those. Thread-safe if the file it wraps is.
 */
public abstract class ForwardingStorageFile implements StorageFile {
    private final StorageFile file;

    /** Wraps {@code file}. */
    protected ForwardingStorageFile(StorageFile file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public void read(long position, ByteBuffer dst) throws IOException {
        file.read(position, dst);
    }

    @Override
    public void write(long position, ByteBuffer src) throws IOException {
        file.write(position, src);
    }

    @Override
    public void force() throws IOException {
        file.force();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
