package dev.rvm.core.internal.log;

/** Unsigned LEB128 variable-length integers, as used in record payloads. Stateless. */
public final class Varint {
    private Varint() {
    }

    /** Bytes needed to encode {@code v} (treated as unsigned). */
    public static int size(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    /** Encodes {@code v} at {@code b[i]}; returns the index after it. */
    public static int put(byte[] b, int i, long v) {
        while ((v & ~0x7FL) != 0) {
            b[i++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[i++] = (byte) v;
        return i;
    }
}
