package dev.rvm.core.crash;

import static dev.rvm.core.crash.BankWorkload.ACCOUNTS;
import static dev.rvm.core.crash.BankWorkload.INITIAL;
import static dev.rvm.core.crash.BankWorkload.MARKERS_AT;
import static dev.rvm.core.crash.BankWorkload.MAX_TRANSFERS;
import static dev.rvm.core.crash.BankWorkload.MEMO_SIZE;
import static dev.rvm.core.crash.BankWorkload.MEMO_SLOTS;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.Region;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the {@link BankWorkload} did before a crash: which calls started and which returned. {@link #problems}
 * judges a recovered region against it:
 * <ul>
 *   <li>every transfer whose FLUSH commit, {@code commitPrepared}, or a later {@code flush}/{@code truncate}
 *       returned is present;</li>
 *   <li>no aborted or rolled-back transfer is present, and nothing is present whose commit never started;</li>
 *   <li>no transfer is half-applied: the balances and memos are exactly those of the present transfers;</li>
 *   <li>the present one-phase commits form a prefix of the commit order (the log is serial);</li>
 *   <li>every branch whose prepare returned and whose outcome was not started is in doubt, and nothing else
 *       is.</li>
 * </ul>
 * Not thread-safe.
 */
final class BankJournal {
    /** One transfer; {@code memo} if it also wrote its memo slot. */
    record Transfer(int seq, int from, int to, long amount, boolean memo) {
    }

    private final Map<Integer, Transfer> transfers = new HashMap<>();
    private final List<Integer> effects = new ArrayList<>();
    private final Set<Integer> onePhase = new HashSet<>();
    private final Set<Integer> acked = new HashSet<>();
    private final Set<Integer> lazyReturned = new LinkedHashSet<>();
    private Set<Integer> lazyAtSync = Set.of();
    private final Set<Integer> mustBeAbsent = new HashSet<>();
    private final Set<Integer> prepareStarted = new HashSet<>();
    private final Set<Integer> prepareReturned = new HashSet<>();
    private final Set<Integer> outcomeStarted = new HashSet<>();
    private final Set<Integer> outcomeReturned = new HashSet<>();
    private final Set<Integer> rolledBack = new HashSet<>();

    BankJournal copy() {
        BankJournal c = new BankJournal();
        c.transfers.putAll(transfers);
        c.effects.addAll(effects);
        c.onePhase.addAll(onePhase);
        c.acked.addAll(acked);
        c.lazyReturned.addAll(lazyReturned);
        c.lazyAtSync = lazyAtSync;
        c.mustBeAbsent.addAll(mustBeAbsent);
        c.prepareStarted.addAll(prepareStarted);
        c.prepareReturned.addAll(prepareReturned);
        c.outcomeStarted.addAll(outcomeStarted);
        c.outcomeReturned.addAll(outcomeReturned);
        c.rolledBack.addAll(rolledBack);
        return c;
    }

    void declare(Transfer t) {
        transfers.put(t.seq(), t);
    }

    void commitStarted(int seq) {
        effects.add(seq);
        onePhase.add(seq);
    }

    void commitReturned(int seq, CommitMode mode) {
        if (mode == CommitMode.FLUSH) {
            acked.add(seq);
            acked.addAll(lazyReturned); // a FLUSH commit forces every earlier record
            lazyReturned.clear();
        } else {
            lazyReturned.add(seq);
        }
    }

    void aborted(int seq) {
        mustBeAbsent.add(seq);
    }

    void prepareStarted(int seq) {
        prepareStarted.add(seq);
    }

    void prepareReturned(int seq) {
        prepareReturned.add(seq);
    }

    void commitPreparedStarted(int seq) {
        effects.add(seq);
        outcomeStarted.add(seq);
    }

    void commitPreparedReturned(int seq) {
        acked.add(seq);
        outcomeReturned.add(seq);
    }

    void rollbackStarted(int seq) {
        mustBeAbsent.add(seq);
        outcomeStarted.add(seq);
        rolledBack.add(seq);
    }

    /**
     * The outcome a transaction manager would retry for the branch of {@code seq} after a crash: the one it had
     * started (true = commit), or {@code null} if it had started none and is free to choose.
     */
    Boolean startedOutcome(int seq) {
        return outcomeStarted.contains(seq) ? !rolledBack.contains(seq) : null;
    }

    void rollbackReturned(int seq) {
        outcomeReturned.add(seq);
    }

    /** Before {@code flush()} or {@code truncate()}: the lazy commits it must make durable. */
    void syncStarted() {
        lazyAtSync = new HashSet<>(lazyReturned);
    }

    void syncReturned() {
        acked.addAll(lazyAtSync);
        lazyReturned.removeAll(lazyAtSync);
        lazyAtSync = Set.of();
    }

    /** Transfer number of a workload branch id, or -1. */
    static int seqOf(BranchId id) {
        String s = new String(id.toBytes(), StandardCharsets.UTF_8);
        return s.startsWith("branch-") ? Integer.parseInt(s.substring(7)) : -1;
    }

    /** Everything wrong with {@code r} and {@code inDoubt} as recovered; empty if the state is consistent. */
    List<String> problems(Region r, List<BranchId> inDoubt) {
        List<String> p = new ArrayList<>();
        byte[] markers = new byte[MAX_TRANSFERS];
        r.get(MARKERS_AT, markers, 0, markers.length);
        Set<Integer> present = new HashSet<>();
        for (int s = 0; s < markers.length; s++) {
            if (markers[s] == 1) {
                present.add(s);
            } else if (markers[s] != 0) {
                p.add("marker of transfer " + s + " is " + markers[s]);
            }
        }
        Set<Integer> effectSet = new HashSet<>(effects);
        for (int s : present) {
            if (!effectSet.contains(s)) {
                p.add("transfer " + s + " is present but its commit never started");
            }
            if (mustBeAbsent.contains(s)) {
                p.add("transfer " + s + " is present but was aborted or rolled back");
            }
        }
        for (int s : acked) {
            if (!present.contains(s)) {
                p.add("transfer " + s + " was acknowledged durable but is missing");
            }
        }
        int lastOnePhase = -1;
        for (int i = 0; i < effects.size(); i++) {
            if (onePhase.contains(effects.get(i)) && present.contains(effects.get(i))) {
                lastOnePhase = i;
            }
        }
        for (int i = 0; i < lastOnePhase; i++) {
            if (!present.contains(effects.get(i))) {
                p.add("transfer " + effects.get(i) + " is missing but the later one-phase commit of transfer "
                        + effects.get(lastOnePhase) + " is present: not a prefix of the log");
            }
        }
        long[] expected = new long[ACCOUNTS];
        Arrays.fill(expected, INITIAL);
        int[] memoOwner = new int[MEMO_SLOTS];
        Arrays.fill(memoOwner, -1);
        for (int s : present) {
            Transfer t = transfers.get(s);
            if (t == null) {
                continue;
            }
            expected[t.from()] -= t.amount();
            expected[t.to()] += t.amount();
            if (t.memo()) {
                memoOwner[s % MEMO_SLOTS] = Math.max(memoOwner[s % MEMO_SLOTS], s);
            }
        }
        long sum = 0;
        for (int a = 0; a < ACCOUNTS; a++) {
            long v = r.getLong(a * 8L);
            sum += v;
            if (v != expected[a]) {
                p.add("account " + a + " holds " + v + ", the present transfers give " + expected[a]
                        + " (a half-applied or leaked transfer)");
            }
        }
        if (sum != ACCOUNTS * INITIAL) {
            p.add("sum of balances is " + sum + ", not " + ACCOUNTS * INITIAL);
        }
        for (int slot = 0; slot < MEMO_SLOTS; slot++) {
            byte[] got = new byte[MEMO_SIZE];
            r.get(BankWorkload.MEMO_AT + (long) slot * MEMO_SIZE, got, 0, MEMO_SIZE);
            byte[] want = memoOwner[slot] < 0 ? new byte[MEMO_SIZE] : BankWorkload.memo(memoOwner[slot]);
            if (!Arrays.equals(got, want)) {
                p.add("memo slot " + slot + " is not the memo of transfer " + memoOwner[slot]);
            }
        }
        Set<Integer> doubted = new HashSet<>();
        for (BranchId id : inDoubt) {
            int s = seqOf(id);
            doubted.add(s);
            if (!prepareStarted.contains(s)) {
                p.add("branch " + id + " is in doubt but was never prepared");
            } else if (outcomeReturned.contains(s)) {
                p.add("branch " + id + " is in doubt but its outcome had returned");
            }
            if (present.contains(s)) {
                p.add("branch " + id + " is in doubt but its values are visible as committed");
            }
        }
        for (int s : prepareReturned) {
            if (!outcomeStarted.contains(s) && !doubted.contains(s)) {
                p.add("prepare of transfer " + s + " returned, no outcome was started, but it is not in doubt");
            }
        }
        return p;
    }
}
