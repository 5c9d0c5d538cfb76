package dev.rvm.core.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.testing.KilledChild;
import dev.rvm.core.testing.QuietLogs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM running {@link HeapChild} (three threads of map and block transactions on one heap) with
 * SIGKILL at random moments, reopens the store after each kill and requires the map and blocks to equal exactly
 * what the acknowledgements allow: for each thread, every commit that returned, plus possibly the one it was
 * committing; and the heap walk to be consistent with every block in use reachable. The store is reused across
 * cycles, so recovered stores are recovered again; some kills land during the child's own recovery.
 *
 * <p>Cycles: system property {@code rvm.heapKillCycles} (default 60).
 */
class HeapKillChildJvmTest {
    static {
        QuietLogs.install();
    }

    private static final int CYCLES = Integer.getInteger("rvm.heapKillCycles", 60);
    private static final long SEED = Long.getLong("rvm.killSeed", System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void mapAndHeapHoldExactlyTheAcknowledgedCommitsAfterRepeatedSigkill() throws Exception {
        Path store = dir.resolve("store");
        HeapChild.initialize(store);
        Random random = new Random(SEED);
        List<HeapModel> perThread = new ArrayList<>();
        for (int t = 0; t < HeapChild.THREADS; t++) {
            perThread.add(HeapModel.empty());
        }
        long t0 = System.nanoTime();
        int acknowledged = 0;
        int inFlightPresent = 0;
        long deferredFound = 0;
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            String where = "cycle " + cycle + " (rvm.killSeed=" + SEED + ")";
            boolean early = random.nextInt(10) == 0;
            List<String> lines = KilledChild.runAndKill(dir, cycle, HeapChild.class.getName(),
                    List.of(store.toString(), Integer.toString(cycle), Long.toString(random.nextLong())), early,
                    early ? random.nextInt(600) : 50 + random.nextInt(400), where);
            List<List<HeapModel>> options = new ArrayList<>();
            for (int t = 0; t < HeapChild.THREADS; t++) {
                String pending = null;
                HeapModel m = perThread.get(t);
                for (String line : lines) {
                    if (line.startsWith("B " + t + " ")) {
                        pending = line.substring(("B " + t + " ").length());
                    } else if (line.equals("C " + t)) {
                        m = apply(m, pending);
                        pending = null;
                        acknowledged++;
                    }
                }
                options.add(pending == null ? List.of(m) : List.of(m, apply(m, pending)));
            }
            List<HeapModel> candidates = combine(options);
            try (RecoverableMemory rvm = RecoverableMemory.open(HeapChild.options(store))) {
                HeapModel.Structures s = HeapModel.Structures.open(rvm.map(HeapWorkload.SEGMENT, 0, HeapChild.SIZE));
                assertEquals(List.of(), HeapModel.problems(s, candidates), where);
                deferredFound += s.heap().check().deferredBlocks();
                HeapModel found = HeapModel.read(s, new ArrayList<>());
                for (int t = 0; t < HeapChild.THREADS; t++) {
                    HeapModel chosen = options.get(t).get(options.get(t).size() - 1);
                    if (options.get(t).size() > 1 && ownPart(found, t).equals(ownPart(chosen, t))) {
                        inFlightPresent++;
                        perThread.set(t, chosen);
                    } else {
                        perThread.set(t, options.get(t).get(0));
                    }
                }
            }
        }
        System.out.printf("HeapKillChildJvmTest: %d SIGKILL cycles in %d s, %d acknowledged commits checked, %d"
                + " in-flight commits found present, %d deferred frees found after recovery, seed %d%n", CYCLES,
                (System.nanoTime() - t0) / 1_000_000_000L, acknowledged, inFlightPresent, deferredFound, SEED);
    }

    /** The part of a model that belongs to thread {@code t}: its keys and its slots. */
    private static HeapModel ownPart(HeapModel m, int t) {
        Map<String, String> map = new HashMap<>();
        m.map().forEach((k, v) -> {
            if (k.startsWith("t" + t + "-")) {
                map.put(k, v);
            }
        });
        Map<Integer, List<Long>> blocks = new HashMap<>();
        m.blocks().forEach((slot, b) -> {
            if (slot / HeapChild.slotsPerThread() == t) {
                blocks.put(slot, b);
            }
        });
        return new HeapModel(map, blocks);
    }

    /** Every union of one option per thread (threads change disjoint keys and slots). */
    private static List<HeapModel> combine(List<List<HeapModel>> options) {
        List<HeapModel> out = List.of(HeapModel.empty());
        for (int t = 0; t < options.size(); t++) {
            List<HeapModel> next = new ArrayList<>();
            for (HeapModel partial : out) {
                for (HeapModel o : options.get(t)) {
                    HeapModel own = ownPart(o, t);
                    Map<String, String> map = new HashMap<>(partial.map());
                    map.putAll(own.map());
                    Map<Integer, List<Long>> blocks = new HashMap<>(partial.blocks());
                    blocks.putAll(own.blocks());
                    next.add(new HeapModel(map, blocks));
                }
            }
            out = next;
        }
        return out;
    }

    private static HeapModel apply(HeapModel m, String ops) {
        for (String op : ops.split(";")) {
            String[] f = op.split(" ", -1);
            m = switch (f[0]) {
                case "P" -> m.put(f[1], HexFormat.of().parseHex(f[2]));
                case "D" -> m.remove(f[1]);
                case "A" -> m.allocated(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
                case "F" -> m.freed(Integer.parseInt(f[1]));
                default -> throw new AssertionError("bad op " + op);
            };
        }
        return m;
    }
}
