package dev.rvm.bench.server;

import java.util.Locale;

/**
 * The ways of doing a transfer that the benchmark compares; see the package documentation. Immutable.
 */
public enum TransferCase {
    /**
     * (0) The floor: the same request, bean and container-managed transaction with no resource in it. No case
     * can be faster than this one; it shows what the server's own path costs.
     */
    NONE("none"),
    /** (1) Both balances in RVM only: one XA resource, one-phase commit. */
    RVM("rvm"),
    /**
     * Case (1) through the connection factory {@code java:/eis/rvm-lazy}, whose {@code lazyOnePhaseCommit} makes the
     * one-phase commit RVM's {@code NO_FLUSH}: the commit returns before its log force, and the adapter's background
     * flush makes it durable within about {@code lazyFlushMillis}. Same store, region and accounts as case (1).
     */
    RVM_LAZY("rvm-lazy"),
    /** (2) Balances in RVM, an audit row in the XA database: two-phase commit. */
    RVM_AUDIT("rvm+audit"),
    /** (3) Both balances in a database table, one row update per account. */
    DB("db"),
    /** (4) Balances and the audit row in the database. */
    DB_AUDIT("db+audit"),
    /**
     * The ceiling of case 2: its audit row in the database and, where case 2 has RVM, an XA resource that does
     * nothing ({@link IdleXAResource}), so the commit is two-phase with only the database's and the transaction
     * manager's forces.
     */
    NOOP_AUDIT("noop+audit"),
    /**
     * Two servers: on server A, one account debited in A's RVM, then a remote call to {@link BenchPeer#credit} on
     * server B, which credits the other account in B's RVM inside A's transaction. Two resources in one transaction,
     * A's RVM and the subordinate transaction on B (with B's RVM in it): A's transaction manager commits both in two
     * phases. The same RVM work as case (1), split over two servers.
     */
    RVM_REMOTE("rvm-remote"),
    /**
     * Two servers: the remote call of {@link #RVM_REMOTE} in a transaction on A ({@link BenchPeer#joinOnly}), and no
     * resource touched on either server: what the call and the propagated transaction cost by themselves.
     */
    REMOTE_NONE("remote-none");

    private final String label;

    TransferCase(String label) {
        this.label = label;
    }

    /** @return the name used on the wire and in the report, e.g. {@code rvm+audit} */
    public String label() {
        return label;
    }

    /**
     * The case named {@code label} (as {@link #label()}, case-insensitive; {@code -} or a space accepted for the
     * {@code +} of a label that has one).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static TransferCase of(String label) {
        String exact = label == null ? "" : label.toLowerCase(Locale.ROOT);
        String plus = exact.replace('-', '+').replace(' ', '+');
        for (TransferCase c : values()) {
            if (c.label.equals(exact) || c.label.equals(plus)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown case '" + label
                + "'; one of none, rvm, rvm-lazy, rvm+audit, db, db+audit, noop+audit, rvm-remote, remote-none");
    }
}
