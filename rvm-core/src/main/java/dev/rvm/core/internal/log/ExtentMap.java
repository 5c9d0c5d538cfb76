package dev.rvm.core.internal.log;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Non-overlapping byte extents of one segment, the newest value of every byte: the paper's inter-transaction
 * optimisation for lazily committed transactions. A later {@link #put} of the same bytes replaces the earlier
 * value, so those bytes are logged once. Not thread-safe (the log writer guards it).
 */
final class ExtentMap {
    private final TreeMap<Long, byte[]> extents = new TreeMap<>();
    private long bytes;

    /** Stores {@code src[off, off+len)} at segment offset {@code at}; returns how many older bytes it replaced. */
    long put(long at, byte[] src, int off, int len) {
        long end = at + len;
        long replaced = 0;
        // An extent starting before `at` may reach into the new one: keep its head, and its tail past `end`.
        Map.Entry<Long, byte[]> before = extents.lowerEntry(at);
        if (before != null) {
            long bStart = before.getKey();
            byte[] bData = before.getValue();
            long bEnd = bStart + bData.length;
            if (bEnd > at) {
                extents.put(bStart, java.util.Arrays.copyOf(bData, (int) (at - bStart)));
                if (bEnd > end) {
                    extents.put(end, java.util.Arrays.copyOfRange(bData, (int) (end - bStart), bData.length));
                    replaced += len;
                } else {
                    replaced += bEnd - at;
                }
            }
        }
        Iterator<Map.Entry<Long, byte[]>> it = extents.subMap(at, true, end, false).entrySet().iterator();
        byte[] tail = null;
        long tailAt = 0;
        while (it.hasNext()) {
            Map.Entry<Long, byte[]> e = it.next();
            long eStart = e.getKey();
            byte[] eData = e.getValue();
            long eEnd = eStart + eData.length;
            it.remove();
            if (eEnd > end) {
                tail = java.util.Arrays.copyOfRange(eData, (int) (end - eStart), eData.length);
                tailAt = end;
                replaced += end - eStart;
            } else {
                replaced += eData.length;
            }
        }
        if (tail != null) {
            extents.put(tailAt, tail);
        }
        byte[] data = new byte[len];
        System.arraycopy(src, off, data, 0, len);
        extents.put(at, data);
        bytes += len - replaced;
        return replaced;
    }

    /** Number of extents. */
    int size() {
        return extents.size();
    }

    /** Distinct bytes held. */
    long bytes() {
        return bytes;
    }

    /** The extents in offset order. */
    Iterable<Map.Entry<Long, byte[]>> entries() {
        return extents.entrySet();
    }
}
