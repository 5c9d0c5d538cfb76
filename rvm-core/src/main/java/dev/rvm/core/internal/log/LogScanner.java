package dev.rvm.core.internal.log;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import java.io.IOException;
import java.util.zip.CRC32C;

/**
 * Reads the chain of valid records from a starting LSN, forward, as recovery, truncation and tools need it.
 *
 * <p>A record continues the chain if its header names the expected LSN and store, its epoch does not go back,
 * its CRC32C and reverse length are right. The chain ends at the first record that does not. Whether that end
 * is a torn tail or corruption is decided by {@link #checkNoDurableRecordAfterEnd()}: if some later valid record
 * was written after the bad one had been forced, the bad one was durable once and is now damaged, so the log is
 * corrupt. Otherwise the bad record was an unforced write lost in a crash: a tail. Not thread-safe.
 */
public final class LogScanner {
    private static final int WINDOW = 4 * 1024 * 1024;

    private final LogFile file;
    private final int storeIdLow;
    private final long limit;
    private long next;
    private int epoch;
    private final byte[] window;
    private long windowStart = Long.MIN_VALUE;
    private int windowLength;
    private String endReason = "";
    private boolean endTorn;
    private final CRC32C crc = new CRC32C();

    /**
     * Scans from {@code start} up to {@code limit} (exclusive).
     *
     * @param minEpoch lowest acceptable epoch for the first record
     */
    public LogScanner(LogFile file, int storeIdLow, long start, long limit, int minEpoch) {
        this(file, storeIdLow, start, limit, minEpoch, newWindow(file));
    }

    /** As above, reading through {@code window} (from {@link #newWindow}), which a caller may reuse across scans. */
    public LogScanner(LogFile file, int storeIdLow, long start, long limit, int minEpoch, byte[] window) {
        this.file = file;
        this.storeIdLow = storeIdLow;
        this.next = start;
        this.limit = limit;
        this.epoch = minEpoch;
        this.window = window;
    }

    /** A read buffer for scanning {@code file}: up to 4 MiB, so that scanning reads in large sequential pieces. */
    public static byte[] newWindow(LogFile file) {
        return new byte[(int) Math.min(WINDOW, Math.max(file.capacity(), LogFormat.HEADER_SIZE))];
    }

    /** The next record of the chain, owning its bytes, or {@code null} at its end. */
    public LogRecord next() throws IOException {
        LogRecord r = nextView();
        return r == null ? null : r.copy();
    }

    /**
     * The next record of the chain as a view into the scanner's buffer, valid until the next call; or {@code null}
     * at its end. Replay uses it to avoid copying every record; {@link LogRecord#copy()} keeps one.
     */
    public LogRecord nextView() throws IOException {
        LogRecord r = validAt(next, epoch, true);
        if (r != null) {
            next = r.end();
            epoch = r.epoch();
        }
        return r;
    }

    /** LSN just after the last valid record returned. */
    public long position() {
        return next;
    }

    /** Epoch of the last valid record (or the starting minimum). */
    public int epoch() {
        return epoch;
    }

    /** Why the chain ended, for messages. */
    public String endReason() {
        return endReason;
    }

    /**
     * Whether the scan ended at a record that was begun but not finished — a length, CRC or reverse length that does
     * not check out at a position whose header names it — rather than at zeros or at a record of an earlier lap of
     * the log, which is how a log that was closed or crashed between writes ends.
     */
    public boolean endTorn() {
        return endTorn;
    }

