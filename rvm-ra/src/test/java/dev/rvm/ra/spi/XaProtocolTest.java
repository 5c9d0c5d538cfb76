package dev.rvm.ra.spi;

import static dev.rvm.ra.testing.Xids.assertXa;
import static dev.rvm.ra.testing.Xids.xid;
import static javax.transaction.xa.XAResource.TMENDRSCAN;
import static javax.transaction.xa.XAResource.TMFAIL;
import static javax.transaction.xa.XAResource.TMJOIN;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMONEPHASE;
import static javax.transaction.xa.XAResource.TMRESUME;
import static javax.transaction.xa.XAResource.TMSTARTRSCAN;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static javax.transaction.xa.XAResource.TMSUSPEND;
import static javax.transaction.xa.XAResource.XA_OK;
import static javax.transaction.xa.XAResource.XA_RDONLY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.ra.internal.RvmXid;
import dev.rvm.ra.internal.Store;
import dev.rvm.ra.testing.RecordingXAResource;
import dev.rvm.ra.testing.Stores;
import dev.rvm.ra.testing.Xids;
import java.nio.file.Path;
import java.util.Arrays;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The XA state table: every flag of start/end/recover, every state, every error code, on one store. */
class XaProtocolTest {
    @TempDir
    Path dir;
    Store store;
    RvmXAResource xa;
    Region r;

