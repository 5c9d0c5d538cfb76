package dev.rvm.ra.spi;

import static dev.rvm.ra.testing.Xids.xid;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static javax.transaction.xa.XAResource.XA_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.Region;
import dev.rvm.core.Statistics;
import dev.rvm.ra.internal.LazyFlusher;
import dev.rvm.ra.internal.Store;
import dev.rvm.ra.testing.Stores;
import java.nio.file.Path;
import java.util.Timer;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection factory with {@code lazyOnePhaseCommit}: a one-phase commit returns without a log force and the
 * background flush forces it within its period; prepare and second phase stay forced; the period is validated.
 */
class LazyOnePhaseCommitTest {
    @TempDir
    Path dir;
    private Store store;
    private Region r;

    @BeforeEach
    void open() {
        store = Stores.open(dir);
        r = store.region("r");
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void write(RvmXAResource xa, Xid x, long value) throws Exception {
        xa.start(x, TMNOFLAGS);
        store.memory().current().setRange(r, 0, 8);
        r.putLong(0, value);
        xa.end(x, TMSUCCESS);
    }

    @Test
    void aLazyOnePhaseCommitReturnsBeforeItsForceAndTheBackgroundFlushForcesIt() throws Exception {
        RvmXAResource xa = new RvmXAResource(store, true);
        Statistics before = store.memory().statistics();
        write(xa, xid("lazy"), 7);
        xa.commit(xid("lazy"), true);
        Statistics after = store.memory().statistics();
        assertEquals(before.forces(), after.forces(), "the commit returned without a force");
        assertEquals(before.commitsNoFlush() + 1, after.commitsNoFlush());
        assertEquals(7, r.getLong(0));

        LazyFlusher flusher = LazyFlusher.start(store.memory(), new Timer(true), 5);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.memory().statistics().forces() == after.forces() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        } finally {
            flusher.stop();
        }
        assertTrue(store.memory().statistics().forces() > after.forces(), "the background flush forced the log");
    }

    @Test
    void prepareAndTheSecondPhaseAreForcedEvenOnALazyConnection() throws Exception {
        RvmXAResource xa = new RvmXAResource(store, true);
        write(xa, xid("two-phase"), 9);
        long f0 = store.memory().statistics().forces();
        assertEquals(XA_OK, xa.prepare(xid("two-phase")));
        long f1 = store.memory().statistics().forces();
        xa.commit(xid("two-phase"), false);
        long f2 = store.memory().statistics().forces();
        assertTrue(f1 > f0, "prepare forced");
        assertTrue(f2 > f1, "the second phase forced");
    }

    @Test
    void anEagerConnectionForcesItsOnePhaseCommit() throws Exception {
        RvmXAResource xa = new RvmXAResource(store);
        write(xa, xid("eager"), 3);
        long f0 = store.memory().statistics().forces();
        xa.commit(xid("eager"), true);
        assertTrue(store.memory().statistics().forces() > f0);
    }

    @Test
    void aFlushPeriodOutsideItsRangeIsRefusedNamingTheProperty() {
        assertEquals(10, LazyFlusher.period(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LazyFlusher.period(0L));
        assertTrue(e.getMessage().contains("lazyFlushMillis"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LazyFlusher.period(10_001L));
    }
}
