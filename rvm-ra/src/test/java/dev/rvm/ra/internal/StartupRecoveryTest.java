package dev.rvm.ra.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.BranchId;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.Transaction;
import dev.rvm.ra.testing.Stores;
import dev.rvm.ra.testing.Xids;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scans {@link StartupRecovery} asks for: as many as it takes, no more than {@link StartupRecovery#MAX_SCANS},
 * none once the adapter stopped. The transaction manager here resolves the branch on the scan the test chooses, as
 * Narayana's recovery would; the real one is driven by the chaos test in WildFly.
 */
class StartupRecoveryTest {
    @TempDir
    Path dir;
    private Store store;

    @AfterEach
    void close() {
        store.close();
    }

    private BranchId prepareOne() throws Exception {
        store = Stores.open(dir);
        Xid xid = Xids.xid("decided by the transaction manager");
        BranchId id = XidCodec.encode(xid);
        Region r = store.region("r");
        try (Transaction tx = store.memory().begin(RestoreMode.RESTORE)) {
            tx.setRange(r, 0, 8);
            r.putLong(0, 7);
            tx.prepare(id);
        }
        return id;
    }

    /** A transaction manager that commits {@code id} on scan number {@code resolveOn} (0: never). */
    private TransactionManagerRecovery tm(BranchId id, int resolveOn, AtomicInteger scans) {
        return tm(id, resolveOn, scans, 0);
    }

    /** The same, each scan taking {@code scanMillis}, as a real one takes the manager's backoff period. */
    private TransactionManagerRecovery tm(BranchId id, int resolveOn, AtomicInteger scans, long scanMillis) {
        return new TransactionManagerRecovery() {
            @Override
            public boolean presumedAbort(Xid xid) {
                return false;
            }

            @Override
            public void scan() {
                if (scans.incrementAndGet() == resolveOn) {
                    store.memory().commitPrepared(id);
                }
                try {
                    Thread.sleep(scanMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public long siblingOrphansMillis() {
                return 300;
            }

            @Override
            public String describe() {
                return "test TM";
            }
        };
    }

    @Test
    void afterOrphansWereRolledBackScansGoOnUntilTheManagerCanRollBackTheirOtherBranches() throws Exception {
        BranchId id = prepareOne();
        store.memory().rollbackPrepared(id); // as step 1 does with an orphan
        AtomicInteger scans = new AtomicInteger();
        long t0 = System.nanoTime();
        StartupRecovery.scans(store, tm(id, 0, scans, 100), () -> false, 1).run();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(millis >= 300, "scans ended after " + millis + " ms, before the manager's orphan interval");
        assertTrue(scans.get() >= 3 && scans.get() <= StartupRecovery.MAX_SCANS, scans.get() + " scans");
    }

    @Test
    void withoutOrphansRolledBackNoScanIsAskedForOnceNothingIsInDoubt() throws Exception {
        BranchId id = prepareOne();
        store.memory().commitPrepared(id);
        AtomicInteger scans = new AtomicInteger();
        StartupRecovery.scans(store, tm(id, 0, scans), () -> false, 0).run();
        assertEquals(0, scans.get());
    }

    @Test
    void scansAreAskedForUntilNoBranchIsInDoubt() throws Exception {
        BranchId id = prepareOne();
        AtomicInteger scans = new AtomicInteger();
        StartupRecovery.scanWhileInDoubt(store, tm(id, 2, scans), () -> false).run();
        assertEquals(2, scans.get());
        assertEquals(0, store.inDoubt().size());
        assertEquals(7, store.region("r").getLong(0));
    }

    @Test
    void scansStopAtTheLimitAndLeaveTheRestToPeriodicRecovery() throws Exception {
        BranchId id = prepareOne();
        AtomicInteger scans = new AtomicInteger();
        StartupRecovery.scanWhileInDoubt(store, tm(id, 0, scans), () -> false).run();
        assertEquals(StartupRecovery.MAX_SCANS, scans.get());
        assertEquals(1, store.inDoubt().size());
    }

    @Test
    void noScanIsAskedForOnceTheAdapterStopped() throws Exception {
        BranchId id = prepareOne();
        AtomicInteger scans = new AtomicInteger();
        AtomicBoolean stopped = new AtomicBoolean(true);
        StartupRecovery.scanWhileInDoubt(store, tm(id, 1, scans), stopped::get).run();
        assertEquals(0, scans.get());
        assertEquals(1, store.inDoubt().size());
    }
}
