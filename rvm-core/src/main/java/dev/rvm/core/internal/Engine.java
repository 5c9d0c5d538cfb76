package dev.rvm.core.internal;

import dev.rvm.core.BranchId;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.LatencyListener;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Statistics;
import dev.rvm.core.Transaction;
import dev.rvm.core.internal.lock.RangeLockManager;
import dev.rvm.core.internal.log.LogFile;
import dev.rvm.core.internal.log.LogFormat;
import dev.rvm.core.internal.log.LogRecord;
import dev.rvm.core.internal.log.LogWriter;
import dev.rvm.core.internal.log.RecordBuilder;
import dev.rvm.core.replication.ReplicationException;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store: its lifecycle (open and recover, close) and the {@link RecoverableMemory} API, each call handed to the
 * part that does it — {@link Mappings} for regions, {@link Transactions} for transactions, {@link Branches} for the
 * second phase, {@link Truncator} for truncation, the {@link LogWriter} for flushes. The constructor wires those
 * parts together, each with the collaborators it needs and nothing more.
 *
 * <p>Thread-safe, as its parts are.
 */
public final class Engine implements RecoverableMemory {
    private static final System.Logger LOG = System.getLogger("dev.rvm.core");

    private final RvmOptions options;
    private final Closeable storeLock;
    private final LogFile log;
    private final long storeId;
    private final StatusKeeper status;
    private final SegmentRegistry segments;
    private final LogWriter writer;
    private final StoreGuard guard;
    /** Held while segment files are written (truncation), read ({@code map}) or closed. */
    private final ReentrantLock segmentLock = new ReentrantLock();
    private final RangeLockManager locks = new RangeLockManager();
    private final ThreadAssociations threads = new ThreadAssociations();
    private final Mappings mappings;
    private final Branches branches;
    private final Truncator truncator;
    private final Transactions transactions;
    private final ExecutorService ownExecutor;
    private final Counters counters = new Counters();
    private final LatencyListeners latencyListeners = new LatencyListeners();

