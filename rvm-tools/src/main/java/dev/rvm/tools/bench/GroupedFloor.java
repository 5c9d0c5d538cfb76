package dev.rvm.tools.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The disk's floor for group commit: several threads append {@value #RECORD}-byte records (the size of a two-range
 * debit-credit record) to one file, and the last of each group of as many records as there are threads writes the
 * group and forces it while the others wait. No engine, no log format, no timer: it knows the group size exactly, so
 * it never waits for a straggler that is not coming. What it gains over one thread's appends is what grouped forcing
 * gains on this machine with this many threads in a closed loop; the 4-thread target is read against it.
 *
 * <p>Its write-and-force hand-off (stage under a lock, swap buffers, write and force outside it, wake the waiters)
 * is a deliberate copy of the one in the core's {@code LogWriter}, not shared with it: a floor must not move when
 * the engine changes, and it must not carry what the writer adds to the protocol (lingering for stragglers by a
 * timer, lazy groups, log space, failure handling). If the writer's hand-off changes in kind — not in tuning — this
 * copy should follow, or the floor stops being the floor of what the engine does.
 *
 * <p>Not thread-safe: one {@link #run} at a time; it starts and joins its own threads.
 */
final class GroupedFloor {
    /** Bytes of one record: what a two-range debit-credit transaction logs. */
    static final int RECORD = 64;

    private final FileChannel ch;
    private final long fileSize;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition forced = lock.newCondition();
    private byte[] staging;
    private byte[] spare;
    private int staged;
    private int members;
    private boolean writing;
    /** Number of the group being staged; groups before {@link #durableGroups} are forced. */
    private long group;
    private long durableGroups;
    private long position;
    private long forces;
    private IOException failure;

    private GroupedFloor(FileChannel ch, long fileSize, long position, int threads) {
        if (fileSize < (long) RECORD * threads) {
            throw new IllegalArgumentException("file of " + fileSize + " bytes is smaller than one group of "
                    + threads + " records");
        }
        this.ch = ch;
        this.fileSize = fileSize;
        this.position = position;
        this.members = threads;
        this.staging = new byte[RECORD * threads];
        this.spare = new byte[RECORD * threads];
    }

    /**
     * Appends from {@code threads} threads for {@code nanos}, recording each append's latency in {@code h}.
     *
     * @param pos the file position to write at (updated; wraps to 0 before {@code fileSize})
     * @return the number of records appended, each durable when counted
     */
    static Result run(FileChannel ch, long fileSize, long[] pos, int threads, long nanos, LatencyHistogram h)
            throws IOException, InterruptedException {
        GroupedFloor f = new GroupedFloor(ch, fileSize, pos[0], threads);
        long end = System.nanoTime() + nanos;
        long[] counts = new long[threads];
        LatencyHistogram[] hs = new LatencyHistogram[threads];
        Throwable[] failures = new Throwable[threads];
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int k = i;
            hs[k] = new LatencyHistogram();
            workers.add(new Thread(() -> {
                try {
                    long now = System.nanoTime();
                    while (now < end) {
                        f.append(counts[k]);
                        long done = System.nanoTime();
                        hs[k].record(done - now);
                        counts[k]++;
                        now = done;
                    }
                } catch (Throwable e) {
                    failures[k] = e;
                } finally {
                    f.leave();
                }
            }, "bench-grouped-floor-" + k));
        }
        for (Thread t : workers) {
            t.start();
        }
        long sum = 0;
        for (int i = 0; i < threads; i++) {
            workers.get(i).join();
            if (failures[i] != null) {
                throw new IOException("grouped append failed: " + failures[i], failures[i]);
            }
            h.add(hs[i]);
            sum += counts[i];
        }
        pos[0] = f.position;
        return new Result(sum, f.forces);
    }

    /** Records appended (each durable when counted) and forces issued. */
    record Result(long appends, long forces) {
    }

    private void append(long seq) throws IOException {
        lock.lock();
        try {
            long mine = group;
            ByteBuffer.wrap(staging, staged * RECORD, RECORD).putLong(seq);
            staged++;
            while (durableGroups <= mine) {
                if (failure != null) {
                    throw failure;
                }
                if (!writing && group == mine && staged >= members) {
                    writeGroup();
                } else {
                    forced.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** A thread whose time is up: the group no longer waits for it. */
    private void leave() {
        lock.lock();
        try {
            members--;
            forced.signalAll(); // a waiter of a now complete group forces it
        } finally {
            lock.unlock();
        }
    }

    /** Writes and forces the staged group; called and returns with the lock held. */
    private void writeGroup() {
        writing = true;
        byte[] buf = staging;
        int n = staged * RECORD;
        if (position + staging.length > fileSize) {
            position = 0;
        }
        long at = position;
        position += n;
        staging = spare;
        spare = null;
        staged = 0;
        long g = group++;
        lock.unlock();
        IOException failed = null;
        try {
            ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
            while (b.hasRemaining()) {
                ch.write(b, at + b.position());
            }
            ch.force(false);
        } catch (IOException e) {
            failed = e;
        } finally {
            lock.lock();
        }
        spare = buf;
        writing = false;
        if (failed != null) {
            failure = failed;
        } else {
            durableGroups = g + 1;
            forces++;
        }
        forced.signalAll();
    }
}
