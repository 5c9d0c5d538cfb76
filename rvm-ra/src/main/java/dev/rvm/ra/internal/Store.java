package dev.rvm.ra.internal;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.io.Storage;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The open store of one started resource adapter: the core {@link RecoverableMemory}, its regions by configured
 * name, and the XA branches that are started but not yet prepared. Prepared branches are the core's
 * ({@link #isInDoubt}).
 *
 * <p>Thread-safe.
 */
public final class Store {
    private final StoreConfig config;
    private final RecoverableMemory memory;
    private final Map<String, Region> regions;
    private final Map<BranchId, Branch> branches = new ConcurrentHashMap<>();

    private Store(StoreConfig config, RecoverableMemory memory, Map<String, Region> regions) {
        this.config = config;
        this.memory = memory;
        this.regions = Collections.unmodifiableMap(regions);
    }

    /**
     * Opens the store, creates the segments the regions need and maps the regions.
     *
     * @param truncation where background truncation runs (the WorkManager in a server)
     * @param storage the storage seam, or {@code null} for files
     * @throws RvmException if the core refuses; {@link IllegalArgumentException} naming the {@code regions}
     *         property if the regions do not fit existing segments
     */
    public static Store open(StoreConfig config, Executor truncation, Storage storage) {
        RvmOptions.Builder b = options(config, truncation, RvmOptions.builder(config.directory()).logSize(config.logSize()));
        if (storage != null) {
            b.storage(storage);
        }
        RecoverableMemory rvm = RecoverableMemory.open(b.build());
        try {
            return over(config, rvm);
        } catch (RuntimeException e) {
            rvm.close();
            throw e;
        }
    }

    /** The configured store options (truncation, range locks) on {@code b}, with truncation on {@code truncation}. */
    public static RvmOptions.Builder options(StoreConfig config, Executor truncation, RvmOptions.Builder b) {
        return b.truncationThreshold(config.truncationThreshold())
                .lockTimeout(Duration.ofMillis(config.lockTimeoutMillis())).truncationExecutor(truncation);
    }

    /**
     * The adapter's view of a core store that is already open (its own, or a replicated group's active store):
     * creates the segments the regions need and maps the regions. Does not close {@code rvm} on failure.
     *
     * @throws IllegalArgumentException naming the {@code regions} property if the regions do not fit existing
     *         segments
     */
    public static Store over(StoreConfig config, RecoverableMemory rvm) {
        Map<String, Long> needed = new HashMap<>();
        for (RegionSpec r : config.regions()) {
            needed.merge(r.segment(), r.offset() + r.length(), Math::max);
        }
        for (Map.Entry<String, Long> e : needed.entrySet()) {
            if (!rvm.segmentExists(e.getKey())) {
                rvm.createSegment(e.getKey(), e.getValue());
                Messages.segmentCreated(e.getKey(), e.getValue());
            } else if (rvm.segmentSize(e.getKey()) < e.getValue()) {
                throw StoreConfig.bad(StoreConfig.REGIONS, config.regions(), "segment '" + e.getKey() + "' has "
                        + rvm.segmentSize(e.getKey()) + " bytes, the regions need " + e.getValue());
            }
        }
        Map<String, Region> mapped = new LinkedHashMap<>();
        for (RegionSpec r : config.regions()) {
            mapped.put(r.name(), rvm.map(r.segment(), r.offset(), r.length()));
        }
        return new Store(config, rvm, mapped);
    }

    /** The configuration it was opened with. */
    public StoreConfig config() {
        return config;
    }

    /** The core store. */
    public RecoverableMemory memory() {
        return memory;
    }

    /** The region of that configured name, or {@code null}. */
    public Region region(String name) {
        return regions.get(name);
    }

    /** Configured region names, in configuration order. */
    public Set<String> regionNames() {
        return regions.keySet();
    }

    /** Commit mode of local transactions. */
    public CommitMode defaultCommitMode() {
        return config.defaultCommitMode();
    }

    /** The store's id: two adapters are the same resource manager iff their store ids are equal. */
    public long storeId() {
        return memory.storeId();
    }

    /** False once closed or stopped by an I/O failure. */
    public boolean isOpen() {
        return memory.isOpen();
    }

    /** The branches started and not yet prepared, by id. */
    public Map<BranchId, Branch> branches() {
        return branches;
    }

    /** Whether a branch of that id is prepared and in doubt in the core. */
    public boolean isInDoubt(BranchId id) {
        return memory.inDoubt().contains(id);
    }

    /** The in-doubt branch ids. */
    public List<BranchId> inDoubt() {
        return memory.inDoubt();
    }

    /** Closes the core store; prepared branches stay in doubt in the log. */
    public void close() {
        memory.close();
    }

    @Override
    public String toString() {
        return "RVM store " + config.directory();
    }
}
