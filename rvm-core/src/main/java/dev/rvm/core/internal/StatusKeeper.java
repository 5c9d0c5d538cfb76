package dev.rvm.core.internal;

import dev.rvm.core.internal.log.LogFile;
import dev.rvm.core.internal.log.StatusBlock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns the current status block and writes each change as the next alternating copy, forced before returning
 * (except a head move, see {@link #advanceHead}).
 * Thread-safe (synchronized): truncation and segment creation may change it concurrently.
 */
final class StatusKeeper {
    private final LogFile log;
    private StatusBlock current;

    StatusKeeper(LogFile log, StatusBlock current) {
        this.log = log;
        this.current = current;
    }

    synchronized StatusBlock current() {
        return current;
    }

    /** Moves the head without forcing: the caller has the next force of the log cover it before reusing space. */
    synchronized void advanceHead(long head) throws IOException {
        write(current.next(head, current.epoch(), current.segments()), false);
    }

    synchronized void startEpoch(int epoch) throws IOException {
        write(current.next(current.head(), epoch, current.segments()));
    }

    synchronized void recovered(long head, long millis, long records) throws IOException {
        write(current.next(head, current.epoch(), current.segments()).withRecovery(millis, records));
    }

    /** Moves the head and sets the epoch, forced: a replica's checkpoint (see {@link Follower}). */
    synchronized void checkpoint(long head, int epoch) throws IOException {
        write(current.next(head, epoch, current.segments()));
    }

    /** Adds a segment entry if the table has room; false if it does not. */
    synchronized boolean addSegment(StatusBlock.Segment s) throws IOException {
        List<StatusBlock.Segment> segs = new ArrayList<>(current.segments());
        segs.add(s);
        if (!StatusBlock.fits(segs)) {
            return false;
        }
        // Both copies get the new table: otherwise damage at rest to the newer copy would fall back to a table
        // without the segment, and the log's references to it would look like corruption.
        write(current.next(current.head(), current.epoch(), segs));
        write(current.next(current.head(), current.epoch(), segs));
        return true;
    }

    private void write(StatusBlock next) throws IOException {
        write(next, true);
    }

    private void write(StatusBlock next, boolean force) throws IOException {
        log.writeStatus(next, force);
        current = next;
    }
}
