package dev.rvm.ra.internal;

import java.util.Arrays;
import java.util.HexFormat;
import javax.transaction.xa.Xid;

/**
 * The adapter's own {@link Xid}, as returned by {@code recover}: value semantics (equals and hashCode over format
 * id, global transaction id and branch qualifier), so that transaction managers can compare it with theirs.
 * Immutable and thread-safe.
 */
public final class RvmXid implements Xid {
    private final int formatId;
    private final byte[] gtrid;
    private final byte[] bqual;

    /** Creates an Xid from copies of the given parts. */
    public RvmXid(int formatId, byte[] gtrid, byte[] bqual) {
        this.formatId = formatId;
        this.gtrid = gtrid.clone();
        this.bqual = bqual.clone();
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
    public boolean equals(Object o) {
        if (!(o instanceof Xid)) {
            return false;
        }
        Xid x = (Xid) o;
        return formatId == x.getFormatId() && Arrays.equals(gtrid, x.getGlobalTransactionId())
                && Arrays.equals(bqual, x.getBranchQualifier());
    }

    @Override
    public int hashCode() {
        return 31 * (31 * formatId + Arrays.hashCode(gtrid)) + Arrays.hashCode(bqual);
    }

    @Override
    public String toString() {
        return describe(this);
    }

    /** A readable form of any Xid, for messages: {@code formatId:gtrid-hex:bqual-hex}. */
    public static String describe(Xid xid) {
        if (xid == null) {
            return "null";
        }
        HexFormat hex = HexFormat.of();
        return xid.getFormatId() + ":" + hex.formatHex(xid.getGlobalTransactionId()) + ":"
                + hex.formatHex(xid.getBranchQualifier());
    }
}
