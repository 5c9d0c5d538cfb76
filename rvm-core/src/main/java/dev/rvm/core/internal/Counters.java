package dev.rvm.core.internal;

import java.util.concurrent.atomic.LongAdder;

/** The engine's statistics counters. Thread-safe (adders); read as a snapshot by {@link Engine#statistics()}. */
final class Counters {
    final LongAdder commitsFlush = new LongAdder();
    final LongAdder commitsNoFlush = new LongAdder();
    final LongAdder aborts = new LongAdder();
    final LongAdder prepares = new LongAdder();
    final LongAdder readOnlyPrepares = new LongAdder();
    final LongAdder commitsPrepared = new LongAdder();
    final LongAdder rollbacksPrepared = new LongAdder();
    final LongAdder bytesSavedIntra = new LongAdder();
    final LongAdder truncations = new LongAdder();
    final LongAdder truncationNanos = new LongAdder();
    volatile long lastTruncationNanos;
    volatile long lastRecoveryNanos;
    volatile long lastRecoveryRecords;
    volatile long lastRecoveryBytes;
}
