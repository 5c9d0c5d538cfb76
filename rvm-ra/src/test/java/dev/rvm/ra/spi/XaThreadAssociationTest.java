package dev.rvm.ra.spi;

import static dev.rvm.ra.testing.Xids.assertXa;
import static dev.rvm.ra.testing.Xids.xid;
import static javax.transaction.xa.XAResource.TMENDRSCAN;
import static javax.transaction.xa.XAResource.TMJOIN;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMRESUME;
import static javax.transaction.xa.XAResource.TMSTARTRSCAN;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static javax.transaction.xa.XAResource.TMSUSPEND;
import static javax.transaction.xa.XAResource.XA_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import dev.rvm.ra.internal.Store;
import dev.rvm.ra.testing.Stores;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Association follows the XA resource, not the thread (JTA 1.3, 3.4.3): a branch joined or ended from another
 * thread, several branches on one thread (a transaction manager's {@code REQUIRES_NEW}: the caller's branch is
 * suspended without {@code TMSUSPEND}), and the codes of {@code recover} scans and of a stopped resource manager.
 * Each case answered {@code XAER_PROTO} or lost a write before the association was made per XA resource.
 */
class XaThreadAssociationTest {
    @TempDir
    Path dir;
    Store store;
    Region r;
    ExecutorService other = Executors.newSingleThreadExecutor(t -> new Thread(t, "other"));

    @BeforeEach
    void open() {
        store = Stores.open(dir);
        r = store.region("r");
    }

    @AfterEach
    void close() {
        other.shutdownNow();
        store.close();
    }

