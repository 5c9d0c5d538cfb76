package dev.rvm.replication;

import dev.rvm.core.io.FileStorage;
import dev.rvm.core.io.ForwardingStorage;
import dev.rvm.core.io.ForwardingStorageFile;
import dev.rvm.core.io.StorageFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Test storage for the kill tests: the files of the store, through {@link FileStorage}, except that once
 * {@link #arm armed} the next force of a segment file — which only a truncation (the leader's) or a checkpoint (a
 * follower's snapshot) does — first reports itself and then waits, so a test can kill the process in the middle of
 * a snapshot. The state is this instance's. Thread-safe.
 */
final class SlowSnapshotStorage extends ForwardingStorage {
    private final Consumer<String> report;
    private final long pauseMillis;
    private volatile boolean armed;

    /** Reports through {@code report} and pauses {@code pauseMillis} at the armed force. */
    SlowSnapshotStorage(Consumer<String> report, long pauseMillis) {
        super(FileStorage.instance());
        this.report = report;
        this.pauseMillis = pauseMillis;
    }

    /** The next segment force reports and pauses. */
    void arm() {
        armed = true;
    }

    @Override
    public StorageFile create(Path path, long size) throws IOException {
        return watch(path, super.create(path, size));
    }

    @Override
    public StorageFile open(Path path) throws IOException {
        return watch(path, super.open(path));
    }

    private StorageFile watch(Path path, StorageFile f) {
        Path parent = path.getParent();
        if (parent == null || !parent.getFileName().toString().equals("segments")) {
            return f;
        }
        return new ForwardingStorageFile(f) {
            @Override
            public void force() throws IOException {
                if (armed) {
                    armed = false;
                    report.accept("SNAPSHOTTING " + path.getFileName());
                    try {
                        Thread.sleep(pauseMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                super.force();
            }
        };
    }
}
