package dev.rvm.core.crash;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Transaction;
import dev.rvm.core.io.Storage;
import dev.rvm.core.testing.ManualExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * A deterministic single-threaded debit-credit workload on one region, recording in a {@link BankJournal} which
 * calls started and which returned, so that the state found after a crash can be judged.
 *
 * <p>Region layout: 16 balances (8 bytes each); one marker byte per transfer, set by the transfer's own
 * transaction (so the recovered markers say which transfers are present); 32 memo slots of 240 bytes that
 * one-phase transfers overwrite (they make records big enough for the tiny log to wrap, and catch later values
 * leaking into earlier records). Accounts 0..11 are for one-phase transfers; accounts 12..15 form two pairs used
 * by prepared branches, which stay in doubt across other transfers and truncations without lock conflicts.
 *
 * <p>Mixes FLUSH and NO_FLUSH, RESTORE and NO_RESTORE, aborts, prepare / commitPrepared / rollbackPrepared,
 * explicit {@code flush()} and {@code truncate()}, and background truncation run through a {@link ManualExecutor}
 * after every step. Not thread-safe.
 */
final class BankWorkload {
    static final String SEGMENT = "bank";
    static final int ACCOUNTS = 16;
    static final int ONE_PHASE_ACCOUNTS = 12;
    static final long INITIAL = 1000;
    static final long MARKERS_AT = ACCOUNTS * 8;
    static final int MAX_TRANSFERS = 2048;
    static final long MEMO_AT = MARKERS_AT + MAX_TRANSFERS;
    static final int MEMO_SLOTS = 32;
    static final int MEMO_SIZE = 240;
    static final long REGION_SIZE = MEMO_AT + (long) MEMO_SLOTS * MEMO_SIZE;
    static final Path DIR = Path.of("/simulated/bank");

    private final long seed;
    private final int steps;

    BankWorkload(long seed, int steps) {
        this.seed = seed;
        this.steps = steps;
    }

    /** Options of the store: the smallest log, background truncation at half use, run by {@code executor}. */
    static RvmOptions options(Storage storage, ManualExecutor executor) {
        return RvmOptions.builder(DIR).storage(storage).logSize(RvmOptions.MIN_LOG_SIZE).truncationThreshold(0.5)
                .lazyBufferLimit(4096).lockTimeout(Duration.ofSeconds(2)).logFullTimeout(Duration.ofSeconds(5))
                .truncationExecutor(executor).build();
    }

    /** Creates the segment and commits the initial balances (FLUSH). */
    static Region setUp(RecoverableMemory rvm) {
        rvm.createSegment(SEGMENT, REGION_SIZE);
        Region r = rvm.map(SEGMENT, 0, REGION_SIZE);
        try (Transaction t = rvm.begin(RestoreMode.RESTORE)) {
            t.setRange(r, 0, ACCOUNTS * 8L);
            for (int a = 0; a < ACCOUNTS; a++) {
                r.putLong(a * 8L, INITIAL);
            }
            t.commit(CommitMode.FLUSH);
        }
        return r;
    }

