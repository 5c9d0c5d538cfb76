package dev.rvm.ra.internal;

import dev.rvm.core.BranchId;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;

/**
 * The one place that turns an XA {@link Xid} into the core's {@link BranchId} and back. Layout of the branch id
 * bytes: format id (4 bytes, big-endian), global transaction id length (1 byte), global transaction id, branch
 * qualifier length (1 byte), branch qualifier — at most 134 bytes, within {@link BranchId#MAX_LENGTH}. The layout
 * is written into the log by {@code prepare} and read back by {@code recover}, so it must never change.
 *
 * <p>Stateless and thread-safe.
 */
public final class XidCodec {
    private XidCodec() {
    }

    /**
     * Encodes {@code xid}.
     *
     * @throws XAException {@link XAException#XAER_INVAL} for a null Xid or one whose parts exceed the XA limits
     */
    public static BranchId encode(Xid xid) throws XAException {
        if (xid == null) {
            throw XaErrors.of(XAException.XAER_INVAL, Messages.badXid("null Xid"), null);
        }
        byte[] g = xid.getGlobalTransactionId();
        byte[] b = xid.getBranchQualifier();
        if (g == null || g.length < 1 || g.length > Xid.MAXGTRIDSIZE) {
            throw XaErrors.of(XAException.XAER_INVAL, Messages.badXid("global transaction id of "
                    + (g == null ? "null" : g.length + " bytes") + " in " + RvmXid.describe(xid)), null);
        }
        if (b == null || b.length > Xid.MAXBQUALSIZE) {
            throw XaErrors.of(XAException.XAER_INVAL, Messages.badXid("branch qualifier of "
                    + (b == null ? "null" : b.length + " bytes") + " in " + RvmXid.describe(xid)), null);
        }
        ByteBuffer buf = ByteBuffer.allocate(4 + 1 + g.length + 1 + b.length);
        buf.putInt(xid.getFormatId()).put((byte) g.length).put(g).put((byte) b.length).put(b);
        return BranchId.of(buf.array());
    }

    /**
     * Decodes a branch id written by {@link #encode}.
     *
     * @throws IllegalArgumentException if the bytes are not in that layout (a branch prepared by something else)
     */
    public static RvmXid decode(BranchId id) {
        byte[] bytes = id.toBytes();
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            int formatId = buf.getInt();
            byte[] g = new byte[Byte.toUnsignedInt(buf.get())];
            buf.get(g);
            byte[] b = new byte[Byte.toUnsignedInt(buf.get())];
            buf.get(b);
            if (buf.hasRemaining() || g.length == 0 || g.length > Xid.MAXGTRIDSIZE || b.length > Xid.MAXBQUALSIZE) {
                throw new IllegalArgumentException("branch id " + id + " is not an encoded Xid");
            }
            return new RvmXid(formatId, g, b);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("branch id " + id + " is not an encoded Xid", e);
        }
    }
}
