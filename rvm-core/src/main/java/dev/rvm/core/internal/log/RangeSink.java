package dev.rvm.core.internal.log;

/**
 * Where a committing transaction copies its ranges with their new values: the {@link RecordBuilder} of its own
 * record, or the lazy group it joins ({@link LazyBuffer}). The value must be copied at once, so it is the value as
 * at commit time. Not thread-safe: a record builder belongs to one thread, the lazy group is used under the
 * {@link LogWriter}'s lock.
 */
public interface RangeSink {
    /**
     * Adds one range of {@code len} bytes at {@code offset} of a segment and returns where in {@link #buffer()} its
     * new value must be copied.
     */
    int slot(int segmentId, long offset, int len);

    /** The buffer the values are copied into; valid until the next {@link #slot}. */
    byte[] buffer();

    /** The ranges of one commit, copied into a sink (for a lazy commit, under the writer's lock). */
    @FunctionalInterface
    interface Source {
        /** Adds every range (with its commit-time value) to {@code sink}. */
        void writeTo(RangeSink sink);
    }
}
