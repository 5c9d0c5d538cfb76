package dev.rvm.core.internal.replay;

import dev.rvm.core.internal.segment.SegmentFile;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Applies redo ranges to segment files a page at a time: each touched page is read once, patched by every
 * range in log order, and written once. This turns millions of small ranges into a few large writes, which is
 * what makes recovery and truncation fast.
 *
 * <p>With a {@link Pacing}, the patched pages are written and forced {@value #PACED_CHUNK} bytes at a time and the
 * pacing is consulted between chunks: a background truncation spreads its segment I/O instead of putting a burst
 * of it in front of the commits' log forces on the same disk. Not thread-safe.
 */
public final class PageApplier {
    private static final int PAGE = 4096;
    private static final int MAX_CACHED_PAGES = 16 * 1024; // 64 MiB
    /** Bytes written and forced between two pauses of a paced write-out. */
    public static final int PACED_CHUNK = 64 * 1024;

    /** Decides how long to wait between two forced chunks of a paced write-out. */
    @FunctionalInterface
    public interface Pacing {
        /**
         * Called after each forced chunk; may sleep.
         *
         * @param done bytes of the current write-out forced so far
         * @param total bytes of the current write-out
         */
        void chunkForced(long done, long total) throws IOException;
    }

    private final IntFunction<SegmentFile> segments;
    private final Pacing pacing;
    /** Progress of a paced write-out: its bytes, those forced, and those written since the last force. */
    private long outTotal;
    private long outForced;
    private long outUnforced;
    private final Map<Integer, Pages> pages = new HashMap<>();
    private final Set<SegmentFile> touched = new HashSet<>();
    private int cached;
    private long rangesApplied;
    private long bytesApplied;
    private int lastSeg = -1;
    private long lastPage = -1;
    private byte[] lastData;
    private SegmentFile lastSegment;

    /** Applies to the segments {@code segments} resolves by id (it throws for an unknown id), at full speed. */
    public PageApplier(IntFunction<SegmentFile> segments) {
        this(segments, null);
    }

    /** Applies to the segments {@code segments} resolves by id, writing paced by {@code pacing} if not null. */
    public PageApplier(IntFunction<SegmentFile> segments, Pacing pacing) {
        this.segments = segments;
        this.pacing = pacing;
    }

    /** Applies one range. */
    public void apply(int segmentId, long offset, byte[] data, int dataOffset, int length) throws IOException {
        SegmentFile seg = lastSegment != null && lastSegment.id() == segmentId ? lastSegment : segments.apply(segmentId);
        lastSegment = seg;
        if (offset < 0 || offset + length > seg.size()) {
            throw new IOException("redo range [" + offset + ", " + (offset + length) + ") outside segment '" + seg.name()
                    + "' of " + seg.size() + " bytes");
        }
        rangesApplied++;
        bytesApplied += length;
        long at = offset;
        int from = dataOffset;
        int left = length;
        while (left > 0) {
            long pageNo = at / PAGE;
            int inPage = (int) (at % PAGE);
            int n = Math.min(left, PAGE - inPage);
            byte[] page = page(seg, pageNo);
            System.arraycopy(data, from, page, inPage, n);
            at += n;
            from += n;
            left -= n;
        }
    }

    private byte[] page(SegmentFile seg, long pageNo) throws IOException {
        if (seg.id() == lastSeg && pageNo == lastPage) {
            return lastData;
        }
        Pages segPages = pages.computeIfAbsent(seg.id(), k -> new Pages(seg));
        byte[] p = segPages.get(pageNo);
        if (p == null) {
            if (cached >= MAX_CACHED_PAGES) {
                writeOut();
                segPages = pages.computeIfAbsent(seg.id(), k -> new Pages(seg));
            }
            p = new byte[PAGE];
            seg.read(pageNo * PAGE, p, 0, pageLength(seg, pageNo));
            segPages.put(pageNo, p);
            touched.add(seg);
            cached++;
        }
        lastSeg = seg.id();
        lastPage = pageNo;
        lastData = p;
        return p;
    }

    /**
     * The patched pages of one segment: a plain array indexed by page number for segments up to 256 MiB (cheaper than
     * boxing every page number, and small enough not to be a huge allocation per truncation), a map beyond.
     */
    private static final class Pages {
        private static final long ARRAY_LIMIT = 1L << 16;
        private final byte[][] array;
        private final Map<Long, byte[]> map;

        Pages(SegmentFile seg) {
            long count = (seg.size() + PAGE - 1) / PAGE;
            array = count <= ARRAY_LIMIT ? new byte[(int) count][] : null;
            map = array == null ? new HashMap<>() : null;
        }

        byte[] get(long pageNo) {
            return array != null ? array[(int) pageNo] : map.get(pageNo);
        }

        void put(long pageNo, byte[] page) {
            if (array != null) {
                array[(int) pageNo] = page;
            } else {
                map.put(pageNo, page);
            }
        }

        void forEach(PageConsumer c) throws IOException {
            if (array != null) {
                for (int i = 0; i < array.length; i++) {
                    if (array[i] != null) {
                        c.accept(i, array[i]);
                    }
                }
            } else {
                for (Map.Entry<Long, byte[]> e : map.entrySet()) {
                    c.accept(e.getKey(), e.getValue());
                }
            }
        }
    }

    @FunctionalInterface
    private interface PageConsumer {
        void accept(long pageNo, byte[] page) throws IOException;
    }

    private static int pageLength(SegmentFile seg, long pageNo) {
        return (int) Math.min(PAGE, seg.size() - pageNo * PAGE);
    }

    /** Writes every patched page: not forced, or forced chunk by chunk when paced. */
    private void writeOut() throws IOException {
        outTotal = (long) cached * PAGE;
        outForced = 0;
        outUnforced = 0;
        for (Map.Entry<Integer, Pages> s : pages.entrySet()) {
            SegmentFile seg = segments.apply(s.getKey());
            s.getValue().forEach((pageNo, page) -> {
                seg.write(pageNo * PAGE, page, 0, pageLength(seg, pageNo));
                if (pacing != null && (outUnforced += PAGE) >= PACED_CHUNK) {
                    forceChunk(seg);
                }
            });
            if (pacing != null && outUnforced > 0) {
                forceChunk(seg); // the next chunk belongs to another file
            }
        }
        pages.clear();
        cached = 0;
        lastSeg = -1;
        lastPage = -1;
        lastData = null;
    }

    private void forceChunk(SegmentFile seg) throws IOException {
        seg.force();
        outForced += outUnforced;
        outUnforced = 0;
        pacing.chunkForced(outForced, outTotal);
    }

    /** Writes every patched page and forces every segment touched. */
    public void finish() throws IOException {
        writeOut();
        if (pacing == null) {
            for (SegmentFile seg : touched) {
                seg.force();
            }
        } // else each chunk was forced as it was written
        touched.clear();
    }

    /** Ranges applied so far. */
    public long rangesApplied() {
        return rangesApplied;
    }

    /** Bytes applied so far. */
    public long bytesApplied() {
        return bytesApplied;
    }
}
