package dev.rvm.core.heap;

import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import dev.rvm.core.heap.map.Codecs;
import dev.rvm.core.heap.map.RecoverableHashMap;
import dev.rvm.core.internal.heap.HashTable;
import dev.rvm.core.internal.heap.Heap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The model the heap tests judge by, and the structures it models: a map of string keys to byte values (against a
 * {@link java.util.HashMap}) and a table of {@value #SLOTS} raw heap blocks, each holding its size, a sequence
 * number and a fill derived from it (against a model of allocated blocks). Roots: 0 the map, 1 the block table.
 *
 * <p>{@link #read} rebuilds a model from a heap as found (after recovery, say) and {@link #problems} compares it
 * with a model, runs the heap's consistency walk and counts blocks: every block in use must be the block table,
 * a raw block, or a block of the map (header, directory, bucket segments, entries) — a leak shows as a surplus.
 * Immutable.
 *
 * @param map the map's entries; values as ISO-8859-1 strings so that equality is by content
 * @param blocks slot to {size, sequence}
 */
record HeapModel(Map<String, String> map, Map<Integer, List<Long>> blocks) {
    static final int SLOTS = 48;

    HeapModel {
        map = Map.copyOf(map);
        blocks = Map.copyOf(blocks);
    }

    static HeapModel empty() {
        return new HeapModel(Map.of(), Map.of());
    }

    /** The structures on a heap. Not thread-safe beyond what the heap and map are. */
    record Structures(Region region, RecoverableHeap heap, RecoverableHashMap<String, byte[]> map, long slots) {

        /** Formats a heap over {@code r} and creates the structures, in {@code tx}. */
        static Structures create(Transaction tx, Region r, int arenas, long maxBuckets) {
            RecoverableHeap heap = RecoverableHeap.format(tx, r, arenas);
            RecoverableHashMap<String, byte[]> map = RecoverableHashMap.create(tx, heap, Codecs.STRING, Codecs.BYTES,
                    maxBuckets);
            long slots = heap.allocate(tx, 8L * SLOTS);
            tx.setRange(r, slots, 8L * SLOTS);
            r.put(slots, new byte[8 * SLOTS], 0, 8 * SLOTS);
            heap.setRoot(tx, 0, map.address());
            heap.setRoot(tx, 1, slots);
            return new Structures(r, heap, map, slots);
        }

        /** Opens the structures a recovered region holds. */
        static Structures open(Region r) {
            RecoverableHeap heap = RecoverableHeap.open(r);
            return new Structures(r, heap, RecoverableHashMap.open(heap, heap.root(0), Codecs.STRING, Codecs.BYTES),
                    heap.root(1));
        }

        long slot(int i) {
            return region.getLong(slots + 8L * i);
        }

        /** Allocates a raw block of {@code size} bytes (at least 16) into slot {@code i}, filled for {@code seq}. */
        void allocate(Transaction tx, int i, long size, long seq) {
            long a = heap.allocate(tx, size);
            tx.setRange(region, a, size);
            region.putLong(a, size);
            region.putLong(a + 8, seq);
            region.put(a + 16, fill(size, seq), 0, (int) size - 16);
            tx.setRange(region, slots + 8L * i, 8);
            region.putLong(slots + 8L * i, a);
        }

        /** Frees the raw block of slot {@code i}. */
        void free(Transaction tx, int i) {
            heap.free(tx, slot(i));
            tx.setRange(region, slots + 8L * i, 8);
            region.putLong(slots + 8L * i, 0);
        }
    }

    static byte[] fill(long size, long seq) {
        byte[] b = new byte[(int) size - 16];
        for (int j = 0; j < b.length; j++) {
            b[j] = (byte) (seq * 7 + j);
        }
        return b;
    }

    static String text(byte[] value) {
        return new String(value, StandardCharsets.ISO_8859_1);
    }

    HeapModel put(String key, byte[] value) {
        Map<String, String> m = new HashMap<>(map);
        m.put(key, text(value));
        return new HeapModel(m, blocks);
    }

    HeapModel remove(String key) {
        Map<String, String> m = new HashMap<>(map);
        m.remove(key);
        return new HeapModel(m, blocks);
    }

    HeapModel allocated(int slot, long size, long seq) {
        Map<Integer, List<Long>> b = new HashMap<>(blocks);
        b.put(slot, List.of(size, seq));
        return new HeapModel(map, b);
    }

    HeapModel freed(int slot) {
        Map<Integer, List<Long>> b = new HashMap<>(blocks);
        b.remove(slot);
        return new HeapModel(map, b);
    }

    /** The model a heap holds now; content problems found while reading go to {@code problems}. */
    static HeapModel read(Structures s, List<String> problems) {
        Map<String, String> m = new HashMap<>();
        s.map().forEach(null, (k, v) -> {
            if (m.put(k, text(v)) != null) {
                problems.add("key " + k + " is in the map twice");
            }
        });
        Map<Integer, List<Long>> b = new HashMap<>();
        Set<Long> addresses = new HashSet<>();
        for (int i = 0; i < SLOTS; i++) {
            long a = s.slot(i);
            if (a == 0) {
                continue;
            }
            if (!addresses.add(a)) {
                problems.add("slot " + i + " holds block " + a + ", which another slot holds too");
            }
            try {
                long size = s.region().getLong(a);
                long seq = s.region().getLong(a + 8);
                if (s.heap().usableSize(a) < size) {
                    problems.add("slot " + i + ": block " + a + " is smaller than the " + size + " bytes written");
                }
                byte[] got = new byte[(int) size - 16];
                s.region().get(a + 16, got, 0, got.length);
                if (!Arrays.equals(got, fill(size, seq))) {
                    problems.add("slot " + i + ": block " + a + " does not hold the fill of sequence " + seq);
                }
                b.put(i, List.of(size, seq));
            } catch (RvmException e) {
                problems.add("slot " + i + ": " + e.getMessage());
            }
        }
        return new HeapModel(m, b);
    }

    /**
     * What is wrong with the structures compared with the models in {@code candidates} (they must equal one of
     * them exactly); empty when all is well. Also walks the heap and counts its blocks.
     */
    static List<String> problems(Structures s, List<HeapModel> candidates) {
        List<String> p = new ArrayList<>();
        HeapModel found = read(s, p);
        if (!candidates.contains(found)) {
            HeapModel last = candidates.get(candidates.size() - 1);
            List<String> each = new ArrayList<>();
            for (HeapModel c : candidates) {
                each.add("map " + (c.map.equals(found.map) ? "equal" : diff(found.map, c.map)) + ", blocks "
                        + (c.blocks.equals(found.blocks) ? "equal" : "differ"));
            }
            p.add("the heap holds none of the " + candidates.size() + " acceptable states (map " + found.map.size()
                    + " entries, " + found.blocks.size() + " blocks; against each: " + each + "); last blocks "
                    + last.blocks + ", found " + found.blocks);
        }
        HeapCheck check = s.heap().check();
        p.addAll(check.problems());
        HashTable t = HashTable.open(Heap.open(s.heap().region()), s.map().address()); // reads the table only
        long expected = 1 + found.blocks.size() + 2 + t.segments() + s.map().size() + check.deferredBlocks();
        if (check.blocksInUse() != expected) {
            p.add("blocks in use " + check.blocksInUse() + ", reachable " + expected + " (table, " + found.blocks.size()
                    + " raw, map header and directory, " + t.segments() + " segments, " + s.map().size() + " entries, "
                    + check.deferredBlocks() + " deferred frees)");
        }
        if (s.map().size() != found.map.size()) {
            p.add("map size() says " + s.map().size() + ", iteration found " + found.map.size());
        }
        HeapStatistics st = s.heap().statistics();
        if (st.bytesInUse() != check.bytesInUse() || st.freeBytes() != check.freeBytes()) {
            p.add("statistics " + st + " disagree with the walk " + check);
        }
        return p;
    }

    private static String diff(Map<String, String> found, Map<String, String> want) {
        List<String> d = new ArrayList<>();
        for (String k : want.keySet()) {
            if (!Objects.equals(found.get(k), want.get(k))) {
                d.add(k + (found.containsKey(k) ? " differs" : " missing"));
            }
        }
        for (String k : found.keySet()) {
            if (!want.containsKey(k)) {
                d.add(k + " extra");
            }
        }
        return d.size() > 6 ? d.subList(0, 6) + "..." : d.toString();
    }
}
