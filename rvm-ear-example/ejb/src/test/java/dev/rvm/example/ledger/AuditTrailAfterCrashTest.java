package dev.rvm.example.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import javax.sql.XAConnection;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail as the ledger reads it after a crash, with the H2 version WildFly ships and the datasource URL the
 * EAR ships ({@code ledger-xa-ds.xml}). A server killed between the transaction manager's decision and the
 * database's commit leaves the audit row prepared; after the restart the ledger may read the trail (through a
 * pooled connection) before recovery commits that row, and must see the row once it is committed. H2 caches the
 * last result of each query per session and reuses it while no <em>session</em> commit has touched the table; the
 * commit of a recovered in-doubt transaction is not a session commit, so without {@code OPTIMIZE_REUSE_RESULTS=FALSE}
 * the pooled session goes on returning the trail without the row — until the next write to the table. That was
 * the cause of what ChaosIT once reported as "audit behind RVM" (docs/RECOVERY.md).
 */
class AuditTrailAfterCrashTest {
    private static final Path SHIPPED_DATASOURCE = Path.of("../ear/src/main/application/META-INF/ledger-xa-ds.xml");
    private static final Pattern URL = Pattern.compile("<xa-datasource-property name=\"URL\">([^<]+)<");
    private static final String NO_RESULT_REUSE = ";OPTIMIZE_REUSE_RESULTS=FALSE";

    @TempDir
    Path dir;

    @Test
    void aRowCommittedByRecoveryIsSeenByAPooledSessionThatReadTheTrailBefore() throws Exception {
        String url = shippedUrl(dir);
        assertEquals(2, rowsSeenAfterRecovery(url), "the ledger's read after recovery committed the prepared row,"
                + " on a pooled session that read the trail before (URL " + url + ")");
    }

    /**
     * Pins H2's behaviour that the shipped URL works around: when this fails, H2 no longer serves a stale result
     * after a recovery commit, and {@code OPTIMIZE_REUSE_RESULTS=FALSE} may go from {@code ledger-xa-ds.xml}.
     */
    @Test
    void withoutTheSettingH2GoesOnServingThePooledSessionTheTrailWithoutTheRow() throws Exception {
        String url = shippedUrl(dir).replace(NO_RESULT_REUSE, "");
        assertEquals(1, rowsSeenAfterRecovery(url), "H2 " + org.h2.engine.Constants.FULL_VERSION
                + " no longer reuses a query result across a recovery commit");
    }

    /**
     * Crashes a child JVM with one committed row and one prepared, then does what the restarted server does: the
     * ledger reads the trail in a JTA transaction through a pooled connection, the transaction manager's recovery
     * connection commits the prepared branch, and the ledger reads the trail again through the same pooled
     * connection. Returns the rows of that last read. Both connections are opened before the first read, as in the
     * server (the recovery pass that commits reuses the XAResource its first pass took, 10 s before): opening an H2
     * session clears every session's query cache, so a connection opened in between would hide the fault.
     */
    private long rowsSeenAfterRecovery(String url) throws Exception {
        crashWithARowPrepared(url);
        JdbcDataSource ds = dataSource(url);
        XAConnection pooled = ds.getXAConnection();
        XAConnection recovery = ds.getXAConnection();
        try {
            AuditLog audit = new AuditLog(poolOf(pooled));
            assertEquals(1, inTransaction(pooled, 1, audit::summary).rows(), "before recovery: the committed row");
            XAResource rm = recovery.getXAResource();
            Xid[] inDoubt = rm.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
            assertEquals(1, inDoubt.length, "branches in doubt after the crash");
            rm.commit(inDoubt[0], false);
            assertEquals(0, rm.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length, "in doubt after commit");
            return inTransaction(pooled, 2, audit::summary).rows();
        } finally {
            recovery.close();
            pooled.close();
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            }
        }
    }

    private void crashWithARowPrepared(String url) throws IOException, InterruptedException {
        Path err = dir.resolve("child.err");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PreparedAuditRowThenHalt.class.getName(), url)
                .redirectErrorStream(true).redirectOutput(err.toFile()).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child still running");
        assertEquals(0, child.exitValue(), "child failed: " + Files.readString(err));
    }

    /** Runs {@code work} in an XA transaction of {@code connection} alone: start, end, one-phase commit, as JTA does. */
    private static <T> T inTransaction(XAConnection connection, int n, Callable<T> work) throws Exception {
        Xid xid = new PreparedAuditRowThenHalt.TestXid(0x4242, new byte[] {(byte) n}, new byte[] {1});
        XAResource xa = connection.getXAResource();
        xa.start(xid, XAResource.TMNOFLAGS);
        T result = work.call();
        xa.end(xid, XAResource.TMSUCCESS);
        xa.commit(xid, true);
        return result;
    }

    /**
     * A pool of one, as WildFly's: every {@code getConnection()} hands out the pooled connection's one physical
     * handle, and {@code close()} gives it back instead of closing it: IronJacamar takes one handle per physical
     * connection and keeps it, so the H2 session and its cached query results live from one transaction to the next.
     */
    static DataSource poolOf(XAConnection pooled) throws SQLException {
        Connection physical = pooled.getConnection();
        InvocationHandler borrowed = (proxy, method, args) -> {
            if (method.getName().equals("close")) {
                return null;
            }
            return invoke(physical, method, args);
        };
        Connection handle = (Connection) Proxy.newProxyInstance(AuditTrailAfterCrashTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, borrowed);
        InvocationHandler pool = (proxy, method, args) -> {
            if (method.getName().equals("getConnection")) {
                return handle;
            }
            throw new UnsupportedOperationException(method.getName());
        };
        return (DataSource) Proxy.newProxyInstance(AuditTrailAfterCrashTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, pool);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The URL of the shipped datasource, its {@code ${jboss.server.data.dir}} being {@code dataDir}. */
    static String shippedUrl(Path dataDir) throws IOException {
        Matcher m = URL.matcher(Files.readString(SHIPPED_DATASOURCE));
        assertTrue(m.find(), "no URL property in " + SHIPPED_DATASOURCE.toAbsolutePath());
        return m.group(1).replace("${jboss.server.data.dir}", dataDir.toAbsolutePath().toString());
    }

    static JdbcDataSource dataSource(String url) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("sa");
        ds.setPassword("sa");
        return ds;
    }
}
