package dev.rvm.ra.narayana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.Uid;
import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.ats.arjuna.common.recoveryPropertyManager;
import com.arjuna.ats.arjuna.coordinator.TxControl;
import com.arjuna.ats.arjuna.objectstore.StoreManager;
import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import com.arjuna.ats.arjuna.state.InputObjectState;
import com.arjuna.ats.arjuna.state.OutputObjectState;
import com.arjuna.ats.internal.arjuna.common.UidHelper;
import com.arjuna.ats.internal.arjuna.recovery.AtomicActionRecoveryModule;
import com.arjuna.ats.internal.jta.recovery.arjunacore.JTAActionStatusServiceXAResourceOrphanFilter;
import com.arjuna.ats.internal.jta.recovery.arjunacore.JTANodeNameXAResourceOrphanFilter;
import com.arjuna.ats.internal.jta.recovery.arjunacore.JTATransactionLogXAResourceOrphanFilter;
import com.arjuna.ats.internal.jta.recovery.arjunacore.SubordinateAtomicActionRecoveryModule;
import com.arjuna.ats.internal.jta.recovery.arjunacore.SubordinateJTAXAResourceOrphanFilter;
import com.arjuna.ats.internal.jta.recovery.arjunacore.SubordinationManagerXAResourceOrphanFilter;
import com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule;
import com.arjuna.ats.internal.jta.transaction.arjunacore.AtomicAction;
import com.arjuna.ats.internal.jta.transaction.arjunacore.jca.SubordinationManager;
import com.arjuna.ats.internal.jta.transaction.arjunacore.subordinate.jca.SubordinateAtomicAction;
import com.arjuna.ats.jta.common.jtaPropertyManager;
import com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper;
import com.arjuna.ats.jta.xa.XidImple;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import dev.rvm.core.BranchId;
import dev.rvm.core.Region;
import dev.rvm.ra.internal.StartupRecovery;
import dev.rvm.ra.internal.Store;
import dev.rvm.ra.internal.TransactionManagerRecovery;
import dev.rvm.ra.internal.XidCodec;
import dev.rvm.ra.spi.RvmXAResource;
import dev.rvm.ra.testing.FailingStorage;
import dev.rvm.ra.testing.RecordingXAResource;
import dev.rvm.ra.testing.Stores;
import dev.rvm.ra.testing.Xids;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Narayana drives RVM's XA resource beside a second, recording resource: two-phase commit, rollback, a rollback
 * vote, and crashes before and after the transaction manager's decision followed by Narayana's own recovery
 * (XARecoveryModule with a helper that returns RVM's XA resource), which must leave no branch in doubt. And the
 * adapter's start-up orphan handling ({@link StartupRecovery#rollBackOrphans}) with WildFly's orphan filters: it
 * rolls back what Narayana presumes aborted and nothing that only a coordinator (this one, or another server's for a
 * transaction imported over EJB remoting) may decide.
 */
class NarayanaTest {
    private static final String NODE = "rvm-ra-test";
    private static TransactionManager tm;

    @TempDir
    Path dir;
    private Store store;

    @BeforeAll
    static void configureNarayana() throws Exception {
        Path objectStore = Files.createTempDirectory("narayana-objectstore");
        for (String name : List.of("default", "communicationStore", "stateStore")) {
            BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, name)
                    .setObjectStoreDir(objectStore.toString());
        }
        arjPropertyManager.getObjectStoreEnvironmentBean().setObjectStoreDir(objectStore.toString());
        arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier(NODE);
        jtaPropertyManager.getJTAEnvironmentBean().setXaRecoveryNodes(List.of(NODE));
        // WildFly's orphan filters and recovery modules (its transactions subsystem sets these; Narayana's own
        // defaults differ), so that the adapter's start-up asks the filters WildFly has.
        jtaPropertyManager.getJTAEnvironmentBean().setXaResourceOrphanFilterClassNames(List.of(
                JTATransactionLogXAResourceOrphanFilter.class.getName(),
                JTANodeNameXAResourceOrphanFilter.class.getName(),
                SubordinateJTAXAResourceOrphanFilter.class.getName(),
                SubordinationManagerXAResourceOrphanFilter.class.getName(),
                JTAActionStatusServiceXAResourceOrphanFilter.class.getName()));
        recoveryPropertyManager.getRecoveryEnvironmentBean().setRecoveryModuleClassNames(List.of(
                AtomicActionRecoveryModule.class.getName(),
                SubordinateAtomicActionRecoveryModule.class.getName(),
                XARecoveryModule.class.getName()));
        jtaPropertyManager.getJTAEnvironmentBean().setOrphanSafetyInterval(0);
        recoveryPropertyManager.getRecoveryEnvironmentBean().setRecoveryBackoffPeriod(1);
        recoveryPropertyManager.getRecoveryEnvironmentBean().setPeriodicRecoveryPeriod(3600);
        tm = com.arjuna.ats.jta.TransactionManager.transactionManager();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** Begins, enlists RVM then {@code second}, writes {@code value} at offset 0 of region "r". */
    private Transaction writeInTransaction(XAResource rvm, XAResource second, long value) throws Exception {
        tm.begin();
        Transaction tx = tm.getTransaction();
        assertTrue(tx.enlistResource(rvm));
        Region r = store.region("r");
        store.memory().current().setRange(r, 0, 8);
        r.putLong(0, value);
        if (second != null) {
            assertTrue(tx.enlistResource(second));
        }
        return tx;
    }

    private void reopen(FailingStorage storage) {
        store.close();
        store = storage == null ? Stores.open(dir) : Stores.open(dir, storage);
    }

    @Test
    void twoPhaseCommitWithASecondResourceIsDurable() throws Exception {
        store = Stores.open(dir);
        RecordingXAResource other = new RecordingXAResource();
        writeInTransaction(new RvmXAResource(store), other, 41);
        tm.commit();
        assertEquals(List.of("start TMNOFLAGS", "end TMSUCCESS", "prepare", "commit 2pc"), other.calls());
        assertEquals(1, store.memory().statistics().prepares());
        assertEquals(1, store.memory().statistics().commitsPrepared());
        reopen(null);
        assertEquals(41, store.region("r").getLong(0));
        assertEquals(0, store.inDoubt().size());
    }

    /**
     * REQUIRES_NEW as a container does it: tm.suspend() and tm.resume() around a second transaction on the same
     * thread, RVM on a second managed connection's XA resource in each; Narayana calls neither end(TMSUSPEND) nor
     * start(TMRESUME) on the suspended resources. Each outcome is the transaction's own, twice over.
     */
    @Test
    void requiresNewInsideATransactionThatUsesRvmCommitsOrRollsBackOnItsOwn() throws Exception {
        store = Stores.open(dir);
        Region r = store.region("r");
        for (boolean innerCommits : new boolean[] {true, false}) {
            long base = innerCommits ? 0 : 64;
            RecordingXAResource database = new RecordingXAResource();
            writeAt(new RvmXAResource(store), database, r, base, 1);
            Transaction outer = tm.suspend();
            tm.begin();
            assertTrue(tm.getTransaction().enlistResource(new RvmXAResource(store)), "the inner branch enlisted");
            store.memory().current().setRange(r, base + 8, 8);
            r.putLong(base + 8, 2);
            if (innerCommits) {
                tm.commit();
            } else {
                tm.rollback();
            }
            tm.resume(outer);
            store.memory().current().setRange(r, base + 16, 8);
            r.putLong(base + 16, 3);
            if (innerCommits) {
                tm.rollback();
            } else {
                tm.commit();
            }
            assertEquals(innerCommits ? 0 : 1, r.getLong(base), "outer");
            assertEquals(innerCommits ? 2 : 0, r.getLong(base + 8), "inner");
            assertEquals(innerCommits ? 0 : 3, r.getLong(base + 16), "outer after the inner one");
            assertEquals(null, store.memory().current());
        }
        reopen(null);
        r = store.region("r");
        assertEquals(List.of(0L, 2L, 0L, 1L, 0L, 3L), List.of(r.getLong(0), r.getLong(8), r.getLong(16),
                r.getLong(64), r.getLong(72), r.getLong(80)));
        assertEquals(0, store.inDoubt().size());
    }

    /** Begins, enlists {@code rvm} and {@code second}, writes {@code value} at {@code at} of {@code r}. */
    private void writeAt(XAResource rvm, XAResource second, Region r, long at, long value) throws Exception {
        tm.begin();
        assertTrue(tm.getTransaction().enlistResource(rvm));
        assertTrue(tm.getTransaction().enlistResource(second));
        store.memory().current().setRange(r, at, 8);
        r.putLong(at, value);
    }

    @Test
    void aloneRvmIsCommittedInOnePhase() throws Exception {
        store = Stores.open(dir);
        writeInTransaction(new RvmXAResource(store), null, 5);
        tm.commit();
        assertEquals(0, store.memory().statistics().prepares(), "one-phase: no prepare");
        reopen(null);
        assertEquals(5, store.region("r").getLong(0));
    }

    @Test
    void rollbackRestoresTheOldBytes() throws Exception {
        store = Stores.open(dir);
        RecordingXAResource other = new RecordingXAResource();
        writeInTransaction(new RvmXAResource(store), other, 9);
        tm.rollback();
        assertEquals(0, store.region("r").getLong(0));
        assertEquals(List.of("start TMNOFLAGS", "end TMFAIL", "rollback"), other.calls().subList(0, 3));
        assertEquals(0, store.inDoubt().size());
    }

    @Test
    void aRollbackVoteOfTheOtherResourceRollsRvmBack() throws Exception {
        store = Stores.open(dir);
        RecordingXAResource other = new RecordingXAResource();
        other.voteRollback();
        writeInTransaction(new RvmXAResource(store), other, 13);
        assertThrows(RollbackException.class, tm::commit);
        assertEquals(0, store.region("r").getLong(0));
        assertEquals(0, store.inDoubt().size());
        reopen(null);
        assertEquals(0, store.region("r").getLong(0));
    }

    @Test
    void crashAfterTheDecisionIsCommittedByNarayanaRecovery() throws Exception {
        FailingStorage disk = new FailingStorage();
        store = Stores.open(dir, disk);
        RecordingXAResource other = new RecordingXAResource();
        // RVM is enlisted first, so prepared first; its disk goes away while the other resource prepares, so
        // RVM's commit fails after Narayana has logged its commit decision
        other.onPrepare(disk::failNow);
        writeInTransaction(new RvmXAResource(store), other, 77);
        tm.commit(); // RVM answers XAER_RMFAIL: Narayana keeps the transaction for recovery
        reopen(null);
        assertEquals(1, store.inDoubt().size(), "the crash left RVM's branch in doubt");
        recover();
        assertEquals(0, store.inDoubt().size(), "recovery resolved the branch");
        assertEquals(77, store.region("r").getLong(0), "and it committed it");
    }

    @Test
    void crashBeforeTheDecisionIsRolledBackByNarayanaRecovery() throws Exception {
        store = Stores.open(dir);
        RecordingXAResource other = new RecordingXAResource();
        // RVM is prepared; the "crash" closes RVM's store before the other resource votes and before any decision
        Store[] crashed = {store};
        other.onPrepare(() -> crashed[0].close());
        other.voteRollback();
        writeInTransaction(new RvmXAResource(store), other, 55);
        assertThrows(RollbackException.class, tm::commit);
        reopen(null);
        assertEquals(1, store.inDoubt().size(), "the crash left RVM's branch in doubt");
        assertEquals(0, store.region("r").getLong(0));
        recover();
        assertEquals(0, store.inDoubt().size(), "recovery resolved the orphan branch");
        assertEquals(0, store.region("r").getLong(0), "by rolling it back (presumed abort)");
    }

    /** Runs Narayana's recovery, in this thread, with a helper that hands it RVM's XA resource. */
    private void recover() {
        RecoveryManager manager = RecoveryManager.manager(RecoveryManager.DIRECT_MANAGEMENT);
        XARecoveryModule xaModule = XARecoveryModule.getRegisteredXARecoveryModule();
        RvmXAResource rvm = new RvmXAResource(store);
        XAResourceRecoveryHelper helper = new XAResourceRecoveryHelper() {
            @Override
            public boolean initialise(String p) {
                return true;
            }

            @Override
            public XAResource[] getXAResources() {
                return new XAResource[] {rvm};
            }
        };
        xaModule.addXAResourceRecoveryHelper(helper);
        try {
            manager.scan();
            manager.scan();
        } finally {
            xaModule.removeXAResourceRecoveryHelper(helper);
        }
    }

    @Test
    void anOrphanOfAProcessThatIsGoneIsRolledBackWhenTheAdapterStarts() throws Exception {
        store = Stores.open(dir);
        String[] uid = new Uid().stringForm().split(":");
        uid[2] = Integer.toHexString(~Integer.parseUnsignedInt(uid[2].replace("-", ""), 16)); // another process
        Xid orphan = new XidImple(new Uid(String.join(":", uid)));
        prepareAlone(orphan, 31);
        Xid ours = new XidImple(new Uid()); // begun by this process: it could be in flight
        prepareAlone(ours, 32);
        Xid foreign = Xids.xid("another transaction manager");
        prepareAlone(foreign, 33);
        // Begun by the gone process too, but the manager logged its decision: recovery must commit it, not us.
        uid[3] = Integer.toHexString(~Integer.parseUnsignedInt(uid[3].replace("-", ""), 16));
        Uid loggedTx = new Uid(String.join(":", uid));
        Xid logged = new XidImple(loggedTx);
        prepareAlone(logged, 34);
        OutputObjectState decision = new OutputObjectState();
        decision.packString("a decision the dead process logged");
        assertTrue(StoreManager.getRecoveryStore().write_committed(loggedTx, new AtomicAction().type(), decision));
        reopen(null);
        assertEquals(4, store.inDoubt().size());
        try {
            assertEquals(1, StartupRecovery.rollBackOrphans(store, narayanaInServer()));
            assertEquals(List.of(XidCodec.encode(ours), XidCodec.encode(foreign), XidCodec.encode(logged)),
                    store.inDoubt(), "only the orphan of the gone process is rolled back");
            assertEquals(0, store.region("r").getLong(0), "and its value is not installed");
            assertEquals(0, store.region("r").getLong(8));
        } finally {
            StoreManager.getRecoveryStore().remove_committed(loggedTx, new AtomicAction().type());
        }
    }

    @Test
    void aBranchOfAnImportedTransactionThatThisServerPreparedIsLeftToTheRemoteCoordinatorAtStart() throws Exception {
        store = Stores.open(dir);
        Xid parent = xidOfAnotherServer();
        prepareImported(parent, 21);
        // This server (B) dies after its subordinate prepare was logged; it restarts with the log, without the
        // transaction in memory, and Narayana's first recovery pass has run before the adapter starts.
        SubordinationManager.getTransactionImporter().removeImportedTransaction(parent);
        reopen(null);
        RecoveryManager.manager(RecoveryManager.DIRECT_MANAGEMENT).scan();
        try {
            assertEquals(1, store.inDoubt().size());
            assertEquals(0, StartupRecovery.rollBackOrphans(store, narayanaInServer()),
                    "only the coordinator (the other server) may decide a branch this server logged as prepared");
            assertEquals(1, store.inDoubt().size());
            StartupRecovery.Origins origins = StartupRecovery.origins(store.inDoubt(), narayanaInServer());
            assertEquals(Map.of("rvm-a", 1), origins.imported(), "RVM000132 names the coordinator's node");
            assertEquals(Map.of(), origins.otherNode());
        } finally {
            for (BranchId id : store.inDoubt()) {
                store.memory().rollbackPrepared(id);
            }
            assertEquals(1, removeSubordinateRecords());
            SubordinationManager.getTransactionImporter().removeImportedTransaction(parent);
        }
    }

    @Test
    void aBranchOfAnImportedTransactionWithoutItsSubordinateRecordIsRolledBackAtStart() throws Exception {
        store = Stores.open(dir);
        Xid parent = xidOfAnotherServer();
        prepareImported(parent, 22);
        // As if this server died after RVM's prepare and before its subordinate record: it never voted, so the
        // coordinator cannot have decided to commit.
        assertEquals(1, removeSubordinateRecords());
        SubordinationManager.getTransactionImporter().removeImportedTransaction(parent);
        reopen(null);
        RecoveryManager.manager(RecoveryManager.DIRECT_MANAGEMENT).scan();
        assertEquals(1, store.inDoubt().size());
        assertEquals(1, StartupRecovery.rollBackOrphans(store, narayanaInServer()));
        assertEquals(0, store.inDoubt().size());
        assertEquals(0, store.region("r").getLong(0));
    }

    /**
     * A Xid as another server's Narayana (node {@code rvm-a}, another process) gives the transaction it propagates
     * to this one over EJB remoting.
     */
    private static Xid xidOfAnotherServer() {
        String[] uid = new Uid().stringForm().split(":");
        uid[2] = Integer.toHexString(~Integer.parseUnsignedInt(uid[2].replace("-", ""), 16));
        String node = TxControl.getXANodeName();
        TxControl.setXANodeName("rvm-a");
        try {
            return new XidImple(new Uid(String.join(":", uid)));
        } finally {
            TxControl.setXANodeName(node);
        }
    }

    /**
     * Imports {@code parent} as WildFly's transaction client does for a remote call, writes {@code value} at offset
     * 0 of region "r" through RVM in it, and prepares it as the coordinator asks: Narayana prepares RVM's branch and
     * logs the subordinate transaction.
     */
    private void prepareImported(Xid parent, long value) throws Exception {
        Transaction imported = SubordinationManager.getTransactionImporter().importTransaction(parent, 60);
        tm.resume(imported);
        try {
            assertTrue(imported.enlistResource(new RvmXAResource(store)));
            Region r = store.region("r");
            store.memory().current().setRange(r, 0, 8);
            r.putLong(0, value);
        } finally {
            tm.suspend();
        }
        assertEquals(XAResource.XA_OK, SubordinationManager.getXATerminator().prepare(parent));
    }

    /** Removes the subordinate transactions' records from Narayana's log; returns how many there were. */
    private static int removeSubordinateRecords() throws Exception {
        InputObjectState states = new InputObjectState();
        List<Uid> uids = new ArrayList<>();
        if (StoreManager.getRecoveryStore().allObjUids(SubordinateAtomicAction.getType(), states)
                && states.notempty()) {
            for (Uid u = UidHelper.unpackFrom(states); u.notEquals(Uid.nullUid()); u = UidHelper.unpackFrom(states)) {
                uids.add(u);
            }
        }
        for (Uid u : uids) {
            assertTrue(StoreManager.getRecoveryStore().remove_committed(u, SubordinateAtomicAction.getType()));
        }
        return uids.size();
    }

    /** Prepares a branch writing {@code value} at offset 8 * (value - 31) of region "r", as a TM would, alone. */
    private void prepareAlone(Xid xid, long value) throws Exception {
        RvmXAResource xa = new RvmXAResource(store);
        xa.start(xid, XAResource.TMNOFLAGS);
        Region r = store.region("r");
        store.memory().current().setRange(r, 8 * (value - 31), 8);
        r.putLong(8 * (value - 31), value);
        xa.end(xid, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_OK, xa.prepare(xid));
    }

    /** Narayana as the adapter finds it in WildFly, where {@code jboss.server.data.dir} is set. */
    private TransactionManagerRecovery narayanaInServer() {
        String before = System.setProperty("jboss.server.data.dir", dir.toString());
        try {
            TransactionManagerRecovery found = TransactionManagerRecovery.find();
            assertEquals("Narayana", found.describe());
            return found;
        } finally {
            if (before == null) {
                System.clearProperty("jboss.server.data.dir");
            } else {
                System.setProperty("jboss.server.data.dir", before);
            }
        }
    }
}
