package dev.rvm.bench.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The database side of the benchmark, plain JDBC that runs unchanged on H2 and PostgreSQL: a table of balances
 * ({@code bench_balance}, one row per account) and an audit table ({@code bench_audit}, one row per transfer).
 * Connections come from the XA datasource, so inside a JTA transaction they are enlisted in it. Stateless,
 * thread-safe.
 */
final class BenchTables {
    private static final String UPDATE = "UPDATE bench_balance SET balance = balance + ? WHERE id = ?";
    private static final String AUDIT = "INSERT INTO bench_audit(from_account, to_account, amount) VALUES (?, ?, ?)";
    private static final int FILL_BATCH = 1_000;

    private BenchTables() {
    }

    /**
     * Drops and creates both tables and fills {@code bench_balance} with {@code accounts} rows of
     * {@code opening}. Runs outside a JTA transaction (H2 commits DDL by itself), in local transactions of its own.
     */
    static void create(DataSource ds, int accounts, long opening) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS bench_balance");
            st.execute("DROP TABLE IF EXISTS bench_audit");
            st.execute("CREATE TABLE bench_balance (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            st.execute("CREATE TABLE bench_audit (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                    + " from_account INT NOT NULL, to_account INT NOT NULL, amount BIGINT NOT NULL,"
                    + " at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_balance(id, balance) VALUES (?, ?)")) {
                for (int i = 0; i < accounts; i++) {
                    ps.setInt(1, i);
                    ps.setLong(2, opening);
                    ps.addBatch();
                    if ((i + 1) % FILL_BATCH == 0 || i == accounts - 1) {
                        ps.executeBatch();
                    }
                }
            }
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /**
     * Case (3): debits {@code from} and credits {@code to}, one row update each, in id order so that two opposite
     * transfers cannot deadlock. Call inside the caller's JTA transaction.
     */
    static void transfer(DataSource ds, int from, int to, long amount) throws SQLException {
        try (Connection c = ds.getConnection()) {
            transfer(c, from, to, amount);
        }
    }

    /** Case (4): {@link #transfer(DataSource, int, int, long)} and the audit row on the same connection. */
    static void transferAndAudit(DataSource ds, int from, int to, long amount) throws SQLException {
        try (Connection c = ds.getConnection()) {
            transfer(c, from, to, amount);
            audit(c, from, to, amount);
        }
    }

    /** The audit row of case (2), on a connection of its own. */
    static void audit(DataSource ds, int from, int to, long amount) throws SQLException {
        try (Connection c = ds.getConnection()) {
            audit(c, from, to, amount);
        }
    }

    /** Sum of all balances and number of audit rows: what the driver checks after a run. */
    static long[] totals(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            long sum;
            try (ResultSet rs = st.executeQuery("SELECT COALESCE(SUM(balance), 0) FROM bench_balance")) {
                rs.next();
                sum = rs.getLong(1);
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM bench_audit")) {
                rs.next();
                return new long[] {sum, rs.getLong(1)};
            }
        }
    }

    private static void transfer(Connection c, int from, int to, long amount) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            boolean fromFirst = from < to;
            update(ps, fromFirst ? from : to, fromFirst ? -amount : amount);
            update(ps, fromFirst ? to : from, fromFirst ? amount : -amount);
        }
    }

    private static void update(PreparedStatement ps, int id, long delta) throws SQLException {
        ps.setLong(1, delta);
        ps.setInt(2, id);
        if (ps.executeUpdate() != 1) {
            throw new IllegalArgumentException("no account " + id + " in bench_balance");
        }
    }

    private static void audit(Connection c, int from, int to, long amount) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(AUDIT)) {
            ps.setInt(1, from);
            ps.setInt(2, to);
            ps.setLong(3, amount);
            ps.executeUpdate();
        }
    }
}
