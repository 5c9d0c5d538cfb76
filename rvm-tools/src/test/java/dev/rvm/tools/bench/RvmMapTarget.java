package dev.rvm.tools.bench;

import dev.rvm.core.CommitMode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Transaction;
import dev.rvm.core.heap.RecoverableHeap;
import dev.rvm.core.heap.map.Codecs;
import dev.rvm.core.heap.map.RecoverableHashMap;
import java.nio.file.Path;

/**
 * The RVM side of the map benchmark: a {@link RecoverableHashMap} of longs on a 4-arena heap; one RESTORE
 * transaction per put (committed FLUSH or NO_FLUSH), one per get (shared bucket lock, read-only commit).
 * Thread-safe.
 */
final class RvmMapTarget implements MapTarget {
    private final RecoverableMemory rvm;
    private final RecoverableHeap heap;
    private final RecoverableHashMap<Long, Long> map;

    RvmMapTarget(Path dir, long entries) {
        rvm = RecoverableMemory.open(RvmOptions.builder(dir).logSize(64L << 20).build());
        long size = Math.max(16L << 20, entries * 128);
        rvm.createSegment("map", size);
        Region r = rvm.map("map", 0, size);
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            heap = RecoverableHeap.format(tx, r, 4);
            map = RecoverableHashMap.create(tx, heap, Codecs.LONG, Codecs.LONG, Math.max(1 << 16, 2 * entries));
            heap.setRoot(tx, 0, map.address());
            tx.commit(CommitMode.FLUSH);
        }
        long batch = 10_000;
        for (long k = 0; k < entries; k += batch) {
            try (Transaction tx = rvm.begin(RestoreMode.NO_RESTORE)) {
                for (long i = k; i < Math.min(entries, k + batch); i++) {
                    map.put(tx, i, i);
                }
                tx.commit(CommitMode.NO_FLUSH);
            }
        }
        rvm.flush();
        rvm.truncate();
    }

    @Override
    public void put(long key, long value, boolean flush) {
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            map.put(tx, key, value);
            tx.commit(flush ? CommitMode.FLUSH : CommitMode.NO_FLUSH);
        }
    }

    @Override
    public Long get(long key) {
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            Long v = map.get(tx, key);
            tx.commit(CommitMode.NO_FLUSH);
            return v;
        }
    }

    @Override
    public Long getWithoutTransaction(long key) {
        return map.get(null, key);
    }

    @Override
    public void sync() {
        rvm.flush();
    }

    @Override
    public long bytesUsed() {
        return heap.statistics().bytesInUse();
    }

    @Override
    public String bytesWhere() {
        return "heap blocks in use (entries, bucket segments, directory, header)";
    }

    /** Deadlocks refused by the range locks, so the output can say whether retries happened. */
    long deadlocks() {
        return rvm.statistics().deadlocks();
    }

    @Override
    public void close() {
        rvm.close();
    }
}
