package dev.rvm.core.heap;

import dev.rvm.core.CommitMode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Transaction;
import dev.rvm.core.io.Storage;
import dev.rvm.core.testing.ManualExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic single-threaded random workload on the {@link HeapModel} structures: transactions of one to four
 * operations (map put, map remove, block allocate, block free), RESTORE and NO_RESTORE, FLUSH and NO_FLUSH, aborts,
 * explicit {@code flush()} and {@code truncate()}, background truncation run after every step. It keeps the model
 * state after every commit it started and which of them are surely durable, so a state found after a crash can be
 * judged: it must be one of {@link #candidates()}. Not thread-safe.
 */
final class HeapWorkload {
    static final String SEGMENT = "heap";
    static final Path DIR = Path.of("/simulated/heap");

    private final long seed;
    private final int steps;
    private final int keySpace;
    private final List<HeapModel> states = new ArrayList<>();
    private int durable;
    private long seq;
    private boolean touched;

    HeapWorkload(long seed, int steps, int keySpace) {
        this.seed = seed;
        this.steps = steps;
        this.keySpace = keySpace;
        states.add(HeapModel.empty());
    }

    /** Options of the crash tests: the smallest log, truncation at half use run by {@code executor}. */
    static RvmOptions options(Storage storage, ManualExecutor executor) {
        return RvmOptions.builder(DIR).storage(storage).logSize(RvmOptions.MIN_LOG_SIZE).truncationThreshold(0.5)
                .lazyBufferLimit(4096).lockTimeout(Duration.ofSeconds(2)).logFullTimeout(Duration.ofSeconds(5))
                .truncationExecutor(executor).build();
    }

    /** Creates segment {@code SEGMENT} of {@code size} bytes and formats a heap of {@code arenas} over it (FLUSH). */
    static RecoverableHeap formatted(RecoverableMemory rvm, long size, int arenas) {
        rvm.createSegment(SEGMENT, size);
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            RecoverableHeap heap = RecoverableHeap.format(tx, rvm.map(SEGMENT, 0, size), arenas);
            tx.commit(CommitMode.FLUSH);
            return heap;
        }
    }

    /** Creates the segment, the heap and its structures, committed with FLUSH. */
    static HeapModel.Structures setUp(RecoverableMemory rvm, long size, int arenas, long maxBuckets) {
        rvm.createSegment(SEGMENT, size);
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            HeapModel.Structures s = HeapModel.Structures.create(tx, rvm.map(SEGMENT, 0, size), arenas, maxBuckets);
            tx.commit(CommitMode.FLUSH);
            return s;
        }
    }

    /** The states the structures may be in after a crash now: from the last durable one to the last started. */
    List<HeapModel> candidates() {
        return new ArrayList<>(states.subList(durable, states.size()));
    }

    /** The state after the last commit. */
    HeapModel last() {
        return states.get(states.size() - 1);
    }

    /** Runs the workload; a simulated crash propagates out of it. */
    void run(RecoverableMemory rvm, HeapModel.Structures s, ManualExecutor executor) {
        Random rnd = new Random(seed);
        for (int step = 0; step < steps; step++) {
            int dice = rnd.nextInt(100);
            if (dice < 3) {
                rvm.flush();
                durable = states.size() - 1;
            } else if (dice < 5) {
                rvm.truncate();
            } else {
                transaction(rvm, s, rnd);
            }
            executor.runAll();
        }
        rvm.flush();
        durable = states.size() - 1;
    }

    private void transaction(RecoverableMemory rvm, HeapModel.Structures s, Random rnd) {
        RestoreMode mode = rnd.nextInt(5) == 0 ? RestoreMode.NO_RESTORE : RestoreMode.RESTORE;
        boolean abort = mode == RestoreMode.RESTORE && rnd.nextInt(10) == 0;
        HeapStatistics before = abort ? s.heap().statistics() : null;
        HeapModel next = last();
        Transaction tx = rvm.begin(mode);
        int ops = 1 + rnd.nextInt(4);
        touched = false;
        for (int i = 0; i < ops; i++) {
            next = operation(tx, s, rnd, next);
        }
        if (abort) {
            tx.abort();
            HeapStatistics after = s.heap().statistics();
            if (!before.equals(after)) {
                throw new AssertionError("abort did not restore the heap: " + before + " then " + after);
            }
            return;
        }
        states.add(next);
        CommitMode cm = rnd.nextBoolean() ? CommitMode.FLUSH : CommitMode.NO_FLUSH;
        tx.commit(cm);
        // A transaction that declared nothing writes no record, so its FLUSH commit forces nothing either.
        if (cm == CommitMode.FLUSH && touched) {
            durable = states.size() - 1;
        }
    }

    private HeapModel operation(Transaction tx, HeapModel.Structures s, Random rnd, HeapModel m) {
        int dice = rnd.nextInt(100);
        touched |= dice < 65;
        if (dice < 45) {
            String key = "key-" + rnd.nextInt(keySpace);
            byte[] value = new byte[rnd.nextInt(10) == 0 ? rnd.nextInt(600) : rnd.nextInt(40)];
            rnd.nextBytes(value);
            s.map().put(tx, key, value);
            return m.put(key, value);
        }
        if (dice < 65) {
            String key = "key-" + rnd.nextInt(keySpace);
            s.map().remove(tx, key);
            return m.remove(key);
        }
        int slot = rnd.nextInt(HeapModel.SLOTS);
        if (dice < 85 && !m.blocks().containsKey(slot)) {
            long size = 16 + (rnd.nextInt(8) == 0 ? rnd.nextInt(3000) : rnd.nextInt(200));
            long n = ++seq;
            touched = true;
            s.allocate(tx, slot, size, n);
            return m.allocated(slot, size, n);
        }
        if (m.blocks().containsKey(slot)) {
            touched = true;
            s.free(tx, slot);
            return m.freed(slot);
        }
        return m;
    }
}