    @BeforeEach
    void open() {
        store = Stores.open(dir);
        xa = new RvmXAResource(store);
        r = store.region("r");
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** start, setRange + write, end(TMSUCCESS). */
    private void work(XAResource res, Xid x, long value) throws XAException {
        res.start(x, TMNOFLAGS);
        store.memory().current().setRange(r, 0, 8);
        r.putLong(0, value);
        res.end(x, TMSUCCESS);
    }

    // ---- start

    @Test
    void startWithUnknownFlagsIsInvalid() {
        assertXa(XAException.XAER_INVAL, () -> xa.start(xid("a"), TMSUCCESS));
        assertXa(XAException.XAER_INVAL, () -> xa.start(xid("a"), TMJOIN | TMRESUME));
        assertXa(XAException.XAER_INVAL, () -> xa.start(null, TMNOFLAGS));
    }

    @Test
    void startOfAnActiveIdleOrPreparedXidIsDuplicate() throws Exception {
        Xid x = xid("dup");
        work(xa, x, 1);
        RvmXAResource other = new RvmXAResource(store);
        assertXa(XAException.XAER_DUPID, () -> other.start(x, TMNOFLAGS));
        assertEquals(XA_OK, xa.prepare(x));
        assertXa(XAException.XAER_DUPID, () -> other.start(x, TMNOFLAGS));
        xa.commit(x, false);
    }

    @Test
    void startWhileAssociatedIsProtocolError() throws Exception {
        xa.start(xid("a"), TMNOFLAGS);
        assertXa(XAException.XAER_PROTO, () -> xa.start(xid("b"), TMNOFLAGS));
        xa.end(xid("a"), TMSUCCESS);
        xa.rollback(xid("a"));
    }

    @Test
    void joinOrResumeOfUnknownXidIsNota() {
        assertXa(XAException.XAER_NOTA, () -> xa.start(xid("nope"), TMJOIN));
        assertXa(XAException.XAER_NOTA, () -> xa.start(xid("nope"), TMRESUME));
    }

    @Test
    void joinAfterEndContinuesTheSameBranch() throws Exception {
        Xid x = xid("join");
        work(xa, x, 5);
        RvmXAResource second = new RvmXAResource(store);
        second.start(x, TMJOIN);
        store.memory().current().setRange(r, 8, 8);
        r.putLong(8, 6);
        second.end(x, TMSUCCESS);
        assertEquals(XA_OK, xa.prepare(x));
        xa.rollback(x);
        assertEquals(0, r.getLong(0));
        assertEquals(0, r.getLong(8));
    }

    @Test
    void joinWhileActiveOnTheSameThreadSharesTheTransaction() throws Exception {
        Xid x = xid("join2");
        xa.start(x, TMNOFLAGS);
        RvmXAResource second = new RvmXAResource(store);
        second.start(x, TMJOIN);
        assertTrue(xa.activeTransaction() == second.activeTransaction());
        second.end(x, TMSUCCESS);
        // still associated through the first resource: the thread keeps its transaction
        store.memory().current().setRange(r, 0, 8);
        r.putLong(0, 9);
        xa.end(x, TMSUCCESS);
        xa.commit(x, true);
        assertEquals(9, r.getLong(0));
    }

    @Test
    void resumeWithoutSuspendIsProtocolError() throws Exception {
        Xid x = xid("res");
        work(xa, x, 1);
        assertXa(XAException.XAER_PROTO, () -> xa.start(x, TMRESUME));
        xa.rollback(x);
    }

    @Test
    void joinOfAPreparedBranchIsProtocolError() throws Exception {
        Xid x = xid("prep");
        work(xa, x, 1);
        xa.prepare(x);
        assertXa(XAException.XAER_PROTO, () -> xa.start(x, TMJOIN));
        xa.rollback(x);
    }

    // ---- end

    @Test
    void endWithUnknownFlagsIsInvalid() throws Exception {
        xa.start(xid("e"), TMNOFLAGS);
        assertXa(XAException.XAER_INVAL, () -> xa.end(xid("e"), TMNOFLAGS));
        assertXa(XAException.XAER_INVAL, () -> xa.end(xid("e"), TMONEPHASE));
        xa.end(xid("e"), TMSUCCESS);
        xa.rollback(xid("e"));
    }

    @Test
    void endOfUnknownXidIsNotaAndOfAnEndedOneIsProtocolError() throws Exception {
        assertXa(XAException.XAER_NOTA, () -> xa.end(xid("nope"), TMSUCCESS));
        Xid x = xid("ended");
        work(xa, x, 1);
        assertXa(XAException.XAER_PROTO, () -> xa.end(x, TMSUCCESS));
        xa.rollback(x);
    }

    @Test
    void suspendDetachesTheTransactionAndResumeBringsItBack() throws Exception {
        Xid x = xid("susp");
        xa.start(x, TMNOFLAGS);
        store.memory().current().setRange(r, 0, 8);
        r.putLong(0, 3);
        xa.end(x, TMSUSPEND);
        assertNull(store.memory().current(), "a suspended branch leaves the thread without a transaction");
        RvmException e = assertThrows(RvmException.class, () -> r.putLong(0, 4));
        assertEquals(ErrorCode.NO_TRANSACTION, e.code());
        assertXa(XAException.XAER_PROTO, () -> xa.end(x, TMSUSPEND));
        assertXa(XAException.XAER_PROTO, () -> xa.prepare(x));
        xa.start(x, TMRESUME);
        r.putLong(0, 4);
        xa.end(x, TMSUCCESS);
        xa.commit(x, true);
        assertEquals(4, r.getLong(0));
    }

    @Test
    void endSuccessOfASuspendedBranchEndsIt() throws Exception {
        Xid x = xid("susp2");
        xa.start(x, TMNOFLAGS);
        xa.end(x, TMSUSPEND);
        xa.end(x, TMSUCCESS);
        assertEquals(XA_RDONLY, xa.prepare(x));
    }

    @Test
    void resumeOnAnotherThreadMovesTheTransactionThere() throws Exception {
        Xid x = xid("move");
        xa.start(x, TMNOFLAGS);
        store.memory().current().setRange(r, 0, 8);
        xa.end(x, TMSUSPEND);
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                xa.start(x, TMRESUME);
                r.putLong(0, 42);
                xa.end(x, TMSUCCESS);
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        t.join();
        assertNull(failure[0]);
        xa.commit(x, true);
        assertEquals(42, r.getLong(0));
    }

    @Test
    void endFailRollsBackAtOnceAndLeavesOnlyRollback() throws Exception {
        Xid x = xid("fail");
        xa.start(x, TMNOFLAGS);
        store.memory().current().setRange(r, 0, 8);
        r.putLong(0, 77);
        xa.end(x, TMFAIL);
        assertEquals(0, r.getLong(0), "old bytes restored by end(TMFAIL)");
        assertNull(store.memory().current());
        assertXa(XAException.XA_RBROLLBACK, () -> xa.prepare(x));
        Xid y = xid("fail2");
        xa.start(y, TMNOFLAGS);
        xa.end(y, TMFAIL);
        assertXa(XAException.XA_RBROLLBACK, () -> xa.commit(y, true));
        Xid z = xid("fail3");
        xa.start(z, TMNOFLAGS);
        xa.end(z, TMFAIL);
        RvmXAResource joiner = new RvmXAResource(store);
        assertXa(XAException.XA_RBROLLBACK, () -> joiner.start(z, TMJOIN));
        xa.rollback(z);
        assertXa(XAException.XAER_NOTA, () -> xa.rollback(z));
    }

    // ---- prepare, commit, rollback

    @Test
    void prepareOfNothingChangedIsReadOnlyAndForgetsTheBranch() throws Exception {
        Xid x = xid("ro");
        xa.start(x, TMNOFLAGS);
        xa.end(x, TMSUCCESS);
        assertEquals(XA_RDONLY, xa.prepare(x));
        assertXa(XAException.XAER_NOTA, () -> xa.commit(x, false));
        assertEquals(0, xa.recover(TMSTARTRSCAN | TMENDRSCAN).length);
    }

    @Test
    void prepareInTheWrongStateIsProtocolErrorAndOfUnknownXidNota() throws Exception {
        assertXa(XAException.XAER_NOTA, () -> xa.prepare(xid("nope")));
        Xid x = xid("p");
        xa.start(x, TMNOFLAGS);
        assertXa(XAException.XAER_PROTO, () -> xa.prepare(x));
        store.memory().current().setRange(r, 0, 8);
        xa.end(x, TMSUCCESS);
        assertEquals(XA_OK, xa.prepare(x));
        assertXa(XAException.XAER_PROTO, () -> xa.prepare(x));
        xa.rollback(x);
    }

    @Test
    void commitInTheWrongStateIsProtocolErrorAndOfUnknownXidNota() throws Exception {
        assertXa(XAException.XAER_NOTA, () -> xa.commit(xid("nope"), false));
        assertXa(XAException.XAER_NOTA, () -> xa.commit(xid("nope"), true));
        Xid x = xid("c");
        xa.start(x, TMNOFLAGS);
        assertXa(XAException.XAER_PROTO, () -> xa.commit(x, true));
        store.memory().current().setRange(r, 0, 8);
        r.putLong(0, 8);
        xa.end(x, TMSUCCESS);
        assertXa(XAException.XAER_PROTO, () -> xa.commit(x, false));
        xa.prepare(x);
        assertXa(XAException.XAER_PROTO, () -> xa.commit(x, true));
        xa.commit(x, false);
        assertEquals(8, r.getLong(0));
        assertXa(XAException.XAER_NOTA, () -> xa.commit(x, false));
    }

    @Test
    void rollbackRestoresOldBytesBeforeAndAfterPrepare() throws Exception {
        Xid x = xid("rb1");
        work(xa, x, 11);
        xa.rollback(x);
        assertEquals(0, r.getLong(0));
        Xid y = xid("rb2");
        work(xa, y, 12);
        xa.prepare(y);
        assertEquals(12, r.getLong(0), "a prepared branch's new values stay in memory, locked");
        xa.rollback(y);
        assertEquals(0, r.getLong(0));
        assertXa(XAException.XAER_NOTA, () -> xa.rollback(y));
    }

    @Test
    void rollbackWhileAssociatedIsProtocolError() throws Exception {
        Xid x = xid("rba");
        xa.start(x, TMNOFLAGS);
        assertXa(XAException.XAER_PROTO, () -> xa.rollback(x));
        xa.end(x, TMSUCCESS);
        xa.rollback(x);
    }

    @Test
    void forgetIsNeverNeeded() throws Exception {
        assertXa(XAException.XAER_NOTA, () -> xa.forget(xid("nope")));
        Xid x = xid("f");
        work(xa, x, 1);
        xa.prepare(x);
        assertXa(XAException.XAER_PROTO, () -> xa.forget(x));
        xa.commit(x, false);
    }

    // ---- recover

    @Test
    void recoverHonoursTheScanFlags() throws Exception {
        assertXa(XAException.XAER_INVAL, () -> xa.recover(TMNOFLAGS));
        assertXa(XAException.XAER_INVAL, () -> xa.recover(TMENDRSCAN));
        assertXa(XAException.XAER_INVAL, () -> xa.recover(TMSUCCESS));
        Xid p = xid("prepared", "q");
        work(xa, p, 1);
        xa.prepare(p);
        Xid active = xid("active");
        xa.start(active, TMNOFLAGS);
        xa.end(active, TMSUCCESS);

        Xid[] found = xa.recover(TMSTARTRSCAN);
        assertEquals(1, found.length, Arrays.toString(found));
        assertEquals(new RvmXid(p.getFormatId(), p.getGlobalTransactionId(), p.getBranchQualifier()), found[0]);
        assertArrayEquals(p.getBranchQualifier(), found[0].getBranchQualifier());
        assertEquals(0, xa.recover(TMNOFLAGS).length, "the rest of the scan is empty");
        assertEquals(0, xa.recover(TMENDRSCAN).length);
        assertXa(XAException.XAER_INVAL, () -> xa.recover(TMNOFLAGS));
        assertEquals(1, xa.recover(TMSTARTRSCAN | TMENDRSCAN).length);
        assertXa(XAException.XAER_INVAL, () -> xa.recover(TMENDRSCAN));
        xa.commit(found[0], false);
        xa.rollback(active);
        assertEquals(0, xa.recover(TMSTARTRSCAN | TMENDRSCAN).length);
    }

    // ---- identity, timeouts, store state

    @Test
    void sameResourceManagerOnlyForTheSameStore(@TempDir Path other) throws Exception {
        assertTrue(xa.isSameRM(new RvmXAResource(store)));
        try (AutoCloseableStore s2 = new AutoCloseableStore(Stores.open(other))) {
            assertFalse(xa.isSameRM(new RvmXAResource(s2.store)));
        }
        assertFalse(xa.isSameRM(new RecordingXAResource()));
    }

    @Test
    void transactionTimeoutIsNotSupported() throws Exception {
        assertFalse(xa.setTransactionTimeout(30));
        assertEquals(0, xa.getTransactionTimeout());
        assertXa(XAException.XAER_INVAL, () -> xa.setTransactionTimeout(-1));
    }

    @Test
    void everyCallOnAClosedStoreIsRmFail() throws Exception {
        Xid x = xid("closed");
        work(xa, x, 1);
        store.close();
        assertXa(XAException.XAER_RMFAIL, () -> xa.start(xid("n"), TMNOFLAGS));
        assertXa(XAException.XAER_RMFAIL, () -> xa.prepare(x));
        assertXa(XAException.XAER_RMFAIL, () -> xa.commit(x, false));
        assertXa(XAException.XAER_RMFAIL, () -> xa.commit(x, true));
        assertXa(XAException.XAER_RMFAIL, () -> xa.rollback(x));
        assertXa(XAException.XAER_RMFAIL, () -> xa.recover(TMSTARTRSCAN));
        assertXa(XAException.XAER_RMFAIL, () -> xa.forget(x));
    }

    @Test
    void xidsLongerThanXaAllowsAreInvalid() {
        Xid big = new Xids.ForeignXid(1, new byte[65], new byte[1]);
        assertXa(XAException.XAER_INVAL, () -> xa.start(big, TMNOFLAGS));
        Xid bigQual = new Xids.ForeignXid(1, new byte[1], new byte[65]);
        assertXa(XAException.XAER_INVAL, () -> xa.prepare(bigQual));
    }

    /** Closes a second store. */
    private static final class AutoCloseableStore implements AutoCloseable {
        final Store store;

        AutoCloseableStore(Store s) {
            this.store = s;
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
