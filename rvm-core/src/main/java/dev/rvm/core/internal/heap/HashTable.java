package dev.rvm.core.internal.heap;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * A recoverable hash table of byte-string keys and values on a recoverable heap ({@link HeapSpace}), grown by
 * linear hashing: when the table passes one entry per bucket, the transaction that inserted splits one bucket (the
 * one at the split pointer) into itself and a new one, so no call ever rehashes the whole table. Every change is
 * declared in the caller's transaction.
 *
 * <pre>
 * header block, {@value #HEADER} bytes: 0 magic "RVMHMAP1"  8 shape = level (bits 56..63) | split pointer
 *   16 directory address  24 directory slots (int)  28 buckets per segment S (int)  64 count stripes, 8 longs
 * directory: one long per segment of buckets (0 = not yet allocated); segment: S bucket heads
 * entry: 0 next entry  8 hash (int)  12 key length (int)  16 value length (int)  20 key, then value
 * </pre>
 * S is a power of two near the square root of the largest bucket count (16..1024), so the directory and a
 * segment are both small. Buckets: {@code S << level} plus {@code split}; key hash h is in bucket
 * {@code h mod (S << level)}, or {@code h mod (S << level + 1)} if that is below the split pointer.
 *
 * <p>Thread-safe with range locks: an operation locks its bucket head (exclusive to change, shared to read) and
 * re-checks the shape after the lock is granted; the entries of a bucket change only under its head's lock. The
 * count is striped by the caller's heap arena; a split locks the shape and the two buckets it touches, and is
 * skipped when another live transaction is splitting ({@link Claims}).
 */
public final class HashTable {
    /** "RVMHMAP1" little-endian. */
    static final long MAGIC = 0x31504D48_4D5652L;
    static final int HEADER = 128;
    private static final int MIN_SEGMENT = 16;
    private static final int MAX_SEGMENT = 1024;
    private static final int SHAPE = 8;
    private static final int DIRECTORY = 16;
    private static final int STRIPES_AT = 64;
    private static final int STRIPES = 8;
    private static final int ENTRY_HEADER = 20;
    /** Splits one transaction may make after an insert, so growth catches up after skipped splits. */
    private static final int MAX_SPLITS_PER_INSERT = 2;

    private final HeapSpace heap;
    private final Region r;
    private final long at;
    private final long directory;
    private final int slots;
    private final int segment;
    private final Claims splitter = new Claims(1);

    private HashTable(HeapSpace heap, long at) {
        this.heap = heap;
        this.r = heap.region();
        this.at = at;
        this.directory = r.getLong(at + DIRECTORY);
        this.slots = r.getInt(at + 24);
        this.segment = r.getInt(at + 28);
    }

    /** Creates an empty table able to grow to {@code maxBuckets} buckets (rounded up to whole segments). */
    public static HashTable create(Transaction tx, HeapSpace heap, long maxBuckets) {
        if (maxBuckets < MIN_SEGMENT || maxBuckets > (1L << 32)) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "maxBuckets must be " + MIN_SEGMENT + ".."
                    + (1L << 32) + ", got " + maxBuckets);
        }
        int segment = segmentFor(maxBuckets);
        int slots = (int) ((maxBuckets + segment - 1) / segment);
        Region r = heap.region();
        long h = heap.allocate(tx, HEADER);
        long dir = heap.allocate(tx, 8L * slots);
        long seg = zeroed(tx, heap, 8L * segment);
        tx.setRange(r, dir, 8L * slots);
        r.put(dir, new byte[8 * slots], 0, 8 * slots);
        r.putLong(dir, seg);
        tx.setRange(r, h, HEADER);
        r.put(h, new byte[HEADER], 0, HEADER);
        r.putLong(h, MAGIC);
        r.putLong(h + DIRECTORY, dir);
        r.putInt(h + 24, slots);
        r.putInt(h + 28, segment);
        return new HashTable(heap, h);
    }

    /** The power of two nearest below the square root of {@code maxBuckets}, within 16..1024. */
    static int segmentFor(long maxBuckets) {
        int log = (63 - Long.numberOfLeadingZeros(maxBuckets)) / 2;
        return Math.max(MIN_SEGMENT, Math.min(MAX_SEGMENT, 1 << log));
    }

    /** Opens the table whose header is at {@code address}. */
    public static HashTable open(HeapSpace heap, long address) {
        Region r = heap.region();
        int seg = address <= 0 || address > r.length() - HEADER ? 0 : r.getInt(address + 28);
        if (seg < MIN_SEGMENT || seg > MAX_SEGMENT || Integer.bitCount(seg) != 1 || r.getLong(address) != MAGIC) {
            throw new RvmException(ErrorCode.HEAP_CORRUPT, "no hash map at " + address + " in " + r);
        }
        return new HashTable(heap, address);
    }

    private static long zeroed(Transaction tx, HeapSpace heap, long size) {
        long a = heap.allocate(tx, size);
        tx.setRange(heap.region(), a, size);
        heap.region().put(a, new byte[(int) size], 0, (int) size);
        return a;
    }

    /** The header's address: what to keep (in a heap root, say) to open the table again. */
    public long address() {
        return at;
    }

    /** Entries (sum of the stripes; read without locks). */
    public long size() {
        long n = 0;
        for (int i = 0; i < STRIPES; i++) {
            n += r.getLong(at + STRIPES_AT + 8L * i);
        }
        return n;
    }

    /** Buckets per segment of the bucket array. */
    public int segmentBuckets() {
        return segment;
    }

    /** Segments of the bucket array allocated now (each a heap block). */
    public long segments() {
        return (buckets() + segment - 1) / segment;
    }

    /** Buckets now. */
    public long buckets() {
        long shape = r.getLong(at + SHAPE);
        return ((long) segment << level(shape)) + split(shape);
    }

    private static int level(long shape) {
        return (int) (shape >>> 56);
    }

    private static long split(long shape) {
        return shape & 0x00FF_FFFF_FFFF_FFFFL;
    }

    private long bucket(int hash, long shape) {
        long h = hash & 0xFFFF_FFFFL;
        long cap = (long) segment << level(shape);
        long b = h & (cap - 1);
        return b < split(shape) ? h & (2 * cap - 1) : b;
    }

    private long slotAt(long bucket) {
        return r.getLong(directory + 8 * (bucket / segment)) + 8 * (bucket % segment);
    }

    /** The hash of a key's bytes (32 bits, well mixed: linear hashing uses its low bits). */
    static int hash(byte[] key) {
        int h = Arrays.hashCode(key);
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }

    /**
     * Locks the head of the key's bucket and returns its address, re-locating if a split moved the key meanwhile.
     * Without a transaction nothing is locked.
     */
    private long lockBucket(Transaction tx, int hash, boolean exclusive) {
        while (true) {
            long shape = r.getLong(at + SHAPE);
            long b = bucket(hash, shape);
            long slot = slotAt(b);
            if (tx == null) {
                return slot;
            }
            if (exclusive) {
                tx.setRange(r, slot, 8);
            } else {
                tx.lockShared(r, slot, 8);
            }
            if (r.getLong(at + SHAPE) == shape && slotAt(b) == slot) {
                return slot;
            }
        }
    }

    /** The entry of {@code key} in the chain from {@code slot}, or 0; {@code prev[0]} gets its predecessor link. */
    private long find(long slot, byte[] key, int hash, long[] prevLink) {
        long link = slot;
        for (long e = r.getLong(slot); e != 0; e = r.getLong(e)) {
            if (r.getInt(e + 8) == hash && r.getInt(e + 12) == key.length && keyEquals(e, key)) {
                if (prevLink != null) {
                    prevLink[0] = link;
                }
                return e;
            }
            link = e;
        }
        return 0;
    }

    private boolean keyEquals(long e, byte[] key) {
        byte[] stored = new byte[key.length];
        r.get(e + ENTRY_HEADER, stored, 0, key.length);
        return Arrays.equals(stored, key);
    }

    /**
     * The value bytes of {@code key}, or null; with {@code tx}, under a lock on the bucket: shared, or exclusive
     * if {@code forUpdate}.
     */
    public byte[] get(Transaction tx, byte[] key, boolean forUpdate) {
        int h = hash(key);
        long e = find(lockBucket(tx, h, forUpdate), key, h, null);
        if (e == 0) {
            return null;
        }
        byte[] v = new byte[r.getInt(e + 16)];
        r.get(e + ENTRY_HEADER + key.length, v, 0, v.length);
        return v;
    }

    /** Puts {@code key -> value} in {@code tx}; returns true if the key was new. */
    public boolean put(Transaction tx, byte[] key, byte[] value) {
        int h = hash(key);
        long slot = lockBucket(tx, h, true);
        long[] prev = new long[1];
        long e = find(slot, key, h, prev);
        long need = ENTRY_HEADER + (long) key.length + value.length;
        if (e != 0 && heap.usableSize(e) >= need) {
            // Two ranges: the key bytes in between do not change and need not be logged.
            tx.setRange(r, e + 16, 4);
            r.putInt(e + 16, value.length);
            if (value.length > 0) { // the engine checks even an empty put against the declared ranges
                tx.setRange(r, e + ENTRY_HEADER + key.length, value.length);
                r.put(e + ENTRY_HEADER + key.length, value, 0, value.length);
            }
            return false;
        }
        long n = heap.allocate(tx, need);
        tx.setRange(r, n, need);
        r.putLong(n, e != 0 ? r.getLong(e) : r.getLong(slot));
        r.putInt(n + 8, h);
        r.putInt(n + 12, key.length);
        r.putInt(n + 16, value.length);
        r.put(n + ENTRY_HEADER, key, 0, key.length);
        r.put(n + ENTRY_HEADER + key.length, value, 0, value.length);
        if (e != 0) {
            link(tx, prev[0], n);
            heap.free(tx, e);
            return false;
        }
        link(tx, slot, n);
        count(tx, 1);
        maybeSplit(tx);
        return true;
    }

    /** Removes {@code key} in {@code tx}; returns true if it was present. */
    public boolean remove(Transaction tx, byte[] key) {
        int h = hash(key);
        long slot = lockBucket(tx, h, true);
        long[] prev = new long[1];
        long e = find(slot, key, h, prev);
        if (e == 0) {
            return false;
        }
        link(tx, prev[0], r.getLong(e));
        heap.free(tx, e);
        count(tx, -1);
        return true;
    }

    private void link(Transaction tx, long linkAt, long target) {
        tx.setRange(r, linkAt, 8);
        r.putLong(linkAt, target);
    }

    private void count(Transaction tx, long delta) {
        long s = at + STRIPES_AT + 8L * (heap.homeArena(tx) % STRIPES);
        tx.setRange(r, s, 8);
        r.putLong(s, r.getLong(s) + delta);
    }

    private void maybeSplit(Transaction tx) {
        for (int i = 0; i < MAX_SPLITS_PER_INSERT; i++) {
            long buckets = buckets();
            if (size() <= buckets || buckets >= (long) slots * segment || !splitter.freeFor(tx, 0)) {
                return;
            }
            splitter.held(tx, 0);
            tx.setRange(r, at + SHAPE, 8);
            splitOne(tx);
        }
    }

    /** Splits the bucket at the split pointer; the shape is locked by {@code tx}. */
    private void splitOne(Transaction tx) {
        long shape = r.getLong(at + SHAPE);
        int level = level(shape);
        long s = split(shape);
        long cap = (long) segment << level;
        long target = s + cap;
        if (target >= (long) slots * segment) {
            return;
        }
        long dirSlot = directory + 8 * (target / segment);
        if (r.getLong(dirSlot) == 0) {
            long seg = zeroed(tx, heap, 8L * segment);
            link(tx, dirSlot, seg);
        }
        long from = slotAt(s);
        long to = slotAt(target);
        tx.setRange(r, from, 8);
        tx.setRange(r, to, 8);
        long keep = 0;
        long move = 0;
        long e = r.getLong(from);
        while (e != 0) {
            long next = r.getLong(e);
            boolean moves = ((r.getInt(e + 8) & 0xFFFF_FFFFL) & (2 * cap - 1)) != s;
            link(tx, e, moves ? move : keep);
            if (moves) {
                move = e;
            } else {
                keep = e;
            }
            e = next;
        }
        r.putLong(from, keep);
        r.putLong(to, move);
        long next = s + 1 == cap ? (long) (level + 1) << 56 : (long) level << 56 | (s + 1);
        r.putLong(at + SHAPE, next);
    }

    /** Calls {@code action} with every key and value; with {@code tx}, each bucket under a shared lock. */
    public void forEach(Transaction tx, BiConsumer<byte[], byte[]> action) {
        long buckets = buckets();
        for (long b = 0; b < buckets; b++) {
            long slot = slotAt(b);
            if (tx != null) {
                tx.lockShared(r, slot, 8);
            }
            for (long e = r.getLong(slot); e != 0; e = r.getLong(e)) {
                byte[] k = new byte[r.getInt(e + 12)];
                byte[] v = new byte[r.getInt(e + 16)];
                r.get(e + ENTRY_HEADER, k, 0, k.length);
                r.get(e + ENTRY_HEADER + k.length, v, 0, v.length);
                action.accept(k, v);
            }
        }
    }
}
