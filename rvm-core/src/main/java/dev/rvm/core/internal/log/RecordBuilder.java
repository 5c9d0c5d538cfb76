package dev.rvm.core.internal.log;

import dev.rvm.core.BranchId;
import java.util.Arrays;

/**
 * Builds one record's bytes: payload first, header fields that depend on the log position
 * ({@code lsn}, epoch, durable gap, CRC) last, by {@link #seal}. Not thread-safe; reusable after {@link #reset}.
 */
public final class RecordBuilder implements RangeSink {
    private byte[] buf = new byte[256];
    private int pos;
    private byte type;
    private byte flags;

    /** Starts a record of the given type. */
    public RecordBuilder reset(byte recordType, byte recordFlags) {
        this.type = recordType;
        this.flags = recordFlags;
        this.pos = LogFormat.HEADER_SIZE;
        return this;
    }

    /** Appends an unsigned varint. */
    public RecordBuilder varint(long v) {
        ensure(10);
        pos = Varint.put(buf, pos, v);
        return this;
    }

    /** Appends raw bytes. */
    public RecordBuilder bytes(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, buf, pos, len);
        pos += len;
        return this;
    }

    /** Appends a length-prefixed branch id. */
    public RecordBuilder branchId(BranchId id) {
        byte[] b = id.toBytes();
        varint(b.length);
        return bytes(b, 0, b.length);
    }

    /** Appends a range header and reserves room for its data, returning where the data goes. */
    @Override
    public int slot(int segmentId, long offset, int length) {
        ensure(30 + length); // one check for the three varints (at most 10 bytes each) and the data
        int p = Varint.put(buf, pos, segmentId);
        p = Varint.put(buf, p, offset);
        int at = Varint.put(buf, p, length);
        pos = at + length;
        return at;
    }

    /** The buffer the range data is copied into; valid until the next append. */
    @Override
    public byte[] buffer() {
        return buf;
    }

    /** Length the sealed record will have. */
    public int sealedLength() {
        return LogFormat.recordLength(pos - LogFormat.HEADER_SIZE);
    }

    /** Payload bytes so far. */
    public int payloadLength() {
        return pos - LogFormat.HEADER_SIZE;
    }

    /** Record type being built. */
    public byte type() {
        return type;
    }

    /**
     * Completes the record for position {@code lsn}: padding, trailer, header, CRC. Returns its length; the bytes
     * are {@code buffer()[0, length)}.
     */
    public int seal(long lsn, int storeIdLow, int epoch, long durableEnd) {
        int len = sealedLength();
        ensure(len - pos);
        Arrays.fill(buf, pos, len - LogFormat.TRAILER_SIZE, (byte) 0);
        LogFormat.putInt(buf, len - LogFormat.TRAILER_SIZE, len);
        LogFormat.putInt(buf, LogFormat.H_LENGTH, len);
        LogFormat.putLong(buf, LogFormat.H_LSN, lsn);
        LogFormat.putInt(buf, LogFormat.H_STORE, storeIdLow);
        LogFormat.putInt(buf, LogFormat.H_EPOCH, epoch);
        long gap = lsn - durableEnd;
        LogFormat.putInt(buf, LogFormat.H_GAP, (int) Math.min(Math.max(gap, 0), 0xFFFFFFFFL));
        buf[LogFormat.H_TYPE] = type;
        buf[LogFormat.H_FLAGS] = flags;
        buf[30] = 0;
        buf[31] = 0;
        LogFormat.putInt(buf, LogFormat.H_CRC, LogFormat.crc(buf, 8, len));
        return len;
    }

    private void ensure(int n) {
        if (pos + n + LogFormat.ALIGN + LogFormat.TRAILER_SIZE > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n + 64));
        }
    }
}
