package dev.rvm.core.internal;

import dev.rvm.core.LatencyListener;
import dev.rvm.core.LatencyListener.Operation;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The store's {@link LatencyListener}s. Without any listener the commit path reads no clock: {@link #start()}
 * returns {@link #NOT_TIMED} and {@link #completed} returns at once. Thread-safe (copy-on-write list: listeners
 * are added rarely, read on every commit).
 */
final class LatencyListeners {
    /** What {@link #start()} returns when nobody listens. */
    static final long NOT_TIMED = Long.MIN_VALUE;

    private final CopyOnWriteArrayList<LatencyListener> listeners = new CopyOnWriteArrayList<>();

    void add(LatencyListener l) {
        listeners.addIfAbsent(l);
    }

    void remove(LatencyListener l) {
        listeners.remove(l);
    }

    /** The start time of an operation to report, or {@link #NOT_TIMED}. */
    long start() {
        return listeners.isEmpty() ? NOT_TIMED : System.nanoTime();
    }

    /** Reports an operation begun at {@code start} (a value of {@link #start()}). */
    void completed(Operation op, long start) {
        if (start == NOT_TIMED) {
            return;
        }
        long nanos = System.nanoTime() - start;
        tell(l -> l.completed(op, nanos));
    }

    /** Reports one log force. */
    void forced(long nanos) {
        tell(l -> l.forced(nanos));
    }

    private void tell(Consumer<LatencyListener> call) {
        for (LatencyListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException ignored) {
                // The operation is durable already; a broken listener must not turn it into a failure.
            }
        }
    }
}
