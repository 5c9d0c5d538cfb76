package dev.rvm.core.internal.log;

import dev.rvm.core.BranchId;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import java.util.Arrays;

/**
 * A validated record read from the log: header fields plus accessors over its payload. Immutable once built
 * (it owns its bytes). Payload layouts are specified in {@code docs/FORMAT.md}.
 */
public final class LogRecord {
    private final byte[] bytes;
    private final int off;
    private final int len;
    private final long lsn;

    LogRecord(byte[] bytes, long lsn) {
        this(bytes, 0, bytes.length, lsn);
    }

    /** A view of {@code bytes[off, off + len)}; valid only while the scanner's window is unchanged. */
    LogRecord(byte[] bytes, int off, int len, long lsn) {
        this.bytes = bytes;
        this.off = off;
        this.len = len;
        this.lsn = lsn;
    }

    /** A record that owns its bytes (a view becomes safe to keep). */
    public LogRecord copy() {
        if (off == 0 && len == bytes.length) {
            return this;
        }
        return new LogRecord(Arrays.copyOfRange(bytes, off, off + len), lsn);
    }

    /** Log sequence number (logical position). */
    public long lsn() {
        return lsn;
    }

    /** Total length in the log. */
    public int length() {
        return len;
    }

    /** LSN just after this record. */
    public long end() {
        return lsn + len;
    }

    /** Record type, one of the {@link LogFormat} type constants. */
    public byte type() {
        return bytes[off + LogFormat.H_TYPE];
    }

    /** Flags. */
    public byte flags() {
        return bytes[off + LogFormat.H_FLAGS];
    }

    /** Epoch of the session that wrote it. */
    public int epoch() {
        return LogFormat.getInt(bytes, off + LogFormat.H_EPOCH);
    }

    /** Low 32 bits of the store id. */
    public int storeIdLow() {
        return LogFormat.getInt(bytes, off + LogFormat.H_STORE);
    }

    /** The durable end of the log when this record was written. */
    public long durableAtWrite() {
        return lsn - (LogFormat.getInt(bytes, off + LogFormat.H_GAP) & 0xFFFFFFFFL);
    }

    /** The whole record as written (header included); a copy for a view; do not modify. */
    public byte[] rawBytes() {
        return copy().bytes;
    }

    /** A reader positioned at the start of the payload. */
    public PayloadReader payload() {
        return new PayloadReader(bytes, off + LogFormat.HEADER_SIZE, off + len - LogFormat.TRAILER_SIZE, lsn);
    }

    /** The branch id of a PREPARE, COMMIT_PREPARED or ROLLBACK_PREPARED record. */
    public BranchId branchId() {
        return payload().branchId();
    }

    /** Visits the ranges of a COMMIT or PREPARE record in order. */
    public void forEachRange(RangeVisitor visitor) {
        PayloadReader p = payload();
        byte t = type();
        if (t == LogFormat.PREPARE) {
            p.branchId();
        } else if (t == LogFormat.COMMIT) {
            p.varint(); // transactions in the group
        } else {
            return;
        }
        long count = p.varint();
        for (long i = 0; i < count; i++) {
            int seg = (int) p.varint();
            long offset = p.varint();
            int len = p.length();
            visitor.range(seg, offset, bytes, p.take(len), len);
        }
    }

    /** Number of transactions a COMMIT record stands for (more than one for a coalesced group). */
    public long transactionCount() {
        return type() == LogFormat.COMMIT ? payload().varint() : 1;
    }

    /** The prepare LSN referenced by a COMMIT_PREPARED or ROLLBACK_PREPARED record. */
    public long referencedPrepareLsn() {
        PayloadReader p = payload();
        p.branchId();
        return p.varint();
    }

    /** Receives one redo range: {@code data[dataOffset, dataOffset + length)} goes to {@code offset} of a segment. */
    @FunctionalInterface
    public interface RangeVisitor {
        /** One range. */
        void range(int segmentId, long offset, byte[] data, int dataOffset, int length);
    }

    /** A bounds-checked cursor over a payload. A malformed payload behind a good CRC is corruption. */
    public static final class PayloadReader {
        private final byte[] b;
        private int pos;
        private final int limit;
        private final long lsn;

        PayloadReader(byte[] b, int pos, int limit, long lsn) {
            this.b = b;
            this.pos = pos;
            this.limit = limit;
            this.lsn = lsn;
        }

        /** Reads an unsigned varint. */
        public long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= limit) {
                    throw malformed("varint runs past the payload");
                }
                byte x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
            }
            throw malformed("varint longer than 10 bytes");
        }

        /** Reads a varint length and checks it fits in the rest of the payload. */
        int length() {
            long n = varint();
            if (n < 0 || n > limit - pos) {
                throw malformed("length " + n + " runs past the payload");
            }
            return (int) n;
        }

        /** Skips {@code n} bytes, returning where they start. */
        int take(int n) {
            int at = pos;
            pos += n;
            return at;
        }

        /** Reads a length-prefixed branch id. */
        public BranchId branchId() {
            int n = length();
            byte[] id = new byte[n];
            System.arraycopy(b, take(n), id, 0, n);
            return BranchId.of(id);
        }

        private RvmException malformed(String what) {
            return new RvmException(ErrorCode.LOG_CORRUPT, "record at lsn " + lsn + " has a valid CRC but a malformed payload: " + what);
        }
    }
}
