package dev.rvm.core.internal.log;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.io.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The log file seen as two status copies and a circular record area addressed by LSN. Thread-safe for
 * concurrent positional access (as the underlying {@link StorageFile} is).
 */
public final class LogFile implements AutoCloseable {
    private final StorageFile file;
    private final long logSize;
    private final long capacity;

    /** Wraps an open log file of {@code logSize} bytes. */
    public LogFile(StorageFile file, long logSize) {
        this.file = file;
        this.logSize = logSize;
        this.capacity = logSize - LogFormat.RECORD_AREA;
    }

    /** Bytes of the record area. */
    public long capacity() {
        return capacity;
    }

    /** Size of the file. */
    public long logSize() {
        return logSize;
    }

    /** The underlying file. */
    public StorageFile storageFile() {
        return file;
    }

    /** Reads both status copies, A then B. */
    public byte[][] readStatusCopies() throws IOException {
        byte[] a = new byte[LogFormat.STATUS_SIZE];
        byte[] b = new byte[LogFormat.STATUS_SIZE];
        file.read(0, ByteBuffer.wrap(a));
        file.read(LogFormat.STATUS_SIZE, ByteBuffer.wrap(b));
        return new byte[][] {a, b};
    }

    /** Chooses the valid status copy with the highest sequence, or explains why there is none. */
    public static StatusBlock chooseStatus(byte[][] copies, String where) {
        StatusBlock best = null;
        StatusBlock.Verdict[] verdicts = new StatusBlock.Verdict[copies.length];
        for (int i = 0; i < copies.length; i++) {
            verdicts[i] = StatusBlock.check(copies[i]);
            if (verdicts[i] == StatusBlock.Verdict.OK) {
                StatusBlock s = StatusBlock.decode(copies[i]);
                if (best == null || s.sequence() > best.sequence()) {
                    best = s;
                }
            }
        }
        if (best != null) {
            return best;
        }
        if (verdicts[0] == StatusBlock.Verdict.NO_MAGIC && verdicts[1] == StatusBlock.Verdict.NO_MAGIC) {
            throw new RvmException(ErrorCode.NOT_A_STORE_FILE, where + " is not an RVM log (no status block magic)");
        }
        for (int i = 0; i < copies.length; i++) {
            if (verdicts[i] == StatusBlock.Verdict.BAD_VERSION) {
                throw new RvmException(ErrorCode.UNSUPPORTED_VERSION, where + " has log format version "
                        + StatusBlock.version(copies[i]) + "; this code reads version " + LogFormat.VERSION);
            }
        }
        throw new RvmException(ErrorCode.STATUS_CORRUPT,
                where + ": both status block copies are invalid (A: " + verdicts[0] + ", B: " + verdicts[1] + ")");
    }

    /**
     * Writes a status copy (to the slot its sequence selects), forced or not: truncation leaves the force to the next
     * group-commit force (the new head needs to be durable only before the space it frees is reused).
     */
    public void writeStatus(StatusBlock s, boolean force) throws IOException {
        file.write(s.fileOffset(), ByteBuffer.wrap(s.encode()));
        if (force) {
            file.force();
        }
    }

    /** Reads {@code len} bytes of the record area at logical position {@code lsn}, wrapping at the end. */
    public void read(long lsn, byte[] dst, int off, int len) throws IOException {
        long phys = Math.floorMod(lsn, capacity);
        int first = (int) Math.min(len, capacity - phys);
        file.read(LogFormat.RECORD_AREA + phys, ByteBuffer.wrap(dst, off, first));
        if (first < len) {
            file.read(LogFormat.RECORD_AREA, ByteBuffer.wrap(dst, off + first, len - first));
        }
    }

    /** Writes {@code len} bytes at logical position {@code lsn}, wrapping at the end; not forced. */
    public void write(long lsn, byte[] src, int off, int len) throws IOException {
        long phys = Math.floorMod(lsn, capacity);
        int first = (int) Math.min(len, capacity - phys);
        file.write(LogFormat.RECORD_AREA + phys, ByteBuffer.wrap(src, off, first));
        if (first < len) {
            file.write(LogFormat.RECORD_AREA, ByteBuffer.wrap(src, off + first, len - first));
        }
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
