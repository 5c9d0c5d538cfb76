package dev.rvm.core.internal.log;

/**
 * When the oldest lazy commit not yet durable was made ({@link System#nanoTime}), followed as lazy commits move
 * through the writer: in the lazy group, sealed into the staging buffer, in the write in flight, written without a
 * force. Its age is the window a crash now could take (statistics show it). The clock is read once per group of
 * lazy commits, not per commit: only the oldest one's time matters.
 *
 * <p>Not thread-safe: the {@link LogWriter} calls it under its lock.
 */
final class UnforcedAge {
    /** No lazy commit is waiting at that stage. */
    private static final long NONE = Long.MIN_VALUE;

    private long inGroup = NONE;
    private long staged = NONE;
    private long writing = NONE;
    private long written = NONE;

    /** A lazy commit joined the group. */
    void addedToGroup() {
        if (inGroup == NONE) {
            inGroup = System.nanoTime();
        }
    }

    /** A lazy commit was sealed into the staging buffer directly. */
    void staged() {
        if (staged == NONE) {
            staged = System.nanoTime();
        }
    }

    /** The lazy group was sealed into the staging buffer. */
    void groupSealed() {
        staged = oldest(staged, inGroup);
        inGroup = NONE;
    }

    /** The staging buffer was handed to a write. */
    void writeStarted() {
        writing = staged;
        staged = NONE;
    }

    /** The write in flight ended, forced or not (a force covers every earlier write). */
    void writeEnded(boolean forced) {
        written = forced ? NONE : oldest(written, writing);
        writing = NONE;
    }

    /** Milliseconds since the oldest lazy commit not yet durable was made, or 0 if none. */
    long millis() {
        long since = oldest(oldest(inGroup, staged), oldest(writing, written));
        return since == NONE ? 0 : Math.max(0, (System.nanoTime() - since) / 1_000_000);
    }

    private static long oldest(long a, long b) {
        return a == NONE ? b : b == NONE ? a : Math.min(a, b);
    }
}
