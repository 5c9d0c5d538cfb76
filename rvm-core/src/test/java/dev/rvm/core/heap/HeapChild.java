package dev.rvm.core.heap;

import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Transaction;
import dev.rvm.core.testing.AckFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * The process {@link HeapKillChildJvmTest} kills: opens the store (recovering it), prints {@code READY}, then runs
 * {@value #THREADS} threads of map and block transactions until killed. Each thread has its own keys
 * ({@code t<thread>-...}) and block slots, so its changes are independent of the others'. Before each FLUSH commit a
 * thread appends {@code B <thread> <ops>} to the acknowledgement file, and after it returns {@code C <thread>}; ops
 * are {@code P key hex}, {@code D key}, {@code A slot size seq}, {@code F slot}, separated by {@code ;}.
 * A transaction refused as a deadlock is aborted, unacknowledged. Arguments: store directory, cycle, seed, acknowledgement file. Any exception ends the process with status 3.
 */
public final class HeapChild {
    static final int THREADS = 3;
    static final long SIZE = 1L << 20;
    static final int KEYS = 150;

    private static AckFile acks;

    private HeapChild() {
    }

    static RvmOptions options(Path dir) {
        return RvmOptions.builder(dir).logSize(256 * 1024).truncationThreshold(0.3)
                .lockTimeout(Duration.ofSeconds(20)).build();
    }

    /** Creates the store and the structures (run by the parent before the first cycle). */
    static void initialize(Path dir) {
        try (RecoverableMemory rvm = RecoverableMemory.open(options(dir))) {
            HeapWorkload.setUp(rvm, SIZE, 4, 4096);
        }
    }

    static int slotsPerThread() {
        return HeapModel.SLOTS / THREADS;
    }

    /** Entry point of the child process. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long cycle = Long.parseLong(args[1]);
        long seed = Long.parseLong(args[2]);
        acks = AckFile.open(Path.of(args[3]));
        RecoverableMemory rvm = RecoverableMemory.open(options(dir));
        HeapModel.Structures s = HeapModel.Structures.open(rvm.map(HeapWorkload.SEGMENT, 0, SIZE));
        System.out.println("READY");
        System.out.flush();
        AckFile.runWorkers(THREADS, "heap", me -> {
            Random rnd = new Random(seed * 31 + me);
            long seq = cycle * 1_000_000_000L + me * 10_000_000L;
            while (true) {
                seq = transaction(rvm, s, rnd, me, seq);
            }
        });
    }

    private static long transaction(RecoverableMemory rvm, HeapModel.Structures s, Random rnd, int me, long seq) {
        Transaction tx = rvm.begin(RestoreMode.RESTORE);
        try {
            return transaction(rvm, s, rnd, me, seq, tx);
        } catch (RvmException e) {
            if (e.code() != ErrorCode.DEADLOCK) {
                throw e;
            }
            tx.abort(); // nothing was acknowledged: the transaction simply did not happen
            return seq + 10;
        }
    }

    private static long transaction(RecoverableMemory rvm, HeapModel.Structures s, Random rnd, int me, long seq,
            Transaction tx) {
        List<String> ops = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            int dice = rnd.nextInt(100);
            String key = "t" + me + "-" + rnd.nextInt(KEYS);
            int slot = me * slotsPerThread() + rnd.nextInt(slotsPerThread());
            if (dice < 55) {
                byte[] v = new byte[rnd.nextInt(40)];
                rnd.nextBytes(v);
                s.map().put(tx, key, v);
                ops.add("P " + key + " " + HexFormat.of().formatHex(v));
            } else if (dice < 75) {
                s.map().remove(tx, key);
                ops.add("D " + key);
            } else if (s.slot(slot) == 0) {
                long size = 16 + rnd.nextInt(700);
                seq++;
                s.allocate(tx, slot, size, seq);
                ops.add("A " + slot + " " + size + " " + seq);
            } else {
                s.free(tx, slot);
                ops.add("F " + slot);
            }
        }
        if (rnd.nextInt(10) == 0) {
            tx.abort();
            return seq;
        }
        ack("B " + me + " " + String.join(";", ops));
        tx.commit(CommitMode.FLUSH);
        ack("C " + me);
        return seq;
    }

    private static void ack(String line) {
        acks.write(line);
    }
}
