package dev.rvm.ra.spi;

import static dev.rvm.ra.testing.Xids.assertXa;
import static dev.rvm.ra.testing.Xids.xid;
import static javax.transaction.xa.XAResource.TMENDRSCAN;
import static javax.transaction.xa.XAResource.TMFAIL;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMSTARTRSCAN;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static javax.transaction.xa.XAResource.XA_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.ra.internal.RvmXid;
import dev.rvm.ra.internal.Store;
import dev.rvm.ra.testing.FailingStorage;
import dev.rvm.ra.testing.Stores;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives a reopen of the store (as after a crash), I/O failures, and branches moving between threads. */
class XaDurabilityTest {
    @TempDir
    Path dir;
    private final ExecutorService tm = Executors.newSingleThreadExecutor(r -> new Thread(r, "tm"));
    private Store store;

    @AfterEach
    void close() {
        tm.shutdownNow();
        if (store != null) {
            store.close();
        }
    }

    private Xid prepareWrite(long value) throws XAException {
        RvmXAResource xa = new RvmXAResource(store);
        Region r = store.region("r");
        Xid x = xid("g" + value);
        xa.start(x, TMNOFLAGS);
        store.memory().current().setRange(r, 0, 8);
        r.putLong(0, value);
        xa.end(x, TMSUCCESS);
        assertEquals(XA_OK, xa.prepare(x));
        return x;
    }

    private Store reopen() {
        store.close();
        store = Stores.open(dir);
        return store;
    }

    @Test
    void preparedBranchIsRecoveredAfterReopenAndCommits() throws Exception {
        store = Stores.open(dir);
        Xid x = prepareWrite(1234);
        reopen();
        RvmXAResource xa = new RvmXAResource(store);
        Xid[] found = xa.recover(TMSTARTRSCAN | TMENDRSCAN);
        assertEquals(1, found.length);
        assertEquals(found[0], new RvmXid(x.getFormatId(), x.getGlobalTransactionId(),
                x.getBranchQualifier()));
        assertEquals(0, store.region("r").getLong(0), "in doubt: the new value is not applied before commit");
        assertXa(XAException.XAER_DUPID, () -> xa.start(x, TMNOFLAGS));
        assertXa(XAException.XAER_PROTO, () -> xa.commit(x, true));
        xa.commit(x, false);
        assertEquals(1234, store.region("r").getLong(0));
        assertEquals(0, xa.recover(TMSTARTRSCAN | TMENDRSCAN).length);
        reopen();
        assertEquals(1234, store.region("r").getLong(0));
        assertEquals(0, new RvmXAResource(store).recover(TMSTARTRSCAN | TMENDRSCAN).length);
    }

    @Test
    void preparedBranchIsRecoveredAfterReopenAndRollsBack() throws Exception {
        store = Stores.open(dir);
        Xid x = prepareWrite(99);
        reopen();
        RvmXAResource xa = new RvmXAResource(store);
        assertXa(XAException.XAER_PROTO, () -> xa.prepare(x));
        xa.rollback(x);
        assertXa(XAException.XAER_NOTA, () -> xa.rollback(x));
        reopen();
        assertEquals(0, store.region("r").getLong(0));
        assertEquals(0, new RvmXAResource(store).recover(TMSTARTRSCAN | TMENDRSCAN).length);
    }

    @Test
    void anActiveBranchIsGoneAfterReopen() throws Exception {
        store = Stores.open(dir);
        RvmXAResource xa = new RvmXAResource(store);
        Xid x = xid("active");
        xa.start(x, TMNOFLAGS);
        store.memory().current().setRange(store.region("r"), 0, 8);
        store.region("r").putLong(0, 5);
        xa.end(x, TMSUCCESS);
        reopen();
        RvmXAResource after = new RvmXAResource(store);
        assertXa(XAException.XAER_NOTA, () -> after.prepare(x));
        assertXa(XAException.XAER_NOTA, () -> after.commit(x, false));
        assertEquals(0, store.region("r").getLong(0));
    }

    @Test
    void commitWhoseForceFailsIsRmFailWithCauseAndRecoveryFinishesIt() throws Exception {
        FailingStorage disk = new FailingStorage();
        store = Stores.open(dir, disk);
        Xid x = prepareWrite(7);
        disk.failNow();
        XAException e = assertXa(XAException.XAER_RMFAIL, () -> new RvmXAResource(store).commit(x, false));
        RvmException cause = assertInstanceOf(RvmException.class, e.getCause());
        assertTrue(cause.code() == ErrorCode.STORE_FAILED || cause.code() == ErrorCode.IO_ERROR, cause.toString());
        // the store stopped: further calls are RMFAIL too, until it is reopened
        assertXa(XAException.XAER_RMFAIL, () -> new RvmXAResource(store).commit(x, false));
        reopen();
        RvmXAResource xa = new RvmXAResource(store);
        assertEquals(1, xa.recover(TMSTARTRSCAN | TMENDRSCAN).length, "the outcome mark never reached the disk");
        xa.commit(x, false);
        assertEquals(7, store.region("r").getLong(0));
    }

