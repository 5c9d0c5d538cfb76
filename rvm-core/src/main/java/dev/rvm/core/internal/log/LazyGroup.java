package dev.rvm.core.internal.log;

/**
 * What a lazily committed transaction sees of the group it joins: a place to copy its ranges, with their values as
 * at commit time. Called under the {@link LogWriter}'s lock; not thread-safe on its own.
 */
public interface LazyGroup {
    /**
     * Adds one range of {@code len} bytes at {@code offset} of a segment and returns where in {@link #buffer()} its
     * new value must be copied (at once: the slot is the range's value as at commit time).
     */
    int slot(int segmentId, long offset, int len);

    /** The buffer the values are copied into; valid until the next {@link #slot}. */
    byte[] buffer();

    /** The ranges of one lazy commit, copied into the group under the writer's lock. */
    @FunctionalInterface
    interface Ranges {
        /** Adds every range (with its commit-time value) to the group. */
        void addTo(LazyGroup group);
    }
}
