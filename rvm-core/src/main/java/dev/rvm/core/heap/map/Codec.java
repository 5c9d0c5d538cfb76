package dev.rvm.core.heap.map;

/**
 * Turns keys or values of a {@link RecoverableHashMap} into bytes and back. Keys are compared and hashed by their
 * encoded bytes, so a key codec must be canonical: equal keys give equal bytes. {@link Codecs} has the usual ones;
 * an application writes its own for its types.
 *
 * <p>Implementations must be thread-safe (the map calls them from many threads); stateless ones are.
 *
 * @param <T> the Java type
 */
public interface Codec<T> {

    /** The bytes of {@code value}; never null (a map holds no null keys or values). */
    byte[] encode(T value);

    /** The value of bytes this codec encoded. */
    T decode(byte[] bytes);
}
