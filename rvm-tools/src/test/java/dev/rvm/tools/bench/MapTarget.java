package dev.rvm.tools.bench;

/**
 * A persistent map of long keys to long values as the map benchmark drives it: the RVM map or H2's MVMap. Each
 * call is one operation of one thread; implementations are thread-safe.
 */
interface MapTarget extends AutoCloseable {

    /** Puts {@code key -> value}; durable on return if {@code flush}, else made durable by {@link #sync()}. */
    void put(long key, long value, boolean flush);

    /** The value of {@code key}, read as the target's consistent read does it. */
    Long get(long key);

    /** The value of {@code key} read without a transaction (RVM: no lock; valid only with no writer running). */
    default Long getWithoutTransaction(long key) {
        return get(key);
    }

    /** Makes every earlier put durable. */
    void sync();

    /** Bytes the entries take, where the target keeps them (the RVM heap, or MVStore's file). */
    long bytesUsed();

    /** Where {@link #bytesUsed()} is measured, for the output. */
    String bytesWhere();

    @Override
    void close();
}
