package dev.rvm.ra.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import dev.rvm.ra.internal.Messages;
import dev.rvm.ra.testing.Xids;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.jboss.jca.core.spi.statistics.StatisticsPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The adapter as the container sees it: start/stop, configuration, connections, local transactions, stats. */
class ResourceAdapterTest {
    @TempDir
    Path dir;
    private final FakeBootstrapContext ctx = new FakeBootstrapContext();
    private RvmResourceAdapter ra;

    private RvmResourceAdapter adapter(Consumer<RvmResourceAdapter> configure) {
        RvmResourceAdapter a = new RvmResourceAdapter();
        a.setStoreDirectory(dir.toString());
        a.setLogSize(1L << 20);
        a.setRegions("accounts:accounts:0:8192,audit:log:0:4096");
        configure.accept(a);
        return a;
    }

    private RvmManagedConnectionFactory mcf() throws ResourceException {
        RvmManagedConnectionFactory f = new RvmManagedConnectionFactory();
        f.setResourceAdapter(ra);
        return f;
    }

    @AfterEach
    void stop() {
        if (ra != null) {
            ra.stop();
        }
        ctx.close();
    }

    @Test
    void startCreatesSegmentsAndMapsRegionsAndStopReleasesTheStore() throws Exception {
        ra = adapter(a -> { });
        ra.start(ctx);
        assertTrue(Files.exists(dir.resolve("segments")));
        assertEquals(List.of("accounts", "audit"), List.copyOf(ra.store().regionNames()));
        assertEquals(8192, ra.store().region("accounts").length());
        ra.stop();
        assertThrows(ResourceException.class, ra::store);
        RvmResourceAdapter again = adapter(a -> { });
        again.start(ctx); // the store lock was released by stop
        again.stop();
    }

