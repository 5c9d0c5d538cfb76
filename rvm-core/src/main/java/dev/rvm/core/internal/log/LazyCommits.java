package dev.rvm.core.internal.log;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;

/**
 * The lazily committed ({@code NO_FLUSH}) transactions not yet in the log, when coalescing is on: each commit adds
 * its ranges to the open group ({@link LazyBuffer}), and the group goes into the log as one COMMIT record when it
 * passes its size limit or when someone needs every commit so far in the log (a force, a second phase, close). A
 * transaction is committed once it is in the group; writing the group out is housekeeping, so a group that does not
 * fit in the log now stays buffered and the next drain retries it.
 *
 * <p>The group must fit in the log as one record: a commit that alone could not is refused, and the group is written
 * out first if adding a commit could make it stop fitting.
 *
 * <p>Not thread-safe: the {@link LogWriter} calls it under its lock.
 */
final class LazyCommits {
    /** Seals a record into the log (may wait for space, may fail with {@link ErrorCode#LOG_FULL}). */
    @FunctionalInterface
    interface Sealer {
        void seal(RecordBuilder rb);
    }

    private final long limit;
    private final LazyBuffer group = new LazyBuffer();
    private final RecordBuilder record = new RecordBuilder();
    /** True while {@link #record} holds an encoded group not yet sealed into the log. */
    private boolean encoded;
    private long bytesSaved;
    private long groupsSealed;

    /** @param limit bytes of values past which the group is written out */
    LazyCommits(long limit) {
        this.limit = limit;
    }

    /**
     * Adds one transaction's ranges, with their values as at this moment.
     *
     * @param payloadBound an upper bound of the bytes the ranges take in a record payload
     * @param space        the log's space, for the room a group record may take
     */
    void add(RangeSink.Source ranges, long payloadBound, LogSpace space, Sealer sealer) {
        long room = space.room();
        if (LogFormat.recordLength((int) Math.min(Integer.MAX_VALUE, payloadBound + 20)) > room) {
            throw space.tooLarge("a lazy commit of up to " + payloadBound + " bytes");
        }
        long groupBound = group.payloadBound() + payloadBound;
        if (LogFormat.recordLength((int) Math.min(Integer.MAX_VALUE, groupBound + 20)) > room) {
            drain(sealer);
        }
        try {
            ranges.writeTo(group);
        } catch (RuntimeException | Error e) {
            group.dropUncounted();
            throw e;
        }
        group.transactionAdded();
        if (group.bytes() >= limit) {
            try {
                drain(sealer);
            } catch (RvmException e) {
                if (e.code() != ErrorCode.LOG_FULL) {
                    throw e;
                }
            }
        }
    }

    /** Seals the group, if any, into the log: every lazy commit so far then precedes the next record appended. */
    void drain(Sealer sealer) {
        while (encoded || !group.isEmpty()) {
            if (!encoded) {
                group.encode(record);
                bytesSaved += group.replacedBytes();
                encoded = true;
            }
            // If sealing fails (log full), the encoded group is kept and sealed first by the next drain.
            sealer.seal(record);
            encoded = false;
            groupsSealed++;
        }
    }

    /** Whether no lazy commit waits here (every one so far is sealed into the log). */
    boolean isEmpty() {
        return !encoded && group.isEmpty();
    }

    /** Groups sealed into the log so far: a change tells the writer that the commits waiting here moved on. */
    long groupsSealed() {
        return groupsSealed;
    }

    /** Bytes that later lazy commits overwrote before their group was written, so were never logged. */
    long bytesSaved() {
        return bytesSaved;
    }
}
