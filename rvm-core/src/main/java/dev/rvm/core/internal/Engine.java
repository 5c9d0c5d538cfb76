package dev.rvm.core.internal;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
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
import dev.rvm.core.internal.memory.Memory;
import dev.rvm.core.internal.segment.SegmentFile;
import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store: ties the log, the segments, the regions, locks, branches and truncation together, and implements
 * {@link RecoverableMemory}. Thread-safe.
 */
public final class Engine implements RecoverableMemory {
    private static final System.Logger LOG = System.getLogger("dev.rvm.core");

    private final RvmOptions options;
    private final Closeable storeLock;
    private final LogFile log;
    private final long storeId;
    private final StatusKeeper status;
    private final SegmentRegistry segments;
    /** Set once by recovery during construction. */
    private volatile LogWriter writer;
    private final RangeLockManager locks = new RangeLockManager();
    private final Branches branches = new Branches(this);
    private final Truncator truncator;
    private final ExecutorService ownExecutor;
    private final Counters counters = new Counters();
    private final LatencyListeners latencyListeners = new LatencyListeners();
    /** Per-thread slot holding the associated transaction (a mutable slot: cheaper than ThreadLocal set/remove). */
    private static final class Slot {
        /** The transaction in use on this thread; if null, {@link #aside} is empty. */
        TransactionImpl txn;
        /** Transactions set aside on this thread by {@link TransactionImpl#join()}, the newest last. */
        TransactionImpl[] aside;
        int asideCount;
        /** Left by the thread's last finished transaction for its next one (see {@link DeclaredRanges#reset}). */
        DeclaredRanges spare;

        void setAside(TransactionImpl t, TransactionImpl by) {
            if (aside == null) {
                aside = new TransactionImpl[2];
            } else if (asideCount == aside.length) {
                aside = Arrays.copyOf(aside, asideCount * 2);
            }
            aside[asideCount++] = t;
            t.setAsideFor(by);
        }

        /**
         * The top transaction left this thread: the newest set-aside one still associated with it comes back.
         * Entries that ended or left meanwhile (from other threads) are dropped on the way.
         */
        TransactionImpl comeBack(Thread me) {
            while (asideCount > 0) {
                TransactionImpl t = aside[--asideCount];
                aside[asideCount] = null;
                if (t.isAssociatedWith(me)) {
                    t.setAsideFor(null);
                    txn = t;
                    return t;
                }
            }
            txn = null;
            return null;
        }
    }

    private final ThreadLocal<Slot> current = ThreadLocal.withInitial(Slot::new);
    private final ThreadLocal<RecordBuilder> builders = ThreadLocal.withInitial(RecordBuilder::new);
    private final AtomicLong transactionIds = new AtomicLong();
    /** Transactions in state ACTIVE: group commit waits briefly for those that may be about to commit. */
    private final java.util.concurrent.atomic.AtomicInteger activeTransactions = new java.util.concurrent.atomic.AtomicInteger();
    private final Object mapLock = new Object();
    private final List<RegionImpl> regions = new CopyOnWriteArrayList<>();
    private final Map<Integer, AtomicLong> lastLogged = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final long lockTimeoutNanos;

