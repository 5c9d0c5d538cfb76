package dev.rvm.core.internal.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The bytes of a region, on the heap, in chunks of up to 1 GiB so that a region may exceed 2 GiB. Accessors do
 * no checking beyond the JVM's own; callers check bounds. Thread-safety is the caller's: concurrent access to
 * disjoint bytes is safe, visibility comes from the locks that order transactions.
 */
public final class Memory {
    private static final int CHUNK_SHIFT = 30;
    private static final long CHUNK = 1L << CHUNK_SHIFT;
    private static final long MASK = CHUNK - 1;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[][] chunks;
    private final long length;

    /** Zero-filled memory of {@code length} bytes. */
    public Memory(long length) {
        this.length = length;
        int n = (int) ((length + CHUNK - 1) >>> CHUNK_SHIFT);
        chunks = new byte[Math.max(n, 1)][];
        for (int i = 0; i < n; i++) {
            chunks[i] = new byte[(int) Math.min(CHUNK, length - ((long) i << CHUNK_SHIFT))];
        }
        if (n == 0) {
            chunks[0] = new byte[0];
        }
    }

    /** Length in bytes. */
    public long length() {
        return length;
    }

    /** One byte. */
    public byte getByte(long at) {
        return chunks[(int) (at >>> CHUNK_SHIFT)][(int) (at & MASK)];
    }

    /** Stores one byte. */
    public void putByte(long at, byte v) {
        chunks[(int) (at >>> CHUNK_SHIFT)][(int) (at & MASK)] = v;
    }

    /** Little-endian long. */
    public long getLong(long at) {
        int c = (int) (at >>> CHUNK_SHIFT);
        int i = (int) (at & MASK);
        byte[] chunk = chunks[c];
        if (i + 8 <= chunk.length) {
            return (long) LONGS.get(chunk, i);
        }
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = (v << 8) | (getByte(at + k) & 0xFF);
        }
        return v;
    }

    /** Stores a little-endian long. */
    public void putLong(long at, long v) {
        int c = (int) (at >>> CHUNK_SHIFT);
        int i = (int) (at & MASK);
        byte[] chunk = chunks[c];
        if (i + 8 <= chunk.length) {
            LONGS.set(chunk, i, v);
            return;
        }
        for (int k = 0; k < 8; k++) {
            putByte(at + k, (byte) (v >>> (8 * k)));
        }
    }

    /** Little-endian int. */
    public int getInt(long at) {
        int c = (int) (at >>> CHUNK_SHIFT);
        int i = (int) (at & MASK);
        byte[] chunk = chunks[c];
        if (i + 4 <= chunk.length) {
            return (int) INTS.get(chunk, i);
        }
        int v = 0;
        for (int k = 3; k >= 0; k--) {
            v = (v << 8) | (getByte(at + k) & 0xFF);
        }
        return v;
    }

    /** Stores a little-endian int. */
    public void putInt(long at, int v) {
        int c = (int) (at >>> CHUNK_SHIFT);
        int i = (int) (at & MASK);
        byte[] chunk = chunks[c];
        if (i + 4 <= chunk.length) {
            INTS.set(chunk, i, v);
            return;
        }
        for (int k = 0; k < 4; k++) {
            putByte(at + k, (byte) (v >>> (8 * k)));
        }
    }

    /** Copies {@code len} bytes at {@code at} into {@code dst[off..]}. */
    public void get(long at, byte[] dst, int off, int len) {
        while (len > 0) {
            int c = (int) (at >>> CHUNK_SHIFT);
            int i = (int) (at & MASK);
            int n = Math.min(len, chunks[c].length - i);
            System.arraycopy(chunks[c], i, dst, off, n);
            at += n;
            off += n;
            len -= n;
        }
    }

    /** Copies {@code src[off, off+len)} to {@code at}. */
    public void put(long at, byte[] src, int off, int len) {
        while (len > 0) {
            int c = (int) (at >>> CHUNK_SHIFT);
            int i = (int) (at & MASK);
            int n = Math.min(len, chunks[c].length - i);
            System.arraycopy(src, off, chunks[c], i, n);
            at += n;
            off += n;
            len -= n;
        }
    }
}
