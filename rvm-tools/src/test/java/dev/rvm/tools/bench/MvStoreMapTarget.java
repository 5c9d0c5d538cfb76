package dev.rvm.tools.bench;

import java.nio.file.Path;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The H2 side of the map benchmark: an {@link MVMap} of longs in an MVStore file with auto-commit off. A durable put
 * is {@code put}, {@code commit()} (writes a new version) and {@code sync()} (forces the file); a lazy put is
 * {@code put} alone, and {@link #sync()} commits and forces. Thread-safe (MVMap is concurrent; MVStore serialises
 * commits itself).
 */
final class MvStoreMapTarget implements MapTarget {
    private final MVStore store;
    private final MVMap<Long, Long> map;

    MvStoreMapTarget(Path dir, long entries) {
        store = new MVStore.Builder().fileName(dir.resolve("mvstore.db").toString()).autoCommitDisabled().open();
        map = store.openMap("map");
        for (long i = 0; i < entries; i++) {
            map.put(i, i);
            if (i % 10_000 == 9_999) {
                store.commit();
            }
        }
        store.commit();
        store.sync();
    }

    @Override
    public void put(long key, long value, boolean flush) {
        map.put(key, value);
        if (flush) {
            store.commit();
            store.sync();
        }
    }

    @Override
    public Long get(long key) {
        return map.get(key);
    }

    @Override
    public void sync() {
        store.commit();
        store.sync();
    }

    @Override
    public long bytesUsed() {
        store.commit();
        return store.getFileStore().size();
    }

    @Override
    public String bytesWhere() {
        return "MVStore file size after populating";
    }

    @Override
    public void close() {
        store.close();
    }
}