    private Engine(RvmOptions options, Closeable storeLock, LogFile log, StoreFiles.Opened opened) throws IOException {
        this.options = options;
        this.lockTimeoutNanos = options.lockTimeout().toNanos();
        this.storeLock = storeLock;
        this.log = log;
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
        this.truncator = new Truncator(this, ownExecutor != null ? ownExecutor : options.truncationExecutor(),
                options.truncationThreshold());
        this.segments = new SegmentRegistry(options.storage(), options.directory(), storeId, status);
        try {
            segments.openAll();
            recover(opened.status().head(), epoch);
        } catch (IOException | RuntimeException e) {
            try {
                segments.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void recover(long head, int epoch) throws IOException {
        Recovery.Result rr = Recovery.run(log, storeIdLow(), head, segments);
        writer = new LogWriter(log, storeIdLow(), epoch, head, rr.tail(), options.coalescing(),
                options.lazyBufferLimit(), options.logFullTimeout().toNanos(), () -> truncator.maybeSchedule(true));
        writer.onForce(latencyListeners::forced);
        writer.replicateTo(options.replicator());
        for (LogRecord p : rr.inDoubt()) {
            byte[] raw = p.rawBytes();
            RecordBuilder rb = new RecordBuilder().reset(LogFormat.PREPARE, LogFormat.FLAG_RELOGGED)
                    .bytes(raw, LogFormat.HEADER_SIZE, raw.length - LogFormat.HEADER_SIZE - LogFormat.TRAILER_SIZE);
            long end = writer.appendReserved(rb);
            branches.recovered(p, end - rb.sealedLength());
        }
        writer.forceSealed();
        if (options.groupCommitWait()) {
            writer.activeTransactions(activeTransactions::get);
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

    /** Implements {@link RecoverableMemory#open}. */
    public static Engine open(RvmOptions options) {
        StoreFiles.Opened opened = StoreFiles.openLocked(options);
        try {
            return new Engine(options, opened.lock(), opened.log(), opened);
        } catch (IOException e) {
            opened.closeQuietly();
            throw new RvmException(ErrorCode.IO_ERROR, "opening the store in " + options.directory() + " failed: " + e, e);
        } catch (RuntimeException | Error e) {
            opened.closeQuietly();
            throw e;
        }
    }

    // ---- accessors for the collaborators in this package

    LogWriter writer() {
        return writer;
    }

    LogFile logFile() {
        return log;
    }

    StatusKeeper status() {
        return status;
    }

    SegmentRegistry segments() {
        return segments;
    }

    RangeLockManager locks() {
        return locks;
    }

    Branches branches() {
        return branches;
    }

    Truncator truncator() {
        return truncator;
    }

    Counters counters() {
        return counters;
    }

    int storeIdLow() {
        return (int) storeId;
    }

    /**
     * The calling thread's transaction. A transaction finished or detached by another thread (a transaction manager
     * commits on its own thread) may leave a stale entry here; it is dropped, not returned.
     */
    TransactionImpl currentTransaction() {
        Slot slot = current.get();
        TransactionImpl t = slot.txn;
        if (t == null) {
            return null;
        }
        Thread me = Thread.currentThread();
        return t.isAssociatedWith(me) ? t : slot.comeBack(me);
    }

    /**
     * {@code leaving} left the calling thread (suspended, ended or prepared): the thread's set-aside transaction, if
     * any, comes back. {@code reusable}, if not null, is kept for the thread's next transaction.
     */
    void left(TransactionImpl leaving, DeclaredRanges reusable) {
        Slot slot = current.get();
        if (slot.txn == leaving) {
            slot.comeBack(Thread.currentThread());
        }
        if (reusable != null) {
            slot.spare = reusable.idle();
        }
    }

    /** {@code t} was just associated with the calling thread: it is the thread's transaction now. */
    void joined(TransactionImpl t) {
        Slot slot = current.get();
        TransactionImpl top = slot.txn;
        if (top == t) {
            return;
        }
        if (top != null && top.isAssociatedWith(Thread.currentThread())) {
            slot.setAside(top, t);
        } else if (top != null) {
            slot.comeBack(Thread.currentThread()); // drop stale entries first, then put what is left aside
            if (slot.txn != null && slot.txn != t) {
                slot.setAside(slot.txn, t);
            }
        }
        slot.txn = t;
    }

    /** A ranges object for a transaction of the calling thread, reusing the one its last transaction left. */
    DeclaredRanges declaredRanges(RegionImpl r, boolean keepOld) {
        Slot slot = current.get();
        DeclaredRanges d = slot.spare;
        if (d == null) {
            return new DeclaredRanges(r, keepOld);
        }
        slot.spare = null;
        return d.reset(r, keepOld);
    }

    void checkUsable() {
        if (options.replicator() != null) {
            options.replicator().checkActive(); // a fenced replica's store says so even after it was closed
        }
        if (closed) {
            throw new RvmException(ErrorCode.STORE_CLOSED, "the store in " + options.directory() + " is closed");
        }
        IOException f = writer == null ? null : writer.failure();
        if (f instanceof dev.rvm.core.replication.ReplicationException r) {
            throw new RvmException(r.code(), r.getMessage() + "; the store stopped", r);
        }
        if (f != null) {
            throw new RvmException(ErrorCode.STORE_FAILED, "an I/O failure stopped the store in " + options.directory()
                    + "; close it and reopen it to recover", f);
        }
    }

    void checkTwoPhaseAllowed() {
        if (!options.rangeLocks()) {
            throw new RvmException(ErrorCode.ILLEGAL_STATE,
                    "prepare refused: two-phase commit needs range locks, which this store has switched off");
        }
    }

    RegionImpl own(Region region) {
        if (!(region instanceof RegionImpl) || ((RegionImpl) region).engine != this) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "region " + region + " does not belong to this store");
        }
        RegionImpl r = (RegionImpl) region;
        if (!r.isMapped()) {
            throw new RvmException(ErrorCode.ILLEGAL_STATE, "region " + r + " is not mapped");
        }
        return r;
    }

    void lockRange(TransactionImpl t, RegionImpl r, long offset, long length, boolean exclusive) {
        if (options.rangeLocks()) {
            long s = r.offset() + offset;
            locks.lock(t, r.lockTable, r.segment(), s, s + length, exclusive, lockTimeoutNanos);
        }
    }

    void lockRecovered(PreparedBranch b, int segmentId, long offset, int length) {
        if (options.rangeLocks()) {
            locks.lock(b, segmentId, segments.byId(segmentId).name(), offset, offset + length, true, 0);
        }
    }

    void transactionLeftActive() {
        activeTransactions.decrementAndGet();
    }

    void noteLogged(int segmentId) {
        lastLogged(segmentId).set(writer.tail() + 1);
    }

    /** Called with the regions a committing transaction touched (cached marker, no map lookup). */
    void noteLogged(RegionImpl r) {
        // A release store: map() only needs commits that happen-before it, and a volatile store costs a full fence.
        r.lastLogged.setRelease(writer.tail() + 1);
    }

    private AtomicLong lastLogged(int segmentId) {
        return lastLogged.computeIfAbsent(segmentId, k -> new AtomicLong());
    }

    /** Writes a committing transaction's redo (called by {@link TransactionImpl#commit}). */
    void logCommit(TransactionImpl t, CommitMode mode) {
        checkUsable();
        if (mode == CommitMode.NO_FLUSH && options.coalescing()) {
            writer.appendLazy(null, t::visitRanges, t.payloadBound());
        } else {
            RecordBuilder rb = builders.get().reset(LogFormat.COMMIT, (byte) 0).varint(1);
            t.encodeRanges(rb);
            if (mode == CommitMode.FLUSH) {
                writer.forceUpTo(writer.append(rb));
            } else {
                writer.appendLazy(rb, null, rb.payloadLength());
            }
        }
        t.forEachRegion(this::noteLogged);
        truncator.maybeSchedule(false);
    }

    /** Copies the redo of a recovered branch that just committed into the regions that map it. */
    void installRedo(LogRecord prepare) {
        prepare.forEachRange((seg, offset, data, off, len) -> {
            for (RegionImpl r : regions) {
                if (r.segmentId == seg && r.overlaps(offset, offset + len)) {
                    long from = Math.max(offset, r.offset());
                    long to = Math.min(offset + len, r.offset() + r.length());
                    r.memory.put(from - r.offset(), data, off + (int) (from - offset), (int) (to - from));
                }
            }
            noteLogged(seg);
        });
    }

    void backgroundFailure(RuntimeException e) {
        if (!closed) {
            LOG.log(System.Logger.Level.ERROR, "RVM background truncation failed", e);
        }
    }

    // ---- RecoverableMemory

    @Override
    public void createSegment(String name, long size) {
        checkUsable();
        try {
            if (options.replicator() != null) {
                options.replicator().segmentCreated(name, size);
            }
            segments.create(name, size);
        } catch (dev.rvm.core.replication.ReplicationException e) {
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
        checkUsable();
        SegmentFile f = segments.byName(segment);
        if (offset < 0 || length <= 0 || offset > f.size() - length) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "cannot map [" + offset + ", " + (offset + length)
                    + ") of segment '" + segment + "' of " + f.size() + " bytes");
        }
        synchronized (mapLock) {
            for (RegionImpl r : regions) {
                if (r.segmentId == f.id() && r.overlaps(offset, offset + length)) {
                    throw new RvmException(ErrorCode.OVERLAPPING_MAPPING, "[" + offset + ", " + (offset + length)
                            + ") of segment '" + segment + "' overlaps mapped " + r);
                }
            }
            AtomicLong logged = lastLogged.get(f.id());
            if (logged != null && logged.get() > status.current().head()) {
                truncate(); // the segment file lacks committed bytes still in the log
            }
            Memory m = new Memory(length);
            truncator.exclusion().lock();
            try {
                byte[] buf = new byte[(int) Math.min(length, 1 << 20)];
                for (long at = 0; at < length; at += buf.length) {
                    int n = (int) Math.min(buf.length, length - at);
                    try {
                        f.read(offset + at, buf, 0, n);
                    } catch (IOException e) {
                        throw new RvmException(ErrorCode.IO_ERROR, "reading segment '" + segment + "' failed: " + e, e);
                    }
                    m.put(at, buf, 0, n);
                }
            } finally {
                truncator.exclusion().unlock();
            }
            RegionImpl r = new RegionImpl(this, f.id(), segment, offset, m, locks.table(f.id()), lastLogged(f.id()));
            regions.add(r);
            return r;
        }
    }

    @Override
    public void unmap(Region region) {
        RegionImpl r = own(region);
        synchronized (mapLock) {
            if (r.users.get() > 0) {
                throw new RvmException(ErrorCode.REGION_IN_USE, "cannot unmap " + r + ": " + r.users.get()
                        + " transaction(s) have declared ranges in it");
            }
            r.unmapped();
            regions.remove(r);
        }
    }

    @Override
    public List<Region> regions() {
        return List.copyOf(regions);
    }

    @Override
    public Transaction begin(RestoreMode mode) {
        checkUsable();
        if (mode == null) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "restore mode is null");
        }
        TransactionImpl existing = currentTransaction();
        if (existing != null) {
            throw new RvmException(ErrorCode.ILLEGAL_STATE, "thread " + Thread.currentThread().getName()
                    + " already has " + existing.describe() + "; suspend it first (transactions do not nest)");
        }
        TransactionImpl t = new TransactionImpl(this, transactionIds.incrementAndGet(), mode, false);
        activeTransactions.incrementAndGet();
        current.get().txn = t;
        return t;
    }

    @Override
    public Transaction beginDetached(RestoreMode mode) {
        checkUsable();
        if (mode == null) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "restore mode is null");
        }
        TransactionImpl t = new TransactionImpl(this, transactionIds.incrementAndGet(), mode, true);
        activeTransactions.incrementAndGet();
        return t;
    }

    @Override
    public Transaction current() {
        return currentTransaction();
    }

    @Override
    public void flush() {
        checkUsable();
        writer.flushAll();
    }

    @Override
    public void truncate() {
        checkUsable();
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

    LatencyListeners latencyListeners() {
        return latencyListeners;
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
                locks.timeouts(), locks.deadlocks(), branches.oldestInDoubtMillis());
    }

    @Override
    public long storeId() {
        return storeId;
    }

    @Override
    public boolean isOpen() {
        return !closed && writer.failure() == null;
    }

    @Override
    public void close() {
        if (closed) {
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
        truncator.exclusion().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            truncator.exclusion().unlock();
        }
        if (ownExecutor != null) {
            ownExecutor.shutdown();
        }
        for (RegionImpl r : regions) {
            r.unmapped();
        }
        regions.clear();
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
