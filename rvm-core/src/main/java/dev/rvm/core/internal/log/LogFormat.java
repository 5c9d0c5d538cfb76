package dev.rvm.core.internal.log;

import java.util.zip.CRC32C;

/**
 * The on-disk layout of the log, in one place. The prose specification is {@code docs/FORMAT.md}; keep both in
 * step. All integers are little-endian.
 *
 * <pre>
 * file:   [status copy A: 4096][status copy B: 4096][record area: size - 8192, circular]
 * record: header (32 bytes) | payload | zero padding | reverse length (u32); total a multiple of 8
 *   0  u32 length      total bytes of the record (forward displacement)
 *   4  u32 crc         CRC32C of bytes [8, length)
 *   8  u64 lsn         log sequence number: logical byte position of the record; physical position is
 *                      RECORD_AREA + lsn mod capacity (a record may wrap past the end of the file)
 *  16  u32 store id    low 32 bits of the store id
 *  20  u32 epoch       incremented at every open; non-decreasing along the log
 *  24  u32 durableGap  lsn minus the durable end of the log when this record was written (saturating)
 *  28  u8  type        COMMIT, PREPARE, COMMIT_PREPARED, ROLLBACK_PREPARED
 *  29  u8  flags
 *  30  u16 reserved    zero
 * </pre>
 */
public final class LogFormat {
    /** "RVML": first four bytes of a status block. */
    public static final int STATUS_MAGIC = 0x4C4D5652;
    /** The format version written and read by this code. */
    public static final int VERSION = 1;
    /** Size of one status block copy. */
    public static final int STATUS_SIZE = 4096;
    /** File offset of the record area. */
    public static final int RECORD_AREA = 2 * STATUS_SIZE;
    /** Record header size. */
    public static final int HEADER_SIZE = 32;
    /** Reverse length at the end of every record. */
    public static final int TRAILER_SIZE = 4;
    /** Records are aligned to this many bytes. */
    public static final int ALIGN = 8;

    /** Offsets inside a record header. */
    public static final int H_LENGTH = 0;
    public static final int H_CRC = 4;
    public static final int H_LSN = 8;
    public static final int H_STORE = 16;
    public static final int H_EPOCH = 20;
    public static final int H_GAP = 24;
    public static final int H_TYPE = 28;
    public static final int H_FLAGS = 29;

    /** Record types. */
    public static final byte COMMIT = 1;
    public static final byte PREPARE = 2;
    public static final byte COMMIT_PREPARED = 3;
    public static final byte ROLLBACK_PREPARED = 4;

    /** Flag of a COMMIT record that holds several coalesced lazy commits. */
    public static final byte FLAG_GROUP = 1;
    /** Flag of a PREPARE record copied forward by truncation or recovery. */
    public static final byte FLAG_RELOGGED = 2;

    private LogFormat() {
    }

    /** Total record length for a payload of {@code payload} bytes. */
    public static int recordLength(int payload) {
        int raw = HEADER_SIZE + payload + TRAILER_SIZE;
        return (raw + ALIGN - 1) & -ALIGN;
    }

    /** A printable name of a record type. */
    public static String typeName(int type) {
        switch (type) {
            case COMMIT:
                return "COMMIT";
            case PREPARE:
                return "PREPARE";
            case COMMIT_PREPARED:
                return "COMMIT_PREPARED";
            case ROLLBACK_PREPARED:
                return "ROLLBACK_PREPARED";
            default:
                return "TYPE_" + type;
        }
    }

    /** CRC32C of {@code b[from, to)}. */
    public static int crc(byte[] b, int from, int to) {
        CRC32C c = new CRC32C();
        c.update(b, from, to - from);
        return (int) c.getValue();
    }

    /** Little-endian accessors on byte arrays. */
    public static int getInt(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }

    /** Little-endian long at {@code i}. */
    public static long getLong(byte[] b, int i) {
        return (getInt(b, i) & 0xFFFFFFFFL) | ((long) getInt(b, i + 4)) << 32;
    }

    /** Writes a little-endian int. */
    public static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }

    /** Writes a little-endian long. */
    public static void putLong(byte[] b, int i, long v) {
        putInt(b, i, (int) v);
        putInt(b, i + 4, (int) (v >>> 32));
    }
}