    static byte[] memo(int seq) {
        byte[] b = new byte[MEMO_SIZE];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seq * 31 + i * 7 + 1);
        }
        return b;
    }

    static long memoAt(int seq) {
        return MEMO_AT + (long) (seq % MEMO_SLOTS) * MEMO_SIZE;
    }

    static BranchId branch(int seq) {
        return BranchId.of("branch-" + seq);
    }

    /** A branch prepared and not yet resolved by the workload. */
    private record Pending(int seq, int pair) {
    }

    /** Runs the workload; a {@link dev.rvm.core.testing.SimulatedCrash} propagates out of it. */
    void run(RecoverableMemory rvm, Region r, ManualExecutor executor, BankJournal j) {
        Random rnd = new Random(seed);
        Deque<Pending> pending = new ArrayDeque<>();
        boolean[] pairBusy = new boolean[2];
        int seq = 0;
        for (int step = 0; step < steps && seq < MAX_TRANSFERS; step++) {
            int dice = rnd.nextInt(100);
            if (dice < 6) {
                abortedTransfer(rvm, r, rnd, j, seq++);
            } else if (dice < 14 && pending.size() < 2) {
                int pair = pairBusy[0] ? 1 : 0;
                int s = seq++;
                if (prepare(rvm, r, rnd, j, s, pair)) {
                    pairBusy[pair] = true;
                    pending.add(new Pending(s, pair));
                }
            } else if (dice < 22 && !pending.isEmpty()) {
                Pending p = pending.poll();
                resolve(rvm, j, p.seq, rnd.nextInt(3) != 0);
                pairBusy[p.pair] = false;
            } else if (dice < 24) {
                j.syncStarted();
                rvm.truncate();
                j.syncReturned();
            } else if (dice < 26) {
                j.syncStarted();
                rvm.flush();
                j.syncReturned();
            } else {
                transfer(rvm, r, rnd, j, seq++);
            }
            executor.runAll();
        }
        while (!pending.isEmpty()) {
            resolve(rvm, j, pending.poll().seq, true);
        }
        j.syncStarted();
        rvm.flush();
        j.syncReturned();
    }

    private static void transfer(RecoverableMemory rvm, Region r, Random rnd, BankJournal j, int seq) {
        int from = rnd.nextInt(ONE_PHASE_ACCOUNTS);
        int to = (from + 1 + rnd.nextInt(ONE_PHASE_ACCOUNTS - 1)) % ONE_PHASE_ACCOUNTS;
        long amount = 1 + rnd.nextInt(50);
        RestoreMode mode = rnd.nextBoolean() ? RestoreMode.RESTORE : RestoreMode.NO_RESTORE;
        CommitMode cm = rnd.nextBoolean() ? CommitMode.FLUSH : CommitMode.NO_FLUSH;
        transfer(rvm, r, j, seq, from, to, amount, mode, cm);
    }

    /** One one-phase transfer (with its memo), journaled. */
    static void transfer(RecoverableMemory rvm, Region r, BankJournal j, int seq, int from, int to, long amount,
            RestoreMode mode, CommitMode cm) {
        j.declare(new BankJournal.Transfer(seq, from, to, amount, true));
        Transaction t = rvm.begin(mode);
        apply(t, r, seq, from, to, amount, true);
        j.commitStarted(seq);
        t.commit(cm);
        j.commitReturned(seq, cm);
    }

    private static void abortedTransfer(RecoverableMemory rvm, Region r, Random rnd, BankJournal j, int seq) {
        int from = rnd.nextInt(ONE_PHASE_ACCOUNTS);
        int to = (from + 1 + rnd.nextInt(ONE_PHASE_ACCOUNTS - 1)) % ONE_PHASE_ACCOUNTS;
        long amount = 1 + rnd.nextInt(50);
        j.declare(new BankJournal.Transfer(seq, from, to, amount, true));
        byte[] before = new byte[(int) REGION_SIZE];
        r.get(0, before, 0, before.length);
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        apply(t, r, seq, from, to, amount, true);
        j.aborted(seq);
        t.abort();
        byte[] after = new byte[(int) REGION_SIZE];
        r.get(0, after, 0, after.length);
        if (!Arrays.equals(before, after)) {
            throw new AssertionError("abort of transfer " + seq + " did not restore the region");
        }
    }

    private static boolean prepare(RecoverableMemory rvm, Region r, Random rnd, BankJournal j, int seq, int pair) {
        int from = ONE_PHASE_ACCOUNTS + 2 * pair;
        int to = from + 1;
        if (rnd.nextBoolean()) {
            to = from;
            from = from + 1;
        }
        prepare(rvm, r, j, seq, from, to, 1 + rnd.nextInt(50));
        return true;
    }

    /** Prepares a transfer (without memo) as the branch {@link #branch}({@code seq}), journaled. */
    static void prepare(RecoverableMemory rvm, Region r, BankJournal j, int seq, int from, int to, long amount) {
        j.declare(new BankJournal.Transfer(seq, from, to, amount, false));
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        apply(t, r, seq, from, to, amount, false);
        j.prepareStarted(seq);
        t.prepare(branch(seq));
        j.prepareReturned(seq);
    }

    /** Commits or rolls back the prepared branch of transfer {@code seq}, journaling start and return. */
    static void resolve(RecoverableMemory rvm, BankJournal j, int seq, boolean commit) {
        if (commit) {
            j.commitPreparedStarted(seq);
            rvm.commitPrepared(branch(seq));
            j.commitPreparedReturned(seq);
        } else {
            j.rollbackStarted(seq);
            rvm.rollbackPrepared(branch(seq));
        }
    }

    private static void apply(Transaction t, Region r, int seq, int from, int to, long amount, boolean memo) {
        t.setRange(r, from * 8L, 8);
        t.setRange(r, to * 8L, 8);
        t.setRange(r, MARKERS_AT + seq, 1);
        if (memo) {
            t.setRange(r, memoAt(seq), MEMO_SIZE);
        }
        r.putLong(from * 8L, r.getLong(from * 8L) - amount);
        r.putLong(to * 8L, r.getLong(to * 8L) + amount);
        r.putByte(MARKERS_AT + seq, (byte) 1);
        if (memo) {
            r.put(memoAt(seq), memo(seq), 0, MEMO_SIZE);
        }
    }

    /** Reopens, judges, resolves the in-doubt branches at random, judges again; optionally reopens cleanly. */
    static List<String> recoverAndJudge(Storage storage, BankJournal journal, long seed,
            boolean reopen) {
        List<String> p = new ArrayList<>();
        ManualExecutor executor = new ManualExecutor();
        try (RecoverableMemory rvm = RecoverableMemory.open(BankWorkload.options(storage, executor))) {
            Region r = rvm.map(BankWorkload.SEGMENT, 0, BankWorkload.REGION_SIZE);
            p.addAll(journal.problems(r, rvm.inDoubt()));
            if (!p.isEmpty()) {
                return p;
            }
            Random random = new Random(seed);
            for (BranchId id : rvm.inDoubt()) {
                int seq = BankJournal.seqOf(id);
                Boolean started = journal.startedOutcome(seq); // a transaction manager retries what it started
                BankWorkload.resolve(rvm, journal, seq, started != null ? started : random.nextBoolean());
            }
            for (String s : journal.problems(r, rvm.inDoubt())) {
                p.add("after resolving the branches in doubt: " + s);
            }
            executor.runAll();
        }
        if (reopen && p.isEmpty()) {
            try (RecoverableMemory rvm = RecoverableMemory.open(BankWorkload.options(storage, new ManualExecutor()))) {
                Region r = rvm.map(BankWorkload.SEGMENT, 0, BankWorkload.REGION_SIZE);
                for (String s : journal.problems(r, rvm.inDoubt())) {
                    p.add("after a clean reopen: " + s);
                }
            }
        }
        return p;
    }
}
