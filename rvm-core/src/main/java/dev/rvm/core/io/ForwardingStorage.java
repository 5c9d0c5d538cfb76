package dev.rvm.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@link Storage} that passes every call on to another: the base of decorators that slow, fail or watch some calls
 * (a test's slow or failing disk) and override only those. Files it opens are passed through {@link #wrap}, so a
 * decorator of file operations overrides that one method. Thread-safe if the storage it wraps is and {@link #wrap}
 * is.
 */
public abstract class ForwardingStorage implements Storage {
    private final Storage storage;

    /** Wraps {@code storage}. */
    protected ForwardingStorage(Storage storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    /** What every file this storage creates or opens is handed out as; the file itself unless overridden. */
    protected StorageFile wrap(StorageFile file) {
        return file;
    }

    @Override
    public boolean exists(Path path) throws IOException {
        return storage.exists(path);
    }

    @Override
    public Kind kind(Path path) throws IOException {
        return storage.kind(path);
    }

    @Override
    public StorageFile create(Path path, long size) throws IOException {
        return wrap(storage.create(path, size));
    }

    @Override
    public StorageFile open(Path path) throws IOException {
        return wrap(storage.open(path));
    }

    @Override
    public StorageFile openReadOnly(Path path) throws IOException {
        return wrap(storage.openReadOnly(path));
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        storage.createDirectories(dir);
    }

    @Override
    public Closeable tryLock(Path lockFile) throws IOException {
        return storage.tryLock(lockFile);
    }
}
