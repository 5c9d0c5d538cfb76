package dev.rvm.core;

import static dev.rvm.core.RvmAssertions.assertRvm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.LatencyListener.Operation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A latency listener is told each commit, prepare, second phase and force once, with its kind, and then no more. */
class LatencyListenerTest {
    @TempDir
    Path dir;

    private RecoverableMemory rvm;
    private Region r;
    private final Recording rec = new Recording();

    /** Records what it is told; thread-safe. */
    private static final class Recording implements LatencyListener {
        final List<Operation> ops = Collections.synchronizedList(new ArrayList<>());
        final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        final List<Long> forces = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void completed(Operation operation, long n) {
            ops.add(operation);
            nanos.add(n);
        }

        @Override
        public void forced(long n) {
            forces.add(n);
        }
    }

    /** A fresh store with one 4 KiB region; the listener is added by each test. */
    @BeforeEach
    void openStoreWithOneRegion() {
        rvm = RecoverableMemory.open(RvmAssertions.small(dir).build());
        r = RvmAssertions.newRegion(rvm, "s", 4096);
    }

    @AfterEach
    void closeStore() {
        rvm.close();
    }

    private Transaction changing(long offset, long value) {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, offset, 8);
        r.putLong(offset, value);
        return t;
    }

    @Test
    void eachOperationIsReportedOnceWithItsKindAndEachForceOnce() {
        long forcesBefore = rvm.statistics().forces();
        rvm.addLatencyListener(rec);
        rvm.addLatencyListener(rec); // a second add of the same listener is ignored
        changing(0, 1).commit(CommitMode.FLUSH);
        changing(8, 2).commit(CommitMode.NO_FLUSH);
        changing(16, 3).prepare(BranchId.of("a"));
        rvm.commitPrepared(BranchId.of("a"));
        changing(24, 4).prepare(BranchId.of("b"));
        rvm.rollbackPrepared(BranchId.of("b"));

        assertEquals(List.of(Operation.COMMIT_FLUSH, Operation.COMMIT_NO_FLUSH, Operation.PREPARE,
                Operation.COMMIT_PREPARED, Operation.PREPARE, Operation.ROLLBACK_PREPARED), rec.ops);
        assertTrue(rec.nanos.stream().allMatch(n -> n >= 0), rec.nanos.toString());
        // The FLUSH commit, two prepares and two outcome marks each forced the log: every force is reported once.
        assertEquals(rvm.statistics().forces() - forcesBefore, rec.forces.size(), "forces reported vs counted");
        assertTrue(rec.forces.size() >= 5, rec.forces.toString());
    }

    @Test
    void aRemovedListenerIsToldNothingMore() {
        rvm.addLatencyListener(rec);
        changing(0, 1).commit(CommitMode.FLUSH);
        rvm.removeLatencyListener(rec);
        changing(8, 2).commit(CommitMode.FLUSH);
        assertEquals(List.of(Operation.COMMIT_FLUSH), rec.ops);
        assertEquals(1, rec.forces.size());
    }

    @Test
    void aListenerThatThrowsDoesNotFailTheCommit() {
        rvm.addLatencyListener(new LatencyListener() {
            @Override
            public void completed(Operation operation, long nanos) {
                throw new IllegalStateException("broken listener");
            }

            @Override
            public void forced(long nanos) {
                throw new IllegalStateException("broken listener");
            }
        });
        rvm.addLatencyListener(rec);
        Transaction t = changing(0, 42);
        t.commit(CommitMode.FLUSH);
        assertEquals(TransactionState.COMMITTED, t.state());
        assertEquals(42, r.getLong(0));
        assertEquals(List.of(Operation.COMMIT_FLUSH), rec.ops); // the listener after the broken one still hears
    }

    @Test
    void aNullListenerIsRefused() {
        assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> rvm.addLatencyListener(null));
    }
}