    /** Runs {@code call} on the other thread and waits for it, rethrowing what it threw. */
    private void onOtherThread(Call call) throws Exception {
        try {
            other.submit(() -> {
                call.run();
                return null;
            }).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw e;
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    /** Declares [at, at + 8) in the calling thread's transaction and writes {@code value} there. */
    private void write(long at, long value) {
        store.memory().current().setRange(r, at, 8);
        r.putLong(at, value);
    }

    @Test
    void joinFromAnotherThreadWhileTheFirstIsStillAssociatedSharesTheBranch() throws Exception {
        Xid x = xid("shared");
        RvmXAResource first = new RvmXAResource(store);
        RvmXAResource second = new RvmXAResource(store);
        first.start(x, TMNOFLAGS);
        write(0, 1);
        onOtherThread(() -> {
            second.start(x, TMJOIN);
            write(8, 2);
            second.end(x, TMSUCCESS);
            assertNull(store.memory().current(), "the other thread left the branch at its end");
        });
        write(16, 3);
        first.end(x, TMSUCCESS);
        assertEquals(XA_OK, first.prepare(x));
        first.commit(x, false);
        assertEquals(1, r.getLong(0));
        assertEquals(2, r.getLong(8));
        assertEquals(3, r.getLong(16));
    }

    @Test
    void endFromAnotherThreadEndsTheAssociationAndTheFirstThreadStartsANewBranch() throws Exception {
        Xid x = xid("ended-elsewhere");
        RvmXAResource xa = new RvmXAResource(store);
        xa.start(x, TMNOFLAGS);
        write(0, 5);
        onOtherThread(() -> xa.end(x, TMSUCCESS));
        RvmException e = assertThrows(RvmException.class, () -> r.putLong(0, 6));
        assertEquals(ErrorCode.NO_TRANSACTION, e.code(), "the association ended: " + e.getMessage());
        Xid y = xid("next");
        xa.start(y, TMNOFLAGS);
        write(8, 7);
        xa.end(y, TMSUCCESS);
        onOtherThread(() -> xa.commit(x, true));
        xa.commit(y, true);
        assertEquals(5, r.getLong(0));
        assertEquals(7, r.getLong(8));
    }

    @Test
    void suspendOnOneThreadAndResumeOnAnotherWhileTheFirstStartsAnotherBranch() throws Exception {
        Xid x = xid("roaming");
        RvmXAResource xa = new RvmXAResource(store);
        xa.start(x, TMNOFLAGS);
        write(0, 1);
        xa.end(x, TMSUSPEND);
        RvmXAResource second = new RvmXAResource(store);
        Xid y = xid("local");
        second.start(y, TMNOFLAGS);
        onOtherThread(() -> {
            xa.start(x, TMRESUME);
            write(8, 2);
            xa.end(x, TMSUCCESS);
        });
        write(16, 3);
        second.end(y, TMSUCCESS);
        xa.rollback(x);
        second.commit(y, true);
        assertEquals(0, r.getLong(0));
        assertEquals(0, r.getLong(8));
        assertEquals(3, r.getLong(16));
    }

    @Test
    void twoBranchesOfOneGlobalTransactionOnTwoConnectionsOfOneThread() throws Exception {
        Xid a = xid("gtrid", "a");
        Xid b = xid("gtrid", "b");
        RvmXAResource first = new RvmXAResource(store);
        RvmXAResource second = new RvmXAResource(store);
        first.start(a, TMNOFLAGS);
        write(0, 1);
        Transaction ta = store.memory().current();
        second.start(b, TMNOFLAGS);
        write(8, 2);
        second.end(b, TMSUCCESS);
        assertSame(ta, store.memory().current(), "branch a is the thread's again once b's association ended");
        write(16, 3);
        first.end(a, TMSUCCESS);
        assertEquals(XA_OK, first.prepare(a));
        assertEquals(XA_OK, second.prepare(b));
        first.commit(a, false);
        second.rollback(b);
        assertEquals(1, r.getLong(0));
        assertEquals(0, r.getLong(8), "b rolled back on its own");
        assertEquals(3, r.getLong(16));
    }

    /** What Narayana does for REQUIRES_NEW: tm.suspend() and tm.resume() call neither end nor start on RVM. */
    @Test
    void aNewTransactionWhileTheCallersIsSuspendedWithoutTmsuspend() throws Exception {
        Xid outer = xid("outer");
        Xid inner = xid("inner");
        RvmXAResource first = new RvmXAResource(store);
        RvmXAResource second = new RvmXAResource(store);
        first.start(outer, TMNOFLAGS);
        write(0, 10);
        // tm.suspend(), tm.begin(), a second managed connection enlisted
        second.start(inner, TMNOFLAGS);
        write(8, 20);
        second.end(inner, TMSUCCESS);
        second.commit(inner, true);
        // tm.resume(outer)
        write(16, 30);
        first.end(outer, TMSUCCESS);
        first.rollback(outer);
        assertEquals(0, r.getLong(0));
        assertEquals(20, r.getLong(8), "the inner transaction committed on its own");
        assertEquals(0, r.getLong(16));
        assertNull(store.memory().current());
        assertEquals(0, store.inDoubt().size());
    }

    @Test
    void aNewBranchAskingForARangeOfABranchLeftOnTheThreadWaitsUntilItsCoordinatorCommitsItElsewhere()
            throws Exception {
        // What an EJB call imported from another server leaves behind: the call returned without end(), so its branch
        // is still the worker thread's; the thread's next branch sets it aside and asks for the same range while the
        // coordinator ends, prepares and commits the first branch from another thread. The second must wait for it,
        // not be refused as a deadlock (it once was).
        RvmXAResource first = new RvmXAResource(store);
        RvmXAResource second = new RvmXAResource(store);
        Xid imported = xid("imported");
        Xid next = xid("next");
        first.start(imported, TMNOFLAGS);
        write(0, 1);
        second.start(next, TMNOFLAGS);
        long waitsBefore = store.memory().statistics().lockWaits();
        var coordinator = other.submit(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (store.memory().statistics().lockWaits() == waitsBefore) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the next branch never waited for the imported one's lock");
                }
                Thread.sleep(5);
            }
            first.end(imported, TMSUCCESS);
            assertEquals(XA_OK, first.prepare(imported));
            first.commit(imported, false);
            return null;
        });
        write(0, 2);
        second.end(next, TMSUCCESS);
        second.commit(next, true);
        coordinator.get(60, TimeUnit.SECONDS);
        assertEquals(2, r.getLong(0));
        assertEquals(0, store.memory().statistics().deadlocks());
        assertNull(store.memory().current());
        assertEquals(0, store.inDoubt().size());
    }

    @Test
    void recoverScanFlagsWithoutAnOpenScanAreInvalid() throws Exception {
        RvmXAResource xa = new RvmXAResource(store);
        assertXa(XAException.XAER_INVAL, () -> xa.recover(TMNOFLAGS));
        assertXa(XAException.XAER_INVAL, () -> xa.recover(TMENDRSCAN));
        xa.recover(TMSTARTRSCAN);
        xa.recover(TMNOFLAGS);
        xa.recover(TMENDRSCAN);
        assertXa(XAException.XAER_INVAL, () -> xa.recover(TMENDRSCAN));
    }

    @Test
    void everyCallOfAStoppedResourceManagerIsRmFail() throws Exception {
        RvmXAResource xa = new RvmXAResource(store);
        RvmXAResource suspended = new RvmXAResource(store);
        Xid x = xid("active");
        Xid s = xid("suspended");
        xa.start(x, TMNOFLAGS);
        write(0, 1);
        suspended.start(s, TMNOFLAGS);
        suspended.end(s, TMSUSPEND);
        store.close();
        assertXa(XAException.XAER_RMFAIL, () -> xa.end(x, TMSUCCESS));
        assertXa(XAException.XAER_RMFAIL, () -> suspended.end(s, TMSUCCESS));
        assertXa(XAException.XAER_RMFAIL, () -> suspended.start(s, TMRESUME));
        assertXa(XAException.XAER_RMFAIL, () -> xa.start(xid("new"), TMNOFLAGS));
        assertXa(XAException.XAER_RMFAIL, () -> xa.prepare(x));
        assertXa(XAException.XAER_RMFAIL, () -> xa.commit(x, true));
        assertXa(XAException.XAER_RMFAIL, () -> xa.commit(x, false));
        assertXa(XAException.XAER_RMFAIL, () -> xa.rollback(x));
        assertXa(XAException.XAER_RMFAIL, () -> xa.forget(x));
        assertXa(XAException.XAER_RMFAIL, () -> xa.recover(TMSTARTRSCAN));
        assertXa(XAException.XAER_RMFAIL, () -> xa.isSameRM(suspended));
        assertXa(XAException.XAER_RMFAIL, () -> xa.getTransactionTimeout());
        assertXa(XAException.XAER_RMFAIL, () -> xa.setTransactionTimeout(10));
    }
}
