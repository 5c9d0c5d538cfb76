package dev.rvm.core.internal.segment;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.internal.log.LogFormat;
import dev.rvm.core.io.Storage;
import dev.rvm.core.io.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A segment file: a 4096-byte header, then the segment's bytes. The header binds the file to its store so that
 * a segment copied from another store is refused rather than silently corrupted. Thread-safe for positional I/O.
 *
 * <pre>
 *  0 u32 magic "RVMS"   4 u16 version   6 u16 segment id   8 u64 store id   16 u64 size
 *  24 u32 CRC32C of bytes [0, 24)
 * </pre>
 */
public final class SegmentFile implements AutoCloseable {
    /** "RVMS". */
    public static final int MAGIC = 0x534D5652;
    /** Bytes before the segment's data. */
    public static final int HEADER = 4096;

    private final StorageFile file;
    private final String name;
    private final int id;
    private final long size;

    private SegmentFile(StorageFile file, String name, int id, long size) {
        this.file = file;
        this.name = name;
        this.id = id;
        this.size = size;
    }

    /** Creates a zero-filled segment file durably. */
    public static SegmentFile create(Storage storage, Path path, String name, int id, long storeId, long size)
            throws IOException {
        StorageFile f = storage.create(path, HEADER + size);
        try {
            byte[] h = new byte[HEADER];
            LogFormat.putInt(h, 0, MAGIC);
            h[4] = (byte) LogFormat.VERSION;
            h[6] = (byte) id;
            h[7] = (byte) (id >>> 8);
            LogFormat.putLong(h, 8, storeId);
            LogFormat.putLong(h, 16, size);
            LogFormat.putInt(h, 24, LogFormat.crc(h, 0, 24));
            f.write(0, ByteBuffer.wrap(h));
            f.force();
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
        return new SegmentFile(f, name, id, size);
    }

    /** Opens and checks a segment file; {@link ErrorCode#SEGMENT_CORRUPT} if it is not this store's. */
    public static SegmentFile open(Storage storage, Path path, String name, int id, long storeId, boolean readOnly)
            throws IOException {
        StorageFile f = readOnly ? storage.openReadOnly(path) : storage.open(path);
        try {
            byte[] h = new byte[HEADER];
            if (f.size() < HEADER) {
                throw corrupt(name, "file is shorter than its header");
            }
            f.read(0, ByteBuffer.wrap(h));
            if (LogFormat.getInt(h, 0) != MAGIC) {
                throw new RvmException(ErrorCode.NOT_A_STORE_FILE, "segment '" + name + "' (" + path + ") is not an RVM segment file");
            }
            if (LogFormat.getInt(h, 24) != LogFormat.crc(h, 0, 24)) {
                throw corrupt(name, "header CRC mismatch");
            }
            if (LogFormat.getLong(h, 8) != storeId) {
                throw corrupt(name, "it belongs to store " + Long.toHexString(LogFormat.getLong(h, 8)) + ", not "
                        + Long.toHexString(storeId));
            }
            int fileId = (h[6] & 0xFF) | (h[7] & 0xFF) << 8;
            long size = LogFormat.getLong(h, 16);
            if (fileId != id) {
                throw corrupt(name, "header has segment id " + fileId + ", the log says " + id);
            }
            if (f.size() < HEADER + size) {
                throw corrupt(name, "file is shorter (" + f.size() + ") than header + size " + size);
            }
            return new SegmentFile(f, name, id, size);
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private static RvmException corrupt(String name, String why) {
        return new RvmException(ErrorCode.SEGMENT_CORRUPT, "segment '" + name + "': " + why);
    }

    /** Segment name. */
    public String name() {
        return name;
    }

    /** Segment id in the log's segment table. */
    public int id() {
        return id;
    }

    /** Size of the segment's data in bytes. */
    public long size() {
        return size;
    }

    /** Reads segment bytes {@code [offset, offset + len)}. */
    public void read(long offset, byte[] dst, int off, int len) throws IOException {
        file.read(HEADER + offset, ByteBuffer.wrap(dst, off, len));
    }

    /** Writes segment bytes at {@code offset}; not durable until {@link #force()}. */
    public void write(long offset, byte[] src, int off, int len) throws IOException {
        file.write(HEADER + offset, ByteBuffer.wrap(src, off, len));
    }

    /** Forces the file. */
    public void force() throws IOException {
        file.force();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
