package dev.rvm.example.ledger;

import javax.sql.XAConnection;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The child JVM of {@link AuditTrailAfterCrashTest}: with the audit database at the JDBC URL {@code args[0]}, writes
 * one committed audit row ({@code committed}), then a second ({@code in-doubt}) in an XA branch that it prepares, and
 * halts — as a server killed after the transaction manager logged its decision and before it committed this branch.
 */
public final class PreparedAuditRowThenHalt {
    /** The branch left prepared: format id, global id, qualifier. */
    static final Xid XID = new TestXid(0x1234, new byte[] {1, 2, 3, 4}, new byte[] {5});

    private PreparedAuditRowThenHalt() {
    }

    public static void main(String[] args) throws Exception {
        JdbcDataSource ds = AuditTrailAfterCrashTest.dataSource(args[0]);
        AuditLog audit = new AuditLog(ds);
        audit.createTable();
        audit.record("alice", "bob", 10, "ejb", "committed");
        XAConnection xa = ds.getXAConnection();
        XAResource branch = xa.getXAResource();
        branch.start(XID, XAResource.TMNOFLAGS);
        // through the pool of one: closing an H2 handle would roll the branch back
        new AuditLog(AuditTrailAfterCrashTest.poolOf(xa)).record("bob", "carol", 7, "cdi", "in-doubt");
        branch.end(XID, XAResource.TMSUCCESS);
        branch.prepare(XID);
        Runtime.getRuntime().halt(0); // no shutdown hook, no close: the database sees a crash
    }

    /** A plain Xid. */
    record TestXid(int getFormatId, byte[] getGlobalTransactionId, byte[] getBranchQualifier) implements Xid {
    }
}
