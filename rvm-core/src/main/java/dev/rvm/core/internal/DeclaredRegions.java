package dev.rvm.core.internal;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.internal.lock.LockOwner;
import dev.rvm.core.internal.log.RangeSink;
import dev.rvm.core.internal.log.RecordBuilder;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The ranges a transaction declared with {@code setRange}, with their undo copies, one {@link DeclaredRanges} per
 * region it touched, and what the log needs of them (their count, their bytes, a size bound). A superclass of
 * {@link TransactionImpl} rather than an object it holds, so that the commit path reads these fields without one more
 * indirection or allocation per transaction. Used by the transaction's thread only, as the transaction is.
 */
abstract class DeclaredRegions extends LockOwner {
    /**
     * The declared ranges per region touched: {@code first}, then {@code others[0, regions - 1)}. Most transactions
     * touch one region, so that case allocates no list.
     */
    private DeclaredRanges first;
    private DeclaredRanges[] others;
    private int regions;

    private DeclaredRanges declared(int i) {
        return i == 0 ? first : others[i - 1];
    }

    /** Whether any range was declared. */
    final boolean hasRegions() {
        return regions != 0;
    }

    /** The ranges declared in {@code r}, or null. */
    final DeclaredRanges rangesIn(RegionImpl r) {
        for (int i = 0; i < regions; i++) {
            DeclaredRanges d = declared(i);
            if (d.region == r) {
                return d;
            }
        }
        return null;
    }

    /** Adds the ranges of a region not touched before. */
    final void addRegion(DeclaredRanges d) {
        if (regions == 0) {
            first = d;
        } else {
            if (others == null) {
                others = new DeclaredRanges[2];
            } else if (regions - 1 == others.length) {
                others = Arrays.copyOf(others, others.length * 2);
            }
            others[regions - 1] = d;
        }
        regions++;
    }

    /** The first region's ranges (the ones a thread's next transaction may reuse), or null. */
    final DeclaredRanges firstRegion() {
        return first;
    }

    /** Forgets every region, each losing this transaction as a user. */
    final void releaseRegions() {
        for (int i = 0; i < regions; i++) {
            declared(i).region.users.decrementAndGet();
        }
        first = null;
        others = null;
        regions = 0;
    }

    /** Number of ranges declared. */
    final int rangeCount() {
        int c = 0;
        for (int i = 0; i < regions; i++) {
            c += declared(i).size();
        }
        return c;
    }

    /** Encodes the ranges, count first, with their current values into {@code rb} after its header fields. */
    final void encodeRanges(RecordBuilder rb) {
        rb.varint(rangeCount());
        writeRanges(rb);
    }

    /**
     * Copies the ranges with their current values into {@code sink}: this transaction's own record, or straight from
     * memory into the lazy group's buffer.
     */
    final void writeRanges(RangeSink sink) {
        for (int k = 0; k < regions; k++) {
            DeclaredRanges d = declared(k);
            RegionImpl r = d.region;
            for (int i = 0; i < d.size(); i++) {
                long s = d.start(i);
                int len = lengthOf(d.end(i) - s);
                int at = sink.slot(r.segmentId, r.offset() + s, len);
                r.memory.get(s, sink.buffer(), at, len);
            }
        }
    }

    /** An upper bound of the bytes this transaction's ranges take in a record payload. */
    final long payloadBound() {
        long b = 0;
        for (int k = 0; k < regions; k++) {
            DeclaredRanges d = declared(k);
            for (int i = 0; i < d.size(); i++) {
                b += d.end(i) - d.start(i) + 3 * 10;
            }
        }
        return b;
    }

    /** Regions touched, for the mappings' bookkeeping. */
    final void forEachRegion(Consumer<RegionImpl> c) {
        for (int i = 0; i < regions; i++) {
            c.accept(declared(i).region);
        }
    }

    /** Puts the saved old values back, newest first. */
    final void restoreOldValues() {
        for (int i = regions - 1; i >= 0; i--) {
            declared(i).restoreOldValues();
        }
    }

    private static int lengthOf(long len) {
        if (len > Integer.MAX_VALUE - 1024) {
            throw new RvmException(ErrorCode.RECORD_TOO_LARGE, "a declared range of " + len + " bytes cannot be logged");
        }
        return (int) len;
    }
}
