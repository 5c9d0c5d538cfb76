package dev.rvm.ra.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rvm.ra.internal.RvmXid;
import dev.rvm.ra.internal.XaErrors;
import java.nio.charset.StandardCharsets;
import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.function.Executable;

/** Xids for tests, and an assertion on XA error codes. */
public final class Xids {
    private Xids() {
    }

    /** A test Xid with the given global id and branch qualifier. */
    public static Xid xid(String gtrid, String bqual) {
        return new ForeignXid(4711, gtrid.getBytes(StandardCharsets.UTF_8), bqual.getBytes(StandardCharsets.UTF_8));
    }

    /** A test Xid with branch qualifier "b". */
    public static Xid xid(String gtrid) {
        return xid(gtrid, "b");
    }

    /** Asserts that {@code call} throws an XAException with {@code code}, and returns it. */
    public static XAException assertXa(int code, Executable call) {
        XAException e = assertThrows(XAException.class, call);
        assertEquals(XaErrors.name(code), XaErrors.name(e.errorCode),
                "XA error code; message: " + e.getMessage());
        return e;
    }

    /** A transaction manager's own Xid class (identity equality), as the adapter must not rely on equals. */
    public static final class ForeignXid implements Xid {
        private final int formatId;
        private final byte[] gtrid;
        private final byte[] bqual;

        /** An Xid. */
        public ForeignXid(int formatId, byte[] gtrid, byte[] bqual) {
            this.formatId = formatId;
            this.gtrid = gtrid;
            this.bqual = bqual;
        }

        @Override
        public int getFormatId() {
            return formatId;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return gtrid.clone();
        }

        @Override
        public byte[] getBranchQualifier() {
            return bqual.clone();
        }

        @Override
        public String toString() {
            return RvmXid.describe(this);
        }
    }
}