    @Test
    void theXaResourceOfAStoppedAdapterAnswersRmFailToEveryCall() throws Exception {
        ra = adapter(a -> { });
        ra.start(ctx);
        RvmManagedConnection mc = (RvmManagedConnection) mcf().createManagedConnection(null, null);
        XAResource xa = mc.getXAResource();
        Xid x = Xids.xid("before-stop");
        xa.start(x, XAResource.TMNOFLAGS);
        ra.stop();
        Xids.assertXa(XAException.XAER_RMFAIL, () -> xa.end(x, XAResource.TMSUCCESS));
        Xids.assertXa(XAException.XAER_RMFAIL, () -> xa.start(Xids.xid("after-stop"), XAResource.TMNOFLAGS));
        Xids.assertXa(XAException.XAER_RMFAIL, () -> xa.prepare(x));
        Xids.assertXa(XAException.XAER_RMFAIL, () -> xa.commit(x, true));
        Xids.assertXa(XAException.XAER_RMFAIL, () -> xa.rollback(x));
        Xids.assertXa(XAException.XAER_RMFAIL, () -> xa.recover(XAResource.TMSTARTRSCAN));
        Xids.assertXa(XAException.XAER_RMFAIL, () -> xa.isSameRM(xa));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "logSize|1",
        "truncationThreshold|1.5",
        "lockTimeoutMillis|-1",
        "defaultCommitMode|SOMETIMES",
        "regions|accounts:accounts:0",
        "regions|a:s:0:100,b:s:50:100",
        "regions|a:../etc:0:100",
        "lazyFlushMillis|0",
        "storeDirectory|${rvm.no.such.property}/x"})
    void invalidConfigurationFailsStartNamingTheProperty(String property, String value) {
        ra = adapter(a -> {
            switch (property) {
                case "logSize" -> a.setLogSize(Long.valueOf(value));
                case "truncationThreshold" -> a.setTruncationThreshold(Double.valueOf(value));
                case "lockTimeoutMillis" -> a.setLockTimeoutMillis(Long.valueOf(value));
                case "defaultCommitMode" -> a.setDefaultCommitMode(value);
                case "regions" -> a.setRegions(value);
                case "lazyFlushMillis" -> a.setLazyFlushMillis(Long.valueOf(value));
                default -> a.setStoreDirectory(value);
            }
        });
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class, () -> ra.start(ctx));
        assertTrue(e.getMessage().contains("RVM000102") && e.getMessage().contains(property), e.getMessage());
    }

    @Test
    void regionsLargerThanAnExistingSegmentFailStartNamingRegions() throws Exception {
        ra = adapter(a -> { });
        ra.start(ctx);
        ra.stop();
        ra = adapter(a -> a.setRegions("accounts:accounts:0:100000"));
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class, () -> ra.start(ctx));
        assertTrue(e.getMessage().contains("regions"), e.getMessage());
    }

    @Test
    void truncationRunsAsWorkOnTheWorkManager() throws Exception {
        ra = adapter(a -> {
            a.setLogSize(64L * 1024);
            a.setTruncationThreshold(0.2);
        });
        ra.start(ctx);
        RvmManagedConnection mc = (RvmManagedConnection) mcf().createManagedConnection(null, null);
        try (RvmConnection c = (RvmConnection) mc.getConnection(null, null)) {
            Region r = c.region("accounts");
            for (int i = 0; i < 40; i++) {
                mc.getLocalTransaction().begin();
                c.setRange(r, 0, 4096);
                r.putLong(0, i);
                mc.getLocalTransaction().commit();
            }
        }
        ctx.drain();
        assertFalse(ctx.scheduled.isEmpty(), "truncation was scheduled as a Work");
        assertTrue(ra.store().memory().statistics().truncations() > 0);
    }

    @Test
    void writesOutsideATransactionFailWithAClearError() throws Exception {
        ra = adapter(a -> { });
        ra.start(ctx);
        RvmConnectionFactory cf = (RvmConnectionFactory) mcf().createConnectionFactory();
        try (RvmConnection c = cf.getConnection()) {
            Region r = c.region("accounts");
            RvmException e = assertThrows(RvmException.class, () -> c.setRange(r, 0, 8));
            assertEquals(ErrorCode.NO_TRANSACTION, e.code());
            assertTrue(e.getMessage().contains("RVM000108"), e.getMessage());
            assertEquals(ErrorCode.NO_TRANSACTION, assertThrows(RvmException.class, () -> r.putLong(0, 1)).code());
            assertEquals(ErrorCode.ILLEGAL_ARGUMENT, assertThrows(RvmException.class, () -> c.region("x")).code());
            assertFalse(c.inTransaction());
        }
    }

    @Test
    void localTransactionCommitsWithTheDefaultModeAndRollsBack() throws Exception {
        ra = adapter(a -> { });
        ra.start(ctx);
        RvmManagedConnection mc = (RvmManagedConnection) mcf().createManagedConnection(null, null);
        RvmConnection c = (RvmConnection) mc.getConnection(null, null);
        Region r = c.region("accounts");
        mc.getLocalTransaction().begin();
        assertTrue(c.inTransaction());
        c.setRange(r, 0, 8);
        r.putLong(0, 10);
        mc.getLocalTransaction().commit();
        mc.getLocalTransaction().begin();
        c.setRange(r, 0, 8);
        r.putLong(0, 20);
        mc.getLocalTransaction().rollback();
        assertEquals(10, r.getLong(0));
        assertThrows(ResourceException.class, () -> mc.getLocalTransaction().commit());
        c.close();
        ra.stop();
        ra.start(ctx);
        assertEquals(10, ra.store().region("accounts").getLong(0));
    }

    @Test
    void connectionWorksInTheXaBranchOfItsManagedConnection() throws Exception {
        ra = adapter(a -> { });
        ra.start(ctx);
        RvmManagedConnection mc = (RvmManagedConnection) mcf().createManagedConnection(null, null);
        RvmConnection c = (RvmConnection) mc.getConnection(null, null);
        XAResource xa = mc.getXAResource();
        Xid x = Xids.xid("mc");
        xa.start(x, XAResource.TMNOFLAGS);
        Region r = c.region("audit");
        c.setRange(r, 0, 8);
        r.putLong(0, 31);
        xa.end(x, XAResource.TMSUCCESS);
        assertFalse(c.inTransaction());
        xa.commit(x, true);
        assertEquals(31, r.getLong(0));
        c.close();
    }

    @Test
    void closingAHandleTellsTheContainerAndCleanupReportsLeakedHandles() throws Exception {
        ra = adapter(a -> { });
        ra.start(ctx);
        RvmManagedConnection mc = (RvmManagedConnection) mcf().createManagedConnection(null, null);
        List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
        mc.addConnectionEventListener(new ConnectionEventListener() {
            @Override
            public void connectionClosed(ConnectionEvent e) {
                events.add(e);
            }

            @Override
            public void localTransactionStarted(ConnectionEvent e) {
            }

            @Override
            public void localTransactionCommitted(ConnectionEvent e) {
            }

            @Override
            public void localTransactionRolledback(ConnectionEvent e) {
            }

            @Override
            public void connectionErrorOccurred(ConnectionEvent e) {
            }
        });
        RvmConnection closed = (RvmConnection) mc.getConnection(null, null);
        closed.close();
        closed.close();
        assertEquals(1, events.size());
        assertSame(closed, events.get(0).getConnectionHandle());

        List<String> logged = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Messages.LOG.addHandler(h);
        try {
            RvmConnection leaked = (RvmConnection) mc.getConnection(null, null);
            mc.cleanup();
            assertTrue(logged.stream().anyMatch(m -> m.startsWith("RVM000105")), logged.toString());
            assertEquals(ErrorCode.ILLEGAL_STATE, assertThrows(RvmException.class, leaked::regionNames).code());
        } finally {
            Messages.LOG.removeHandler(h);
        }
    }

    @Test
    void equalsAndHashCodeFollowTheConfiguration() throws Exception {
        RvmResourceAdapter a = adapter(x -> { });
        RvmResourceAdapter b = adapter(x -> { });
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        b.setLockTimeoutMillis(5L);
        assertNotEquals(a, b);
        RvmManagedConnectionFactory fa = new RvmManagedConnectionFactory();
        RvmManagedConnectionFactory fb = new RvmManagedConnectionFactory();
        fa.setResourceAdapter(a);
        fb.setResourceAdapter(adapter(x -> { }));
        assertEquals(fa, fb);
        assertEquals(fa.hashCode(), fb.hashCode());
        fb.setResourceAdapter(b);
        assertNotEquals(fa, fb);
        assertEquals(TransactionSupportLevel.XATransaction, fa.getTransactionSupport());
    }

    @Test
    void connectionsNeedAStartedAdapter() throws Exception {
        ra = adapter(a -> { });
        RvmManagedConnectionFactory f = mcf();
        assertThrows(ResourceException.class, () -> f.createManagedConnection(null, null));
    }

    @Test
    void statisticsAreExposedThroughIronJacamar() throws Exception {
        ra = adapter(a -> { });
        ra.start(ctx);
        RvmManagedConnectionFactory f = mcf();
        StatisticsPlugin stats = f.getStatistics();
        assertTrue(stats.getNames().containsAll(List.of("Commits", "Aborts", "Prepares", "InDoubt", "Forces",
                "LogUsedBytes", "LogUsePercent", "Truncations")), stats.getNames().toString());
        for (String n : stats.getNames()) {
            // WildFly types an attribute LONG only for the primitive class; Long.class would make it a STRING.
            assertEquals(long.class, stats.getType(n), n);
            assertTrue(stats.getValue(n) instanceof Long, n);
            assertTrue(stats.getDescription(n) != null && !stats.getDescription(n).isEmpty());
        }
        RvmManagedConnection mc = (RvmManagedConnection) f.createManagedConnection(null, null);
        XAResource xa = mc.getXAResource();
        Xid x = Xids.xid("stats");
        xa.start(x, XAResource.TMNOFLAGS);
        ((RvmConnection) mc.getConnection(null, null)).setRange(ra.store().region("accounts"), 0, 8);
        xa.end(x, XAResource.TMSUCCESS);
        xa.prepare(x);
        assertEquals(1L, stats.getValue("Prepares"));
        assertEquals(1L, stats.getValue("InDoubt"));
        xa.commit(x, false);
        assertEquals(1L, stats.getValue("Commits"));
        assertEquals(1L, stats.getValue("CommitsPrepared"));
        assertEquals(0L, stats.getValue("InDoubt"));
        assertTrue((Long) stats.getValue("BytesLogged") > 0);
        assertTrue((Long) stats.getValue("Forces") >= 2);
        stats.clear();
        assertEquals(0L, stats.getValue("Commits"));
    }
}