    @Test
    void onePhaseCommitWhoseWriteFailsIsRmFailNeverRmErr() throws Exception {
        FailingStorage disk = new FailingStorage();
        store = Stores.open(dir, disk);
        RvmXAResource xa = new RvmXAResource(store);
        Xid x = xid("1pc");
        xa.start(x, TMNOFLAGS);
        store.memory().current().setRange(store.region("r"), 0, 8);
        store.region("r").putLong(0, 3);
        xa.end(x, TMSUCCESS);
        disk.failNow();
        XAException e = assertXa(XAException.XAER_RMFAIL, () -> xa.commit(x, true));
        assertNotEquals(XAException.XAER_RMERR, e.errorCode);
        assertInstanceOf(RvmException.class, e.getCause());
        reopen();
        assertEquals(0, store.region("r").getLong(0), "the commit record never reached the disk");
        assertEquals(0, new RvmXAResource(store).recover(TMSTARTRSCAN | TMENDRSCAN).length);
    }

    @Test
    void prepareWhoseWriteFailsIsRmFailAndLeavesNothingInDoubt() throws Exception {
        FailingStorage disk = new FailingStorage();
        store = Stores.open(dir, disk);
        RvmXAResource xa = new RvmXAResource(store);
        Xid x = xid("prep-fail");
        xa.start(x, TMNOFLAGS);
        store.memory().current().setRange(store.region("r"), 0, 8);
        store.region("r").putLong(0, 3);
        xa.end(x, TMSUCCESS);
        disk.failNow();
        XAException e = assertXa(XAException.XAER_RMFAIL, () -> xa.prepare(x));
        assertInstanceOf(RvmException.class, e.getCause());
        reopen();
        assertEquals(0, new RvmXAResource(store).recover(TMSTARTRSCAN | TMENDRSCAN).length);
        assertEquals(0, store.region("r").getLong(0));
    }

    @Test
    void transactionManagerMayPrepareAndCommitOnAnotherThread() throws Exception {
        store = Stores.open(dir);
        RvmXAResource xa = new RvmXAResource(store);
        Region r = store.region("r");
        for (int i = 1; i <= 3; i++) {
            Xid x = xid("thread" + i);
            xa.start(x, TMNOFLAGS);
            store.memory().current().setRange(r, 0, 8);
            r.putLong(0, i);
            xa.end(x, TMSUCCESS);
            Future<Integer> vote = tm.submit(() -> xa.prepare(x));
            assertEquals(XA_OK, vote.get());
            tm.submit(() -> {
                xa.commit(x, false);
                return null;
            }).get();
            assertNull(store.memory().current(), "the application thread is free for the next branch");
        }
        assertEquals(3, r.getLong(0));
    }

    @Test
    void timeoutRollbackFromAnotherThreadFreesTheApplicationThread() throws Exception {
        store = Stores.open(dir);
        RvmXAResource xa = new RvmXAResource(store);
        Region r = store.region("r");
        Xid x = xid("reaped");
        xa.start(x, TMNOFLAGS);
        store.memory().current().setRange(r, 0, 8);
        r.putLong(0, 66);
        // the transaction reaper ends and rolls back the branch while the application thread still works in it
        tm.submit(() -> {
            xa.end(x, TMFAIL);
            xa.rollback(x);
            return null;
        }).get();
        assertEquals(0, r.getLong(0));
        RvmException late = assertThrows(RvmException.class, () -> r.putLong(0, 67));
        assertNotEquals(ErrorCode.RANGE_NOT_DECLARED, late.code());
        Xid next = xid("next");
        xa.start(next, TMNOFLAGS);
        store.memory().current().setRange(r, 0, 8);
        r.putLong(0, 68);
        xa.end(next, TMSUCCESS);
        xa.commit(next, true);
        assertEquals(68, r.getLong(0));
    }

    @Test
    void lockConflictBetweenBranchesTimesOutAndPreparedBranchesKeepTheirLocks() throws Exception {
        store = Stores.open(dir);
        Xid x = prepareWrite(1);
        RvmXAResource other = new RvmXAResource(store);
        Xid y = xid("blocked");
        other.start(y, TMNOFLAGS);
        RvmException e = assertThrows(RvmException.class,
                () -> store.memory().current().setRange(store.region("r"), 0, 8));
        assertEquals(ErrorCode.LOCK_TIMEOUT, e.code());
        other.end(y, TMSUCCESS);
        other.rollback(y);
        other.commit(x, false);
    }
}
