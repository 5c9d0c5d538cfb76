package dev.rvm.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The identity of a two-phase commit branch: opaque bytes chosen by the caller (the resource adapter encodes an
 * XA {@code Xid} into it). Immutable and thread-safe.
 */
public final class BranchId {
    /** Longest accepted id: an XA Xid encodes into at most 4 + 1 + 64 + 1 + 64 bytes. */
    public static final int MAX_LENGTH = 255;

    private final byte[] bytes;

    private BranchId(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Creates an id from a copy of {@code bytes}.
     *
     * @throws RvmException {@link ErrorCode#ILLEGAL_ARGUMENT} if empty or longer than {@link #MAX_LENGTH}
     */
    public static BranchId of(byte[] bytes) {
        if (bytes == null || bytes.length == 0 || bytes.length > MAX_LENGTH) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT,
                    "branch id must be 1.." + MAX_LENGTH + " bytes, got " + (bytes == null ? "null" : bytes.length));
        }
        return new BranchId(bytes.clone());
    }

    /** Creates an id from the UTF-8 bytes of {@code text}. */
    public static BranchId of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the id's bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Number of bytes. */
    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BranchId && Arrays.equals(bytes, ((BranchId) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Hex form, as tools print it. */
    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
