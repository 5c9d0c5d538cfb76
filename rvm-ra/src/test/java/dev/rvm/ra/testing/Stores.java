package dev.rvm.ra.testing;

import dev.rvm.core.io.Storage;
import dev.rvm.ra.internal.Store;
import dev.rvm.ra.internal.StoreConfig;
import java.nio.file.Path;

/** Opens adapter stores in a test directory: one region "r" of 4 KiB, and a small log. */
public final class Stores {
    private Stores() {
    }

    /** The test configuration for {@code dir}, with the given lock timeout. */
    public static StoreConfig config(Path dir, long lockTimeoutMillis) {
        return StoreConfig.parse(dir.toString(), 1L << 20, 0.5, lockTimeoutMillis, "FLUSH", "r:seg:0:4096");
    }

    /** Opens a store in {@code dir} on real files. */
    public static Store open(Path dir) {
        return Store.open(config(dir, 200), null, null);
    }

    /** Opens a store in {@code dir} on {@code storage}. */
    public static Store open(Path dir, Storage storage) {
        return Store.open(config(dir, 200), null, storage);
    }
}
