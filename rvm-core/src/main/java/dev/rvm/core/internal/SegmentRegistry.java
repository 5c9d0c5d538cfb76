package dev.rvm.core.internal;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.internal.log.StatusBlock;
import dev.rvm.core.internal.segment.SegmentFile;
import dev.rvm.core.internal.segment.SegmentNames;
import dev.rvm.core.io.Storage;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store's segments by name and by id, opened from the log's segment table. Creation writes the file
 * durably first and then the table entry, so a crash leaves at worst an unregistered file. Thread-safe.
 */
final class SegmentRegistry implements AutoCloseable {
    private final Storage storage;
    private final Path directory;
    private final long storeId;
    private final StatusKeeper status;
    private final Map<String, SegmentFile> byName = new ConcurrentHashMap<>();
    private final Map<Integer, SegmentFile> byId = new ConcurrentHashMap<>();

    SegmentRegistry(Storage storage, Path storeDirectory, long storeId, StatusKeeper status) {
        this.storage = storage;
        this.directory = storeDirectory.resolve("segments");
        this.storeId = storeId;
        this.status = status;
    }

    /** Opens every segment the status block lists. */
    void openAll() throws IOException {
        refuseLinkedDirectory();
        for (StatusBlock.Segment s : status.current().segments()) {
            Path p = path(s.name());
            if (!storage.exists(p)) {
                throw new RvmException(ErrorCode.SEGMENT_CORRUPT, "segment '" + s.name() + "' is listed in the log but "
                        + p + " is missing");
            }
            SegmentFile f = SegmentFile.open(storage, p, s.name(), s.id(), storeId, false);
            byName.put(s.name(), f);
            byId.put(s.id(), f);
        }
    }

    synchronized SegmentFile create(String name, long size) throws IOException {
        SegmentNames.check(name);
        if (size <= 0) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "segment size must be positive, got " + size);
        }
        if (byName.containsKey(name)) {
            throw new RvmException(ErrorCode.SEGMENT_EXISTS, "segment '" + name + "' already exists");
        }
        Path p = path(name);
        if (storage.kind(p) != Storage.Kind.NONE) {
            throw new RvmException(ErrorCode.SEGMENT_EXISTS, "segment file " + p
                    + " exists but is not registered in the log (left by a crash during creation?); remove it first");
        }
        int id = 0;
        for (int k : byId.keySet()) {
            id = Math.max(id, k + 1);
        }
        if (id > 0xFFFF) {
            throw new RvmException(ErrorCode.TOO_MANY_SEGMENTS, "no segment id left");
        }
        List<StatusBlock.Segment> probe = new ArrayList<>(status.current().segments());
        probe.add(new StatusBlock.Segment(id, name, size));
        if (!StatusBlock.fits(probe)) {
            throw new RvmException(ErrorCode.TOO_MANY_SEGMENTS, "the log's segment table is full; cannot add '" + name + "'");
        }
        refuseLinkedDirectory();
        storage.createDirectories(directory);
        SegmentFile f;
        try {
            f = SegmentFile.create(storage, p, name, id, storeId, size);
        } catch (FileAlreadyExistsException e) {
            throw new RvmException(ErrorCode.SEGMENT_EXISTS, "segment file " + p
                    + " exists but is not registered in the log (left by a crash during creation?); remove it first", e);
        }
        if (!status.addSegment(new StatusBlock.Segment(id, name, size))) {
            f.close();
            throw new RvmException(ErrorCode.TOO_MANY_SEGMENTS, "the log's segment table is full; cannot add '" + name + "'");
        }
        byName.put(name, f);
        byId.put(id, f);
        return f;
    }

    SegmentFile byName(String name) {
        SegmentFile f = byName.get(name);
        if (f == null) {
            throw new RvmException(ErrorCode.NO_SUCH_SEGMENT, "no segment named '" + name + "' in this store");
        }
        return f;
    }

    boolean exists(String name) {
        return byName.containsKey(name);
    }

    /** Resolves an id found in the log; an unknown id there is corruption. */
    SegmentFile byId(int id) {
        SegmentFile f = byId.get(id);
        if (f == null) {
            throw new RvmException(ErrorCode.LOG_CORRUPT, "the log refers to segment id " + id
                    + ", which the segment table does not list");
        }
        return f;
    }

    /** A symbolic link in place of {@code segments/} would put segment files wherever it points: refuse it. */
    private void refuseLinkedDirectory() throws IOException {
        if (storage.kind(directory) == Storage.Kind.SYMBOLIC_LINK) {
            throw new RvmException(ErrorCode.SEGMENT_CORRUPT, "the segments directory " + directory
                    + " is a symbolic link; refusing to follow it");
        }
    }

    private Path path(String name) {
        return directory.resolve(name + SegmentNames.SUFFIX);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SegmentFile f : byId.values()) {
            try {
                f.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
