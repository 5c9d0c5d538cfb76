package dev.rvm.core.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rvm.core.BranchId;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.testing.KilledChild;
import dev.rvm.core.testing.QuietLogs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM running {@link BankChild} with SIGKILL ({@link Process#destroyForcibly()}) at random moments,
 * reopens the store in this JVM after each kill, and checks: the sum of the balances is unchanged; every transfer
 * whose FLUSH commit (one-phase) or commitPrepared (two-phase) returned is present; a rolled-back transfer is not;
 * every branch prepared without an outcome started is in doubt, and resolving the branches in doubt keeps the
 * invariant. The same store directory is reused across cycles, so recovery of recovered stores is exercised, and
 * some kills land during the child's own recovery.
 *
 * <p>Cycles per mode: system property {@code rvm.killCycles} (default 200).
 */
class KillChildJvmTest {
    static {
        QuietLogs.install();
    }

    private static final int CYCLES = Integer.getInteger("rvm.killCycles", 200);
    private static final long SEED = Long.getLong("rvm.killSeed", System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void onePhaseTransfersSurviveRepeatedSigkill() throws Exception {
        run(false);
    }

    @Test
    void twoPhaseBranchesAreCommittedRolledBackOrInDoubtAfterRepeatedSigkill() throws Exception {
        run(true);
    }

    private void run(boolean twoPhase) throws Exception {
        Path store = dir.resolve("store");
        BankChild.initialize(store);
        Random random = new Random(SEED);
        long t0 = System.nanoTime();
        int killedBeforeReady = 0;
        long acknowledged = 0;
        long inDoubtSeen = 0;
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            String where = (twoPhase ? "two-phase" : "one-phase") + " cycle " + cycle + " (rvm.killSeed=" + SEED + ")";
            long[] base = seqSlots(store);
            boolean early = random.nextInt(10) == 0;
            List<String> lines = runAndKill(store, twoPhase, cycle, random.nextLong(), early,
                    early ? random.nextInt(600) : 20 + random.nextInt(300), where);
            if (early && !lines.contains("READY")) {
                killedBeforeReady++;
            }
            try (RecoverableMemory rvm = RecoverableMemory.open(BankChild.options(store))) {
                Region r = rvm.map(BankChild.SEGMENT, 0, BankChild.REGION_SIZE);
                assertEquals(BankChild.ACCOUNTS * BankChild.INITIAL, sum(r), where + ": sum of balances after recovery");
                if (twoPhase) {
                    inDoubtSeen += checkTwoPhase(rvm, r, lines, base, cycle, random, where);
                } else {
                    acknowledged += checkOnePhase(r, lines, base, where);
                }
                assertEquals(BankChild.ACCOUNTS * BankChild.INITIAL, sum(r), where + ": sum after resolving");
            }
        }
        System.out.printf("KillChildJvmTest %s: %d SIGKILL cycles in %d s (%d killed before READY), %d acknowledged"
                + " commits checked, %d branches found in doubt, seed %d%n", twoPhase ? "two-phase" : "one-phase",
                CYCLES, (System.nanoTime() - t0) / 1_000_000_000L, killedBeforeReady, acknowledged, inDoubtSeen, SEED);
    }

    private List<String> runAndKill(Path store, boolean twoPhase, int cycle, long seed, boolean early, int delayMs,
            String where) throws Exception {
        return KilledChild.runAndKill(dir, cycle, BankChild.class.getName(), List.of(store.toString(),
                twoPhase ? "two" : "one", Long.toString(cycle), Long.toString(seed)), early, delayMs, where);
    }

    private static List<String> tail(List<String> lines, String containing, int n) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (l.contains(containing)) {
                out.add(l);
            }
        }
        return out.subList(Math.max(0, out.size() - n), out.size());
    }

    private static long[] seqSlots(Path store) {
        try (RecoverableMemory rvm = RecoverableMemory.open(BankChild.options(store))) {
            Region r = rvm.map(BankChild.SEGMENT, 0, BankChild.REGION_SIZE);
            long[] s = new long[BankChild.THREADS];
            for (int t = 0; t < s.length; t++) {
                s[t] = r.getLong(BankChild.SEQ_AT + t * 8L);
            }
            return s;
        }
    }

    private static long sum(Region r) {
        long s = 0;
        for (int a = 0; a < BankChild.ACCOUNTS; a++) {
            s += r.getLong(a * 8L);
        }
        return s;
    }

    private static int checkOnePhase(Region r, List<String> lines, long[] base, String where) {
        long[] acked = base.clone();
        int n = 0;
        for (String line : lines) {
            if (line.startsWith("A ")) {
                String[] f = line.split(" ");
                int t = Integer.parseInt(f[1]);
                acked[t] = Math.max(acked[t], Long.parseLong(f[2]));
                n++;
            }
        }
        for (int t = 0; t < BankChild.THREADS; t++) {
            long got = r.getLong(BankChild.SEQ_AT + t * 8L);
            assertTrue(got >= acked[t], where + ": thread " + t + " had transfer " + acked[t]
                    + " acknowledged (FLUSH commit returned) but the store holds only up to " + got);
        }
        return n;
    }

    private static int checkTwoPhase(RecoverableMemory rvm, Region r, List<String> lines, long[] base, int cycle,
            Random random, String where) {
        Map<String, Set<String>> seen = new HashMap<>();
        for (String line : lines) {
            int sp = line.indexOf(' ');
            if (sp > 0) {
                seen.computeIfAbsent(line.substring(sp + 1), k -> new HashSet<>()).add(line.substring(0, sp));
            }
        }
        List<BranchId> inDoubt = rvm.inDoubt();
        Set<String> doubted = new HashSet<>();
        for (BranchId id : inDoubt) {
            String name = new String(id.toBytes(), StandardCharsets.UTF_8);
            doubted.add(name);
            assertTrue(name.startsWith("c" + cycle + "-"), where + ": " + name
                    + " is in doubt but belongs to another cycle (resolved before)");
            Set<String> s = seen.getOrDefault(name, Set.of());
            assertTrue(!s.contains("C") && !s.contains("R"), where + ": " + name + " is in doubt after its outcome "
                    + s + " returned");
        }
        long[] committedAtLeast = base.clone();
        for (Map.Entry<String, Set<String>> e : seen.entrySet()) {
            Set<String> s = e.getValue();
            if (!s.contains("P")) {
                continue;
            }
            String name = e.getKey();
            int t = Integer.parseInt(name.substring(name.indexOf("-t") + 2, name.lastIndexOf('-')));
            long n = Long.parseLong(name.substring(name.lastIndexOf('-') + 1));
            long slot = r.getLong(BankChild.SEQ_AT + t * 8L);
            if (s.contains("C")) {
                committedAtLeast[t] = Math.max(committedAtLeast[t], n);
            }
            if (s.contains("R") && slot == n) {
                fail(where + ": " + name + " was rolled back but its values are present");
            }
            if (!s.contains("WC") && !s.contains("WR")) {
                assertTrue(doubted.contains(name), where + ": " + name
                        + " was prepared, no outcome was started, but it is not in doubt (in doubt: " + doubted
                        + "; slot of thread " + t + " holds " + slot + "; last lines of the thread: "
                        + tail(lines, "-t" + t + "-", 8) + ")");
            }
        }
        for (int t = 0; t < BankChild.THREADS; t++) {
            long slot = r.getLong(BankChild.SEQ_AT + t * 8L);
            assertTrue(slot >= committedAtLeast[t], where + ": thread " + t + " had branch " + committedAtLeast[t]
                    + " committed (commitPrepared returned) but the store holds only up to " + slot);
            if (slot > base[t]) {
                String name = BankChild.branchName(cycle, t, slot);
                assertTrue(seen.getOrDefault(name, Set.of()).contains("WC"), where + ": " + name
                        + " is visible as committed but its commit was never started; lines of that branch: "
                        + seen.get(name) + "; in doubt: " + doubted + "; last lines of thread " + t + ": "
                        + tail(lines, "-t" + t + "-", 8));
            }
        }
        for (BranchId id : inDoubt) {
            Set<String> s = seen.getOrDefault(new String(id.toBytes(), StandardCharsets.UTF_8), Set.of());
            boolean commit = s.contains("WC") || (!s.contains("WR") && random.nextBoolean());
            String name = new String(id.toBytes(), StandardCharsets.UTF_8);
            int t = Integer.parseInt(name.substring(name.indexOf("-t") + 2, name.lastIndexOf('-')));
            long before = r.getLong(BankChild.SEQ_AT + t * 8L);
            if (commit) {
                rvm.commitPrepared(id);
            } else {
                rvm.rollbackPrepared(id);
            }
            long after = r.getLong(BankChild.SEQ_AT + t * 8L);
            long n = Long.parseLong(name.substring(name.lastIndexOf('-') + 1));
            assertEquals(commit ? n : before, after, where + ": slot of thread " + t + " after resolving " + name
                    + (commit ? " by commit" : " by rollback"));
        }
        assertEquals(List.of(), rvm.inDoubt(), where + ": in doubt after resolving all");
        return inDoubt.size();
    }
}
