package dev.rvm.ra.internal;

import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.RvmException;
import java.util.Timer;
import java.util.TimerTask;
import java.util.function.Supplier;

/**
 * Bounds the window of lazy one-phase commits: every {@code lazyFlushMillis} it forces the store's log
 * ({@code RecoverableMemory.flush()}), so a commit acknowledged without its force becomes durable within about one
 * period plus one force. It runs on a timer the container gives ({@code BootstrapContext.createTimer()}) and stops
 * with the adapter. A flush with nothing lazy pending returns at once. Thread-safe.
 */
public final class LazyFlusher extends TimerTask {
    /** Property name, as in {@code ra.xml}. */
    public static final String LAZY_FLUSH_MILLIS = "lazyFlushMillis";
    /** Default period: short, so the window stays a few milliseconds, as PostgreSQL's wal_writer_delay bounds its. */
    public static final long DEFAULT_LAZY_FLUSH_MILLIS = 10;
    /** Longest period accepted: beyond this the "bounded" window would be an unbounded one in practice. */
    public static final long MAX_LAZY_FLUSH_MILLIS = 10_000;

    private final Supplier<RecoverableMemory> memory;
    private final Timer timer;
    private volatile boolean failedOnce;

    private LazyFlusher(Supplier<RecoverableMemory> memory, Timer timer) {
        this.memory = memory;
        this.timer = timer;
    }

    /**
     * The period for a configured value, {@code null} meaning the default.
     *
     * @throws IllegalArgumentException naming the property, for a value outside 1..{@value #MAX_LAZY_FLUSH_MILLIS}
     */
    public static long period(Long configured) {
        long p = configured == null ? DEFAULT_LAZY_FLUSH_MILLIS : configured;
        if (p < 1 || p > MAX_LAZY_FLUSH_MILLIS) {
            throw StoreConfig.bad(LAZY_FLUSH_MILLIS, configured, "must be 1.." + MAX_LAZY_FLUSH_MILLIS
                    + " milliseconds");
        }
        return p;
    }

    /** Starts flushing {@code memory} every {@code periodMillis} on {@code timer}, which it owns from now on. */
    public static LazyFlusher start(RecoverableMemory memory, Timer timer, long periodMillis) {
        return start(() -> memory, timer, periodMillis);
    }

    /**
     * Starts flushing, every {@code periodMillis} on {@code timer} (which it owns from now on), the store that
     * {@code memory} gives at that moment ({@code null}: none, as on a follower of a replicated group).
     */
    public static LazyFlusher start(Supplier<RecoverableMemory> memory, Timer timer, long periodMillis) {
        LazyFlusher f = new LazyFlusher(memory, timer);
        timer.scheduleAtFixedRate(f, periodMillis, periodMillis);
        return f;
    }

    @Override
    public void run() {
        RecoverableMemory m = memory.get();
        if (m == null || !m.isOpen()) {
            return;
        }
        try {
            m.flush();
        } catch (RvmException e) {
            // The store stopped (it says so to every caller); report it here once, not every period.
            if (!failedOnce) {
                failedOnce = true;
                Messages.lazyFlushFailed(e);
            }
        }
    }

    /** Stops the timer; a flush in progress completes. */
    public void stop() {
        cancel();
        timer.cancel();
    }
}
