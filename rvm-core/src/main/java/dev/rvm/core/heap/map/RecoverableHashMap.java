package dev.rvm.core.heap.map;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import dev.rvm.core.heap.RecoverableHeap;
import dev.rvm.core.internal.heap.HashTable;
import dev.rvm.core.internal.heap.HeapSpace;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A recoverable hash map on a {@link RecoverableHeap}, with keys and values of any length through {@link Codec}s.
 * Every change is made in the caller's transaction, so a map update commits atomically with the caller's other RVM
 * changes (and, through the resource adapter, with a database row), and is undone by its abort.
 *
 * <p>It grows by linear hashing: an insert that takes the map past one entry per bucket splits one bucket, so
 * growth is spread over inserts and no call rehashes the map. It can grow to the bucket count given at creation
 * (default {@value #DEFAULT_MAX_BUCKETS}); beyond, chains lengthen but every operation still works.
 *
 * <pre>{@code
 * RecoverableHashMap<String, Long> accounts =
 *         RecoverableHashMap.create(tx, heap, Codecs.STRING, Codecs.LONG);
 * heap.setRoot(tx, 0, accounts.address());          // to find it again after a restart
 * accounts.put(tx, "alice", 100L);
 * // later: RecoverableHashMap.open(heap, heap.root(0), Codecs.STRING, Codecs.LONG)
 * }</pre>
 *
 * <p>Thread-safe with range locks (the store's default). An operation locks its key's bucket until the
 * transaction ends: exclusively to change it, shared to read it ({@link #get(Transaction, Object)}), so
 * transactions on different buckets run at once and a transaction sees a consistent bucket. Methods given a
 * {@code null} transaction read without locks, which is only safe while no transaction changes the map.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class RecoverableHashMap<K, V> {
    /** The default largest bucket count. */
    public static final long DEFAULT_MAX_BUCKETS = 1L << 20;

    private final HashTable table;
    private final Codec<K> keys;
    private final Codec<V> values;

    private RecoverableHashMap(HashTable table, Codec<K> keys, Codec<V> values) {
        this.table = table;
        this.keys = Objects.requireNonNull(keys, "key codec");
        this.values = Objects.requireNonNull(values, "value codec");
    }

    /** Creates an empty map in {@code tx}, able to grow to {@value #DEFAULT_MAX_BUCKETS} buckets. */
    public static <K, V> RecoverableHashMap<K, V> create(Transaction tx, RecoverableHeap heap, Codec<K> keys,
            Codec<V> values) {
        return create(tx, heap, keys, values, DEFAULT_MAX_BUCKETS);
    }

    /**
     * Creates an empty map in {@code tx} that can grow to {@code maxBuckets} buckets (16..2^32). The buckets are
     * kept in segments of about the square root of {@code maxBuckets} (16..1024 buckets, 8 bytes each), found
     * through a directory of 8 bytes per segment; the map starts with one segment.
     */
    public static <K, V> RecoverableHashMap<K, V> create(Transaction tx, RecoverableHeap heap, Codec<K> keys,
            Codec<V> values, long maxBuckets) {
        return new RecoverableHashMap<>(HashTable.create(tx, space(heap), maxBuckets), keys, values);
    }

    /**
     * Opens the map created at {@code address} (see {@link #address()}).
     *
     * @throws RvmException {@code HEAP_CORRUPT} if no map is there
     */
    public static <K, V> RecoverableHashMap<K, V> open(RecoverableHeap heap, long address, Codec<K> keys,
            Codec<V> values) {
        return new RecoverableHashMap<>(HashTable.open(space(heap), address), keys, values);
    }

    /** Where the map lives in the heap: keep it (in a heap root) to {@link #open} the map again. */
    public long address() {
        return table.address();
    }

    /** The value of {@code key}, or null; with a transaction, under a shared lock on the key's bucket. */
    public V get(Transaction tx, K key) {
        byte[] v = table.get(tx, encodeKey(key), false);
        return v == null ? null : values.decode(v);
    }

    /**
     * The value of {@code key}, or null, with the key's bucket locked exclusively until {@code tx} ends (as
     * {@code SELECT ... FOR UPDATE}): lock the keys a transaction will change in a fixed order this way, and two
     * transactions changing the same keys queue instead of deadlocking on a shared-to-exclusive upgrade.
     */
    public V getForUpdate(Transaction tx, K key) {
        byte[] v = table.get(need(tx), encodeKey(key), true);
        return v == null ? null : values.decode(v);
    }

    /** True if the map holds {@code key}. */
    public boolean containsKey(Transaction tx, K key) {
        return table.get(tx, encodeKey(key), false) != null;
    }

    /**
     * Maps {@code key} to {@code value} in {@code tx}.
     *
     * @return true if the key was not in the map
     * @throws RvmException {@code HEAP_FULL} if the heap has no room for the entry
     */
    public boolean put(Transaction tx, K key, V value) {
        return table.put(need(tx), encodeKey(key), encode(values, value, "value"));
    }

    /** Removes {@code key} in {@code tx}; returns true if it was present. */
    public boolean remove(Transaction tx, K key) {
        return table.remove(need(tx), encodeKey(key));
    }

    /** Number of entries (read without locks: exact when no transaction changes the map). */
    public long size() {
        return table.size();
    }

    /** Buckets the map has now. */
    public long buckets() {
        return table.buckets();
    }

    /**
     * Calls {@code action} for every entry, bucket by bucket; with a transaction, each bucket is read under a shared
     * lock kept until the transaction ends.
     */
    public void forEach(Transaction tx, BiConsumer<? super K, ? super V> action) {
        table.forEach(tx, (k, v) -> action.accept(keys.decode(k), values.decode(v)));
    }

    private byte[] encodeKey(K key) {
        return encode(keys, key, "key");
    }

    private static <T> byte[] encode(Codec<T> codec, T value, String what) {
        if (value == null) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "a recoverable map holds no null " + what);
        }
        byte[] b = codec.encode(value);
        if (b == null) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "the " + what + " codec encoded " + value + " as null");
        }
        return b;
    }

    private static Transaction need(Transaction tx) {
        if (tx == null) {
            throw new RvmException(ErrorCode.NO_TRANSACTION, "a map change needs a transaction");
        }
        return tx;
    }

    /** The heap as the table sees it: the internal table does not depend on the public heap type. */
    private static HeapSpace space(RecoverableHeap heap) {
        return new HeapSpace() {
            @Override
            public Region region() {
                return heap.region();
            }

            @Override
            public long allocate(Transaction tx, long size) {
                return heap.allocate(tx, size);
            }

            @Override
            public void free(Transaction tx, long address) {
                heap.free(tx, address);
            }

            @Override
            public long usableSize(long address) {
                return heap.usableSize(address);
            }

            @Override
            public int homeArena(Transaction tx) {
                return heap.homeArena(tx);
            }
        };
    }
}
