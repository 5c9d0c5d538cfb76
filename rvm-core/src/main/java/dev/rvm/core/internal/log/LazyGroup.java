package dev.rvm.core.internal.log;

/**
 * What a lazily committed transaction sees of the group it joins: a place to copy its ranges, with their values as
 * at commit time. Called under the {@link LogWriter}'s lock; not thread-safe on its own.
 */
public interface LazyGroup {
    /** Adds one range: {@code src[off, off + len)} is the new value of bytes at {@code offset} of a segment. */
    void add(int segmentId, long offset, byte[] src, int off, int len);

    /** The ranges of one lazy commit, copied into the group under the writer's lock. */
    @FunctionalInterface
    interface Ranges {
        /** Adds every range (with its commit-time value) to the group. */
        void addTo(LazyGroup group);
    }
}
