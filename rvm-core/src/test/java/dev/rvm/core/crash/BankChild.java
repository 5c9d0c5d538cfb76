package dev.rvm.core.crash;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Transaction;
import dev.rvm.core.testing.AckFile;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/**
 * The process {@link KillChildJvmTest} kills: opens the store (recovering it), prints {@code READY}, then runs a
 * debit-credit workload on several threads until it is killed. Each thread keeps its transfer number in its own
 * slot of the region, written by the transfer's own transaction, and prints a line after each call returns:
 * <ul>
 *   <li>one-phase mode: {@code A <thread> <n>} after a FLUSH commit of transfer n returned;</li>
 *   <li>two-phase mode: {@code P <id>} after prepare returned, {@code WC <id>} / {@code WR <id>} just before
 *       calling commitPrepared / rollbackPrepared, and {@code C <id>} / {@code R <id>} after it returned. Ids are
 *       {@code c<cycle>-t<thread>-<n>}.</li>
 * </ul>
 * Arguments: store directory, {@code one} or {@code two}, cycle number, seed. Any exception ends the process
 * with status 3 (the parent treats that as a failure).
 */
public final class BankChild {
    static final int ACCOUNTS = 64;
    static final long INITIAL = 1000;
    static final int THREADS = 4;
    static final long SEQ_AT = ACCOUNTS * 8L;
    static final long REGION_SIZE = SEQ_AT + THREADS * 8L;
    static final String SEGMENT = "bank";

    private static final PrintStream OUT = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    /**
     * Acknowledgements also go to a file, one write(2) per line: a SIGKILL keeps every completed write, whereas
     * lines on a pipe were seen to go missing (the log held outcomes whose acknowledgement never arrived).
     */
    private static AckFile acks;

    private BankChild() {
    }

    /** The options both parent and child open the store with: a small log, so truncation runs often. */
    static RvmOptions options(Path dir) {
        return RvmOptions.builder(dir).logSize(256 * 1024).truncationThreshold(0.3)
                .lockTimeout(Duration.ofSeconds(20)).build();
    }

    /** Creates the store and its balances (run by the parent before the first cycle). */
    static void initialize(Path dir) {
        try (RecoverableMemory rvm = RecoverableMemory.open(options(dir))) {
            rvm.createSegment(SEGMENT, REGION_SIZE);
            Region r = rvm.map(SEGMENT, 0, REGION_SIZE);
            try (Transaction t = rvm.begin(RestoreMode.RESTORE)) {
                t.setRange(r, 0, ACCOUNTS * 8L);
                for (int a = 0; a < ACCOUNTS; a++) {
                    r.putLong(a * 8L, INITIAL);
                }
                t.commit(CommitMode.FLUSH);
            }
        }
    }

    static String branchName(long cycle, int thread, long n) {
        return "c" + cycle + "-t" + thread + "-" + n;
    }

    /** Entry point of the child process. */
    public static void main(String[] args) throws InterruptedException {
        Path dir = Path.of(args[0]);
        boolean twoPhase = args[1].equals("two");
        long cycle = Long.parseLong(args[2]);
        long seed = Long.parseLong(args[3]);
        if (args.length > 4) {
            acks = AckFile.open(Path.of(args[4]));
        }
        Random cycleRandom = new Random(seed);
        double flushShare = new double[] {0.1, 0.5, 0.9}[cycleRandom.nextInt(3)];
        double restoreShare = new double[] {0.0, 0.5, 1.0}[cycleRandom.nextInt(3)];
        RecoverableMemory rvm = RecoverableMemory.open(options(dir));
        Region r = rvm.map(SEGMENT, 0, REGION_SIZE);
        print("READY");
        AckFile.runWorkers(THREADS, "bank", me -> {
            Random rnd = new Random(seed * 31 + me);
            long n = r.getLong(SEQ_AT + me * 8L);
            while (true) {
                n++;
                if (twoPhase) {
                    twoPhaseTransfer(rvm, r, rnd, me, n, cycle);
                } else {
                    transfer(rvm, r, rnd, me, n, flushShare, restoreShare);
                }
            }
        });
    }

    private static void declare(Transaction tx, Region r, Random rnd, int me, long n) {
        int a = rnd.nextInt(ACCOUNTS);
        int b = (a + 1 + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        long amount = 1 + rnd.nextInt(100);
        // Lock in ascending order: no deadlock between the workload's own threads.
        tx.setRange(r, Math.min(a, b) * 8L, 8);
        tx.setRange(r, Math.max(a, b) * 8L, 8);
        tx.setRange(r, SEQ_AT + me * 8L, 8);
        r.putLong(a * 8L, r.getLong(a * 8L) - amount);
        r.putLong(b * 8L, r.getLong(b * 8L) + amount);
        r.putLong(SEQ_AT + me * 8L, n);
    }

    private static void transfer(RecoverableMemory rvm, Region r, Random rnd, int me, long n, double flushShare,
            double restoreShare) {
        RestoreMode mode = rnd.nextDouble() < restoreShare ? RestoreMode.RESTORE : RestoreMode.NO_RESTORE;
        Transaction tx = rvm.begin(mode);
        declare(tx, r, rnd, me, n);
        if (mode == RestoreMode.RESTORE && rnd.nextInt(10) == 0) {
            tx.abort();
            return;
        }
        CommitMode cm = rnd.nextDouble() < flushShare ? CommitMode.FLUSH : CommitMode.NO_FLUSH;
        tx.commit(cm);
        if (cm == CommitMode.FLUSH) {
            print("A " + me + " " + n);
        }
    }

    private static void twoPhaseTransfer(RecoverableMemory rvm, Region r, Random rnd, int me, long n, long cycle) {
        Transaction tx = rvm.begin(RestoreMode.RESTORE);
        declare(tx, r, rnd, me, n);
        String id = branchName(cycle, me, n);
        BranchId branch = BranchId.of(id);
        tx.prepare(branch);
        print("P " + id);
        if (rnd.nextInt(4) != 0) {
            print("WC " + id);
            rvm.commitPrepared(branch);
            print("C " + id);
        } else {
            print("WR " + id);
            rvm.rollbackPrepared(branch);
            print("R " + id);
        }
    }

    private static void print(String line) {
        synchronized (OUT) {
            if (acks != null) {
                acks.write(line);
            }
            OUT.println(line);
            OUT.flush();
        }
    }
}