    private Engine(RvmOptions options, StoreFiles.Opened opened, Truncator.Spread spread) throws IOException {
        this.options = options;
        this.storeLock = opened.lock();
        this.log = opened.log();
        this.storeId = opened.status().storeId();
        this.status = new StatusKeeper(log, opened.status());
        int epoch = opened.status().epoch() + 1;
        // The new epoch is durable before any record carries it, so no stale record can ever look newer.
        status.startEpoch(epoch);
        this.ownExecutor = options.truncationExecutor() == null ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rvm-truncation");
            t.setDaemon(true);
            return t;
        }) : null;
        Executor executor = ownExecutor != null ? ownExecutor : options.truncationExecutor();
        this.segments = new SegmentRegistry(options.storage(), options.directory(), storeId, status);
        long head = opened.status().head();
        try {
            segments.openAll();
            Recovery.Result rr = Recovery.run(log, storeIdLow(), head, segments);
            writer = new LogWriter(log, storeIdLow(), epoch, head, rr.tail(), options.coalescing(),
                    options.lazyBufferLimit(), options.logFullTimeout().toNanos(), this::logSpaceNeeded);
            writer.onForce(latencyListeners::forced);
            writer.replicateTo(options.replicator());
            guard = new StoreGuard(options.directory(), writer, options.replicator());
            mappings = new Mappings(segments, status, locks, writer, segmentLock, this::truncate, guard, threads);
            branches = new Branches(writer, guard, mappings, locks, options.rangeLocks(), segments, counters);
            truncator = new Truncator(writer, log, storeIdLow(), status, segments, branches, guard, counters,
                    segmentLock, executor, options.truncationThreshold(), spread);
            transactions = new Transactions(options.rangeLocks(), options.lockTimeout().toNanos(),
                    options.coalescing(), guard, threads, mappings, locks, branches, writer, truncator, counters,
                    latencyListeners);
            recovered(rr);
        } catch (IOException | RuntimeException e) {
            try {
                segments.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Rebuilds the branches in doubt, copying their PREPARE records forward, and records the recovery. */
    private void recovered(Recovery.Result rr) throws IOException {
        if (rr.tornTail()) {
            // As Kafka's segment recovery does: say what is dropped and why. The record was never wholly written, so
            // no FLUSH commit, prepare or second phase in it was acknowledged; at most lazy commits are lost.
            LOG.log(System.Logger.Level.WARNING, "RVM recovery discarded a torn record at the end of the log, lsn {0}"
                    + " ({1}): it was being written when the store stopped", rr.tail(), rr.endReason());
        }
        for (LogRecord p : rr.inDoubt()) {
            byte[] raw = p.rawBytes();
            RecordBuilder rb = new RecordBuilder().reset(LogFormat.PREPARE, LogFormat.FLAG_RELOGGED)
                    .bytes(raw, LogFormat.HEADER_SIZE, raw.length - LogFormat.HEADER_SIZE - LogFormat.TRAILER_SIZE);
            long end = writer.appendReserved(rb);
            branches.recovered(p, end - rb.sealedLength());
        }
        writer.forceSealed();
        if (options.groupCommitWait()) {
            writer.activeTransactions(transactions::active);
        }
        status.recovered(rr.tail(), System.currentTimeMillis(), rr.records());
        writer.advanceHead(rr.tail());
        truncator.logOpened(rr.tail());
        counters.lastRecoveryNanos = rr.nanos();
        counters.lastRecoveryRecords = rr.records();
        counters.lastRecoveryBytes = rr.bytes();
        if (rr.records() > 0) {
            LOG.log(System.Logger.Level.INFO, "RVM recovery replayed {0} records ({1} bytes) in {2} ms; {3} in doubt",
                    rr.records(), rr.bytes(), rr.nanos() / 1_000_000, rr.inDoubt().size());
        }
    }

    /** Opens (creating if needed) and recovers the store {@code options} describe. */
    public static Engine open(RvmOptions options) {
        return open(options, Truncator.Spread.NATURAL);
    }

    /** As {@link #open(RvmOptions)}, with background truncations paced as {@code spread} says. */
    static Engine open(RvmOptions options, Truncator.Spread spread) {
        StoreFiles.Opened opened = StoreFiles.openLocked(options);
        try {
            return new Engine(options, opened, spread);
        } catch (IOException e) {
            opened.closeQuietly();
            throw new RvmException(ErrorCode.IO_ERROR, "opening the store in " + options.directory() + " failed: " + e, e);
        } catch (RuntimeException | Error e) {
            opened.closeQuietly();
            throw e;
        }
    }

    private int storeIdLow() {
        return (int) storeId;
    }

    /** The writer waits for log space: a truncation frees it. */
    private void logSpaceNeeded() {
        truncator.maybeSchedule(true);
    }

    // ---- RecoverableMemory

    @Override
    public void createSegment(String name, long size) {
        guard.checkUsable();
        try {
            if (options.replicator() != null) {
                options.replicator().segmentCreated(name, size);
            }
            segments.create(name, size);
        } catch (ReplicationException e) {
            throw new RvmException(e.code(), e.getMessage(), e);
        } catch (IOException e) {
            throw new RvmException(ErrorCode.IO_ERROR, "creating segment '" + name + "' failed: " + e, e);
        }
    }

    @Override
    public boolean segmentExists(String name) {
        return segments.exists(name);
    }

    @Override
    public long segmentSize(String name) {
        return segments.byName(name).size();
    }

    @Override
    public Region map(String segment, long offset, long length) {
        return mappings.map(segment, offset, length);
    }

    @Override
    public void unmap(Region region) {
        mappings.unmap(region);
    }

    @Override
    public List<Region> regions() {
        return mappings.regions();
    }

    @Override
    public Transaction begin(RestoreMode mode) {
        return transactions.begin(mode);
    }

    @Override
    public Transaction beginDetached(RestoreMode mode) {
        return transactions.beginDetached(mode);
    }

    @Override
    public Transaction current() {
        return threads.current();
    }

    @Override
    public void flush() {
        guard.checkUsable();
        writer.flushAll();
    }

    @Override
    public void truncate() {
        guard.checkUsable();
        writer.flushAll();
        truncator.truncate();
    }

    @Override
    public void commitPrepared(BranchId branch) {
        long t0 = latencyListeners.start();
        branches.resolve(branch, true);
        latencyListeners.completed(LatencyListener.Operation.COMMIT_PREPARED, t0);
    }

    @Override
    public void rollbackPrepared(BranchId branch) {
        long t0 = latencyListeners.start();
        branches.resolve(branch, false);
        latencyListeners.completed(LatencyListener.Operation.ROLLBACK_PREPARED, t0);
    }

    @Override
    public void addLatencyListener(LatencyListener listener) {
        if (listener == null) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "latency listener is null");
        }
        latencyListeners.add(listener);
    }

    @Override
    public void removeLatencyListener(LatencyListener listener) {
        latencyListeners.remove(listener);
    }

    @Override
    public List<BranchId> inDoubt() {
        return branches.inDoubt();
    }

    @Override
    public Statistics statistics() {
        LogWriter.Snapshot s = writer.snapshot();
        Counters c = counters;
        return new Statistics(c.commitsFlush.sum(), c.commitsNoFlush.sum(), c.aborts.sum(), c.prepares.sum(),
                c.readOnlyPrepares.sum(), c.commitsPrepared.sum(), c.rollbacksPrepared.sum(), branches.count(),
                s.forces(), s.records(), s.bytesLogged(), c.bytesSavedIntra.sum(), s.bytesSavedInter(),
                c.truncations.sum(), c.truncationNanos.sum(), c.lastTruncationNanos, writer.capacity(),
                s.tail() - s.head(), c.lastRecoveryNanos, c.lastRecoveryRecords, c.lastRecoveryBytes, locks.waits(),
                locks.timeouts(), locks.deadlocks(), branches.oldestInDoubtMillis(),
                writer.oldestUnforcedCommitMillis());
    }

    @Override
    public long storeId() {
        return storeId;
    }

    @Override
    public boolean isOpen() {
        return guard.isOpen();
    }

    @Override
    public void close() {
        if (guard.isClosed()) {
            return;
        }
        // A failed flush is reported to the caller after the files are released: returning normally would tell it
        // that its lazy commits are durable.
        RvmException flushFailure = null;
        try {
            if (writer.failure() == null) {
                writer.flushAll();
            }
        } catch (RvmException e) {
            flushFailure = e;
        }
        segmentLock.lock();
        try {
            if (guard.isClosed()) {
                return;
            }
            guard.markClosed();
        } finally {
            segmentLock.unlock();
        }
        if (ownExecutor != null) {
            ownExecutor.shutdown();
        }
        mappings.unmapAll();
        List<AutoCloseable> all = List.of(segments, log, storeLock);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "RVM close: " + e, e);
            }
        }
        if (flushFailure != null) {
            throw flushFailure;
        }
    }

    @Override
    public String toString() {
        return "RecoverableMemory[" + options.directory() + ", store " + Long.toHexString(storeId) + "]";
    }
}
