package dev.rvm.core.internal;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.core.internal.lock.RangeLockManager;
import dev.rvm.core.internal.log.LogRecord;
import dev.rvm.core.internal.log.LogWriter;
import dev.rvm.core.internal.memory.Memory;
import dev.rvm.core.internal.segment.SegmentFile;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;

/**
 * The regions mapped from the store's segments — {@code rvm_map} / {@code rvm_unmap} — and what keeps them
 * consistent with the log.
 *
 * <p>A region is a copy of segment bytes, so a segment file may lack committed values that are still only in the
 * log. Each segment remembers the log position just past its last logged change (its <em>last-logged</em> mark);
 * mapping a segment whose mark lies beyond the log's head truncates first, so the copy shows every commit. A
 * prepared branch recovered from the log and then committed has no transaction to write memory: its redo is
 * installed into the regions that map it.
 *
 * <p>Thread-safe: map and unmap are serialised among themselves; the region list is copy-on-write, read by commits.
 */
final class Mappings {
    private final SegmentRegistry segments;
    private final StatusKeeper status;
    private final RangeLockManager locks;
    private final LogWriter writer;
    /** Held while segment files are written (truncation): a region is read from its segment under it. */
    private final Lock segmentLock;
    /** Truncates everything committed so far, so segment files hold it (the store's {@code truncate()}). */
    private final Runnable truncateAll;
    private final StoreGuard guard;
    private final ThreadAssociations threads;
    private final Object mapLock = new Object();
    private final List<RegionImpl> regions = new CopyOnWriteArrayList<>();
    private final Map<Integer, AtomicLong> lastLogged = new ConcurrentHashMap<>();

    Mappings(SegmentRegistry segments, StatusKeeper status, RangeLockManager locks, LogWriter writer, Lock segmentLock,
            Runnable truncateAll, StoreGuard guard, ThreadAssociations threads) {
        this.segments = segments;
        this.status = status;
        this.locks = locks;
        this.writer = writer;
        this.segmentLock = segmentLock;
        this.truncateAll = truncateAll;
        this.guard = guard;
        this.threads = threads;
    }

    Region map(String segment, long offset, long length) {
        guard.checkUsable();
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
                truncateAll.run(); // the segment file lacks committed bytes still in the log
            }
            Memory m = new Memory(length);
            segmentLock.lock();
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
                segmentLock.unlock();
            }
            RegionImpl r = new RegionImpl(this, guard, threads, f.id(), segment, offset, m, locks.table(f.id()),
                    lastLogged(f.id()));
            regions.add(r);
            return r;
        }
    }

    void unmap(Region region) {
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

    List<Region> regions() {
        return List.copyOf(regions);
    }

    /** {@code region} as this store's mapped region, or the error a caller gets for a foreign or unmapped one. */
    RegionImpl own(Region region) {
        if (!(region instanceof RegionImpl) || ((RegionImpl) region).owner != this) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "region " + region + " does not belong to this store");
        }
        RegionImpl r = (RegionImpl) region;
        if (!r.isMapped()) {
            throw new RvmException(ErrorCode.REGION_UNMAPPED, "region " + r + " is not mapped");
        }
        return r;
    }

    /** A record changing {@code segmentId} was just appended. */
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

    /** Unmaps every region (the store is closing). */
    void unmapAll() {
        for (RegionImpl r : regions) {
            r.unmapped();
        }
        regions.clear();
    }
}