    /**
     * After {@link #next()} returned {@code null}: looks at every aligned position after the end for a valid
     * record written after the end had become durable. Finding one means the log is corrupt in the middle.
     *
     * @throws RvmException {@link ErrorCode#LOG_CORRUPT} naming the bad position and the later record
     */
    public void checkNoDurableRecordAfterEnd() throws IOException {
        long bad = next;
        for (long x = bad + LogFormat.ALIGN; x + LogFormat.HEADER_SIZE + LogFormat.TRAILER_SIZE <= limit;
                x += LogFormat.ALIGN) {
            int at = windowed(x, LogFormat.HEADER_SIZE);
            // Fast skip inside the window: only a header naming its own position can be a record of this lap.
            int last = windowLength - LogFormat.HEADER_SIZE;
            while (at <= last && LogFormat.getLong(window, at + LogFormat.H_LSN) != x) {
                at += LogFormat.ALIGN;
                x += LogFormat.ALIGN;
            }
            if (at > last || x + LogFormat.HEADER_SIZE + LogFormat.TRAILER_SIZE > limit) {
                x -= LogFormat.ALIGN; // re-window at the next position
                continue;
            }
            String savedReason = endReason;
            boolean savedTorn = endTorn;
            LogRecord r = validAt(x, epoch, false);
            endReason = savedReason;
            endTorn = savedTorn;
            if (r != null && r.durableAtWrite() > bad) {
                throw new RvmException(ErrorCode.LOG_CORRUPT, "log record at lsn " + bad + " is invalid ("
                        + savedReason + ") but a later record at lsn " + x + " was written after it had been forced;"
                        + " the log is damaged in the middle, not torn at the tail");
            }
        }
    }

    private LogRecord validAt(long lsn, int minEpoch, boolean explain) throws IOException {
        if (lsn + LogFormat.HEADER_SIZE + LogFormat.TRAILER_SIZE > limit) {
            return fail(explain, "end of scan range", false);
        }
        int at = windowed(lsn, LogFormat.HEADER_SIZE);
        int len = LogFormat.getInt(window, at + LogFormat.H_LENGTH);
        if (len < LogFormat.recordLength(0) || (len & (LogFormat.ALIGN - 1)) != 0 || lsn + len > limit || len < 0) {
            // Zeros (never written) or a length from an earlier lap's bytes: the clean end of a log.
            return fail(explain, "bad length " + len, false);
        }
        if (LogFormat.getLong(window, at + LogFormat.H_LSN) != lsn) {
            return fail(explain, "header names lsn " + LogFormat.getLong(window, at + LogFormat.H_LSN), false);
        }
        if (LogFormat.getInt(window, at + LogFormat.H_STORE) != storeIdLow) {
            return fail(explain, "record of another store", false);
        }
        int e = LogFormat.getInt(window, at + LogFormat.H_EPOCH);
        if (Integer.compareUnsigned(e, minEpoch) < 0) {
            return fail(explain, "epoch " + e + " older than " + minEpoch, false);
        }
        byte[] bytes;
        int off;
        if (len <= window.length) {
            bytes = window;
            off = windowed(lsn, len);
        } else {
            bytes = new byte[len];
            off = 0;
            file.read(lsn, bytes, 0, len);
        }
        crc.reset();
        crc.update(bytes, off + 8, len - 8);
        if (LogFormat.getInt(bytes, off + LogFormat.H_CRC) != (int) crc.getValue()) {
            return fail(explain, "CRC mismatch", true);
        }
        if (LogFormat.getInt(bytes, off + len - LogFormat.TRAILER_SIZE) != len) {
            return fail(explain, "reverse length mismatch", true);
        }
        return new LogRecord(bytes, off, len, lsn);
    }

    private LogRecord fail(boolean explain, String why, boolean torn) {
        if (explain) {
            endReason = why;
            endTorn = torn;
        }
        return null;
    }

    /** Makes {@code [lsn, lsn + len)} available in the window and returns its index there. */
    private int windowed(long lsn, int len) throws IOException {
        if (lsn >= windowStart && lsn + len <= windowStart + windowLength) {
            return (int) (lsn - windowStart);
        }
        windowLength = (int) Math.min(window.length, limit - lsn);
        if (windowLength < len) {
            throw new IllegalStateException("read past scan limit");
        }
        file.read(lsn, window, 0, windowLength);
        windowStart = lsn;
        return 0;
    }
}
