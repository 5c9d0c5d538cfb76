package dev.rvm.it.nesting;

import dev.rvm.core.Region;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import jakarta.resource.ResourceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where a test run writes: run {@code n} owns bytes [{@link #base}(n), +64) of region {@value #REGION}, eight
 * 8-byte slots, one per writer; each write sets its slot to 1 and inserts a row {@code (run, who)} into
 * {@code nesting_audit}, both in the caller's transaction. Stateless, thread-safe.
 */
public final class Slots {
    /** The example's spare region (the ledger keeps only its rejection counters there, in the first 16 bytes). */
    public static final String REGION = "main";
    /** The slots, by writer. */
    public static final int OUTER = 0;
    /** The outer transaction, after its inner ones returned. */
    public static final int OUTER_AFTER = 1;
    /** The first inner (REQUIRES_NEW) transaction. */
    public static final int INNER = 2;
    /** The first inner transaction, after the second returned. */
    public static final int INNER_AFTER = 3;
    /** The second inner transaction, begun from the first. */
    public static final int INNER2 = 4;
    /** The NOT_SUPPORTED bean. */
    public static final int NOT_SUPPORTED = 5;
    /** The names of the slots, in slot order, as the state report prints them. */
    public static final String[] NAMES = {"outer", "outer-after", "inner", "inner-after", "inner2", "not-supported"};

    private Slots() {
    }

    /** First byte of run {@code run}'s slots, past the ledger's counters. */
    public static long base(int run) {
        return 4096 + 64L * run;
    }

    /** Writes slot {@code slot} of run {@code run} and its audit row in the caller's transaction. */
    public static void write(RvmConnectionFactory rvm, DataSource ds, int run, int slot) {
        try (RvmConnection c = rvm.getConnection()) {
            Region r = c.region(REGION);
            long at = base(run) + 8L * slot;
            c.setRange(r, at, 8);
            r.putLong(at, 1);
        } catch (ResourceException e) {
            throw new IllegalStateException(e);
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO nesting_audit(run, who) VALUES (?, ?)")) {
            ps.setInt(1, run);
            ps.setString(2, NAMES[slot]);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
