package dev.rvm.ra.internal;

import static dev.rvm.ra.testing.Xids.assertXa;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.ra.testing.Xids;
import java.nio.file.Path;
import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Xid encoding, the error-code table and the configuration defaults. */
class InternalTest {

    @Test
    void xidRoundTripsThroughTheBranchIdAtTheXaLimits() throws Exception {
        Xid max = new Xids.ForeignXid(-7, new byte[Xid.MAXGTRIDSIZE], new byte[Xid.MAXBQUALSIZE]);
        Xid emptyQualifier = new Xids.ForeignXid(0, new byte[] {1}, new byte[0]);
        for (Xid x : new Xid[] {max, emptyQualifier, Xids.xid("g", "q")}) {
            RvmXid back = XidCodec.decode(XidCodec.encode(x));
            assertEquals(x.getFormatId(), back.getFormatId());
            assertArrayEquals(x.getGlobalTransactionId(), back.getGlobalTransactionId());
            assertArrayEquals(x.getBranchQualifier(), back.getBranchQualifier());
            assertEquals(back, x instanceof RvmXid ? x : new RvmXid(x.getFormatId(), x.getGlobalTransactionId(),
                    x.getBranchQualifier()));
        }
        assertNotEquals(XidCodec.encode(Xids.xid("ab", "c")), XidCodec.encode(Xids.xid("a", "bc")));
    }

    @Test
    void xidsOutsideTheXaLimitsAreInvalid() {
        assertXa(XAException.XAER_INVAL, () -> XidCodec.encode(null));
        assertXa(XAException.XAER_INVAL, () -> XidCodec.encode(new Xids.ForeignXid(1, new byte[0], new byte[0])));
        assertXa(XAException.XAER_INVAL, () -> XidCodec.encode(new Xids.ForeignXid(1, new byte[65], new byte[0])));
        assertXa(XAException.XAER_INVAL, () -> XidCodec.encode(new Xids.ForeignXid(1, new byte[1], new byte[65])));
    }

    @Test
    void branchIdsNotWrittenByTheCodecAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> XidCodec.decode(BranchId.of("not an xid")));
        assertThrows(IllegalArgumentException.class, () -> XidCodec.decode(BranchId.of(new byte[] {0, 0, 0, 1, 5})));
    }

    @Test
    void theTableMapsTheCodesTheTransactionManagerReactsTo() {
        assertEquals(XAException.XAER_NOTA, XaErrors.codeFor(ErrorCode.UNKNOWN_BRANCH));
        assertEquals(XAException.XAER_DUPID, XaErrors.codeFor(ErrorCode.DUPLICATE_BRANCH));
        assertEquals(XAException.XAER_PROTO, XaErrors.codeFor(ErrorCode.ILLEGAL_STATE));
        assertEquals(XAException.XAER_INVAL, XaErrors.codeFor(ErrorCode.ILLEGAL_ARGUMENT));
        assertEquals(XAException.XA_RBTIMEOUT, XaErrors.codeFor(ErrorCode.LOCK_TIMEOUT));
        assertEquals(XAException.XA_RBDEADLOCK, XaErrors.codeFor(ErrorCode.DEADLOCK));
        assertEquals(XAException.XAER_RMFAIL, XaErrors.codeFor(ErrorCode.STORE_FAILED));
        assertEquals(XAException.XAER_RMFAIL, XaErrors.codeFor(ErrorCode.IO_ERROR));
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCallInTheWrongStateIsAProtocolError(ErrorCode code) {
        if (code.isWrongState()) {
            assertEquals(XAException.XAER_PROTO, XaErrors.codeFor(code), code.name());
            assertEquals(XAException.XAER_PROTO, XaErrors.codeFor(code, XaErrors.Call.ONE_PHASE_COMMIT), code.name());
        }
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void aCommitNeverAnswersRmErrAndASecondPhaseFailureLeavesTheBranchToRetry(ErrorCode code) {
        assertNotEquals(XAException.XAER_RMERR, XaErrors.codeFor(code, XaErrors.Call.ONE_PHASE_COMMIT));
        int second = XaErrors.codeFor(code, XaErrors.Call.SECOND_PHASE);
        assertEquals(code == ErrorCode.UNKNOWN_BRANCH ? XAException.XAER_NOTA : XAException.XAER_RMFAIL, second);
    }

    @Test
    void xaExceptionsCarryTheCauseAndAStableId() {
        RvmException cause = new RvmException(ErrorCode.STORE_FAILED, "disk");
        XAException e = XaErrors.fromCore(cause, XaErrors.Call.SECOND_PHASE, "commit", "x");
        assertEquals(XAException.XAER_RMFAIL, e.errorCode);
        assertEquals(cause, e.getCause());
        assertEquals(true, e.getMessage().startsWith("RVM000110"));
    }

    @Test
    void storeDirectoryDefaultsToTheServerDataDirectory() {
        String old = System.getProperty("jboss.server.data.dir");
        try {
            System.setProperty("jboss.server.data.dir", "/srv/wildfly/data");
            assertEquals(Path.of("/srv/wildfly/data/rvm"), StoreConfig.parse(null, null, null, null, null, null)
                    .directory());
            System.clearProperty("jboss.server.data.dir");
            assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "rvm").toAbsolutePath(),
                    StoreConfig.parse(null, null, null, null, null, null).directory());
        } finally {
            if (old != null) {
                System.setProperty("jboss.server.data.dir", old);
            }
        }
    }

    @Test
    void defaultsAreSensible() {
        StoreConfig c = StoreConfig.parse("/x", null, null, null, null, null);
        assertEquals(64L << 20, c.logSize());
        assertEquals(0.5, c.truncationThreshold());
        assertEquals(10_000, c.lockTimeoutMillis());
        assertEquals(CommitMode.FLUSH, c.defaultCommitMode());
        assertEquals("main:main:0:1048576", c.regions().get(0).toString());
        assertEquals(CommitMode.NO_FLUSH,
                StoreConfig.parse("/x", null, null, null, "no_flush", "").defaultCommitMode());
    }
}
