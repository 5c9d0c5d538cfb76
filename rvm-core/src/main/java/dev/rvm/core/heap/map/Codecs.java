package dev.rvm.core.heap.map;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The built-in codecs: {@link #STRING} (UTF-8), {@link #LONG} (8 bytes, little-endian), {@link #BYTES} (the bytes
 * themselves, copied), and {@link #of} for a user codec from two functions. All are stateless and thread-safe.
 */
public final class Codecs {
    /** A string as UTF-8. */
    public static final Codec<String> STRING = of(s -> s.getBytes(StandardCharsets.UTF_8),
            b -> new String(b, StandardCharsets.UTF_8));

    /** A long as 8 little-endian bytes. */
    public static final Codec<Long> LONG = new Codec<>() {
        @Override
        public byte[] encode(Long value) {
            long v = value;
            byte[] b = new byte[8];
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (v >>> (8 * i));
            }
            return b;
        }

        @Override
        public Long decode(byte[] b) {
            if (b.length != 8) {
                throw new RvmException(ErrorCode.HEAP_CORRUPT, "a long value must have 8 bytes, found " + b.length);
            }
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = v << 8 | (b[i] & 0xFF);
            }
            return v;
        }
    };

    /** Bytes as they are (copied both ways, so the caller's array is never shared with the map). */
    public static final Codec<byte[]> BYTES = of(byte[]::clone, byte[]::clone);

    private Codecs() {
    }

    /** A codec from an encoding and a decoding function (which must be thread-safe). */
    public static <T> Codec<T> of(Function<T, byte[]> encode, Function<byte[], T> decode) {
        return new Codec<>() {
            @Override
            public byte[] encode(T value) {
                return encode.apply(value);
            }

            @Override
            public T decode(byte[] bytes) {
                return decode.apply(bytes);
            }
        };
    }
}
