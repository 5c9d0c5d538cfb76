package dev.rvm.ra.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.BranchId;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.Transaction;
import dev.rvm.ra.testing.Stores;
import dev.rvm.ra.testing.Xids;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        if (store != null) {
            store.close();
        }
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

    @Test
    void originsNameTheRemoteCoordinatorsTheNodesThatAreNotThisServerAndASharedIdentifier() throws Exception {
        // gtrid "coordinator/subordinate" as this fake manager reads it; "-" for none
        List<BranchId> branches = List.of(
                XidCodec.encode(Xids.xid("b/-")),          // begun here: nothing to say
                XidCodec.encode(Xids.xid("a/b")),          // imported from a
                XidCodec.encode(Xids.xid("a/b", "2")),     // imported from a, another branch
                XidCodec.encode(Xids.xid("c/b")),          // imported from c
                XidCodec.encode(Xids.xid("old/-")),        // begun under an identifier this server no longer has
                XidCodec.encode(Xids.xid("a/old")),        // imported under an identifier this server no longer has
                XidCodec.encode(Xids.xid("b/b")));         // imported from a server with this server's identifier
        TransactionManagerRecovery nodes = new TransactionManagerRecovery() {
            @Override
            public boolean presumedAbort(Xid xid) {
                return false;
            }

            @Override
            public void scan() {
            }

            @Override
            public long siblingOrphansMillis() {
                return 0;
            }

            @Override
            public String describe() {
                return "test TM";
            }

            @Override
            public String localNode() {
                return "b";
            }

            @Override
            public String coordinatorNode(Xid xid) {
                return part(xid, 0);
            }

            @Override
            public String subordinateNode(Xid xid) {
                return part(xid, 1);
            }

            private String part(Xid xid, int i) {
                String p = new String(xid.getGlobalTransactionId(), StandardCharsets.US_ASCII).split("/")[i];
                return p.equals("-") ? null : p;
            }
        };
        StartupRecovery.Origins o = StartupRecovery.origins(branches, nodes);
        assertEquals(Map.of("a", 2, "c", 1), o.imported());
        assertEquals(Map.of("old", 2), o.otherNode());
        assertEquals(1, o.sharedIdentifier());
    }
}
