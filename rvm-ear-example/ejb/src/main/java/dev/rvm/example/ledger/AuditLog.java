package dev.rvm.example.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The audit trail in the XA datasource: one row per committed transfer. Plain JDBC; every method takes its
 * connection from the datasource, which enlists it in the caller's JTA transaction. Stateless, thread-safe.
 */
public final class AuditLog {
    /** Longest memo the table accepts; a longer one makes the insert fail, which is how a database error shows. */
    public static final int MEMO_LENGTH = 100;

    private static final String DDL = "CREATE TABLE IF NOT EXISTS ledger_audit ("
            + " id BIGINT AUTO_INCREMENT PRIMARY KEY,"
            + " at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,"
            + " from_account VARCHAR(32) NOT NULL,"
            + " to_account VARCHAR(32) NOT NULL,"
            + " amount BIGINT NOT NULL,"
            + " via VARCHAR(8) NOT NULL,"
            + " memo VARCHAR(" + MEMO_LENGTH + "))";

    private final DataSource ds;

    /** @param ds the XA datasource */
    public AuditLog(DataSource ds) {
        this.ds = ds;
    }

    /** Creates the table if missing. Call outside a transaction: H2 commits DDL on its own. */
    public void createTable() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(DDL);
        }
    }

    /** Writes one row in the caller's transaction. */
    public void record(String from, String to, long amount, String via, String memo) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO ledger_audit(from_account, to_account, amount, via, memo) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, from);
            ps.setString(2, to);
            ps.setLong(3, amount);
            ps.setString(4, via);
            ps.setString(5, memo);
            ps.executeUpdate();
        }
    }

    /**
     * Sums the trail: row count, total amount, and for each account what the trail says its balance moved by
     * (credits minus debits).
     */
    public Summary summary() throws SQLException {
        Map<String, Long> net = new LinkedHashMap<>();
        long rows = 0;
        long total = 0;
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT from_account, to_account, amount FROM ledger_audit")) {
            while (rs.next()) {
                long amount = rs.getLong(3);
                net.merge(rs.getString(1), -amount, Long::sum);
                net.merge(rs.getString(2), amount, Long::sum);
                rows++;
                total += amount;
            }
        }
        return new Summary(rows, total, net);
    }

    /**
     * The audit trail in numbers. Immutable.
     *
     * @param rows number of rows
     * @param totalAmount sum of all amounts
     * @param netByAccount per account: credits minus debits
     */
    public record Summary(long rows, long totalAmount, Map<String, Long> netByAccount) {
        /** Defensive copy. */
        public Summary {
            netByAccount = Map.copyOf(netByAccount);
        }
    }
}
