package dev.rvm.core;

/**
 * A mapped region: a copy in memory of bytes {@code [offset(), offset() + length())} of a segment — the paper's
 * {@code rvm_map}. Offsets given to the accessors are relative to the start of the region.
 *
 * <p><b>Writes are checked.</b> Every {@code put} must fall inside a range that the calling thread's transaction
 * declared with {@link Transaction#setRange}; otherwise it throws {@link ErrorCode#RANGE_NOT_DECLARED} (or
 * {@link ErrorCode#NO_TRANSACTION}) and memory is unchanged. A forgotten {@code set_range} can therefore never
 * silently lose data after a crash. Reads are unchecked and see the current bytes, including uncommitted changes
 * of other transactions, as in the paper; use {@link Transaction#lockShared} for a consistent read.
 *
 * <p>Multi-byte values are little-endian. Thread-safe: many threads may read and write disjoint ranges at once.
 */
public interface Region {

    /** The segment this region maps. */
    String segment();

    /** Offset of the region in its segment. */
    long offset();

    /** Length of the region in bytes (may exceed 2 GiB). */
    long length();

    /** False once unmapped or once the store is closed. */
    boolean isMapped();

    /** Reads one byte. */
    byte getByte(long offset);

    /** Reads a little-endian int. */
    int getInt(long offset);

    /** Reads a little-endian long. */
    long getLong(long offset);

    /** Copies {@code length} bytes at {@code offset} into {@code dst[dstOffset..]}. */
    void get(long offset, byte[] dst, int dstOffset, int length);

    /** Writes one byte inside a declared range. */
    void putByte(long offset, byte value);

    /** Writes a little-endian int inside a declared range. */
    void putInt(long offset, int value);

    /** Writes a little-endian long inside a declared range. */
    void putLong(long offset, long value);

    /** Copies {@code src[srcOffset..srcOffset+length)} to {@code offset} inside a declared range. */
    void put(long offset, byte[] src, int srcOffset, int length);
}
