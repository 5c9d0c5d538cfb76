package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A transfer from A's ledger to B's, with one of the two servers SIGKILLed at each point of the propagated
 * transaction that the two-server probe can pick (the probe blocks the transaction there and writes a marker; the
 * test then kills the JVM from outside), then restarted on its kept data directory. Afterwards RVM on A and on B and both audit trails show the whole transfer or none of it —
 * the outcome the protocol dictates at that point — nothing is in doubt on either server within
 * {@link #IN_DOUBT_BOUND_MILLIS} (recovery scans asked for through the recovery listener, as WildFly's
 * {@code TransactionPropagationFailureTestCase} does with its {@code RecoveryExecutor}), no participant is
 * heuristic, A's {@code ejb-xa-recovery} is empty, and the accounts of both sides can be locked again within
 * {@link #LOCK_BOUND_MILLIS}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TwoServersCrashIT {
    /**
     * Nothing in doubt on either server within this after the restart: one periodic recovery pass (120 s). Measured
     * up to 26 s here and 54 s in the chaos test (docs/TWO-SERVERS.md).
     */
    static final long IN_DOUBT_BOUND_MILLIS = 120_000;
    /** B's imported transaction keeps its locks until its timeout: the 60 s default-timeout two-servers.cli sets. */
    static final long LOCK_BOUND_MILLIS = 90_000;

    /** Where the probe blocks a server for the SIGKILL, which one, and whether the transfer must survive. */
    enum Point {
        A_BEFORE_PREPARE(TwoServers.A, false),
        A_AFTER_B_PREPARED(TwoServers.A, false),
        A_AFTER_LOG(TwoServers.A, true),
        B_IN_CALL(TwoServers.B, false),
        B_AFTER_RVM_PREPARED(TwoServers.B, false),
        B_BEFORE_COMMIT(TwoServers.B, true);

        final TwoServers.Server killed;
        final boolean commits;

        Point(TwoServers.Server killed, boolean commits) {
            this.killed = killed;
            this.commits = commits;
        }
    }

    private final LedgerClient a = TwoServers.A.client();
    private final LedgerClient b = TwoServers.B.client();

    @ArquillianResource
    private ContainerController controller;

    @BeforeEach
    void servers() throws Exception {
        TwoServers.start(controller);
    }

    @Test
    void aKilledBeforePrepareRollsBackOnBoth() throws Exception {
        killAndRecover(Point.A_BEFORE_PREPARE);
    }

    @Test
    void aKilledAfterBPreparedBeforeItsLogRecordRollsBackOnBoth() throws Exception {
        killAndRecover(Point.A_AFTER_B_PREPARED);
    }

    @Test
    void aKilledAfterItsLogRecordBeforeCommitCommitsOnBoth() throws Exception {
        killAndRecover(Point.A_AFTER_LOG);
    }

    @Test
    void bKilledDuringTheCallRollsBackOnBoth() throws Exception {
        killAndRecover(Point.B_IN_CALL);
    }

    @Test
    void bKilledAfterItsRvmBranchPreparedBeforeItsSubordinateRecordRollsBackOnBoth() throws Exception {
        killAndRecover(Point.B_AFTER_RVM_PREPARED);
    }

    @Test
    void bKilledBetweenPrepareAndCommitCommitsOnBoth() throws Exception {
        killAndRecover(Point.B_BEFORE_COMMIT);
    }

    private void killAndRecover(Point point) throws Exception {
        TwoServers.awaitNothingInDoubt(IN_DOUBT_BOUND_MILLIS);
        Map<String, Long> before = TwoServers.balances();
        long auditA = a.audit().rows();
        long auditB = b.audit().rows();
        long logA = Files.size(TwoServers.A.log());
        long logB = Files.size(TwoServers.B.log());
        for (TwoServers.Server s : List.of(TwoServers.A, TwoServers.B)) {
            Files.deleteIfExists(s.blockMarker());
        }

        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            try {
                HttpResponse<String> r = a.twoProbe("block", "at=" + point + "&from=alice&to=bob&amount=6");
                return r.statusCode() + " " + r.body().lines().limit(3).collect(Collectors.joining(" | "));
            } catch (IOException e) {
                return "no answer: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        });
        String blockedIn = awaitBlocked(point, answer);
        TwoServers.sigkill(point.killed);
        long killed = System.currentTimeMillis();
        String answered = answer.get(120, TimeUnit.SECONDS);
        System.out.println(point + ": " + point.killed.node() + " blocked in " + blockedIn + ", SIGKILLed; A answered "
                + answered);
        if (point.killed == TwoServers.B && answered.startsWith("200 ")) {
            assertTrue(point.commits, point + ": A acknowledged a transfer that must roll back: " + answered);
        }
        if (point == Point.A_AFTER_LOG) {
            warnsAtStartWhenThePeerSeemsMoved();
            TwoServers.sigkill(TwoServers.A);
            killed = System.currentTimeMillis();
        }
        TwoServers.restart(controller, point.killed);
        long restarted = System.currentTimeMillis();
        String firstLook = "A: " + TwoServers.A.inDoubt() + "; B: " + TwoServers.B.inDoubt();

        Map<String, Long> inDoubtMillis = TwoServers.awaitNothingInDoubt(IN_DOUBT_BOUND_MILLIS);
        long readableMillis = TwoServers.awaitReadable(LOCK_BOUND_MILLIS);
        Map<String, Long> after = TwoServers.balances();
        long moved = point.commits ? 6 : 0;
        assertEquals(before.get("alice@rvm-a") - moved, after.get("alice@rvm-a"), point + " " + after);
        assertEquals(before.get("bob@rvm-b") + moved, after.get("bob@rvm-b"), point + " " + after);
        assertEquals(auditA + moved / 6, a.audit().rows(), point + ": A's audit rows");
        assertEquals(auditB + moved / 6, b.audit().rows(), point + ": B's audit rows");
        TwoServers.assertConsistent();
        assertEquals(List.of(), TwoServers.A.ejbXaRecovery(), "A's ejb-xa-recovery");
        assertNoHeuristic(point, logA, logB);

        long lockMillis = awaitLockable();
        // The transfers that showed the accounts lockable ran beside the recovery scans still under way: they too
        // must leave nothing in doubt and no heuristic outcome, checked here so that a failure names this point.
        TwoServers.awaitNothingInDoubt(IN_DOUBT_BOUND_MILLIS);
        assertNoHeuristic(point, logA, logB);
        System.out.println(point + ": restarted " + (restarted - killed) + " ms after the SIGKILL; nothing in doubt "
                + inDoubtMillis + " ms after the restart (in doubt on the first look: " + firstLook
                + "); balances readable " + readableMillis + " ms and both accounts lockable " + lockMillis
                + " ms after that; transfer " + (point.commits ? "committed" : "rolled back") + " on both");
    }

    /**
     * A was killed holding WildFly's transaction-client recovery file for the transfer, which names B's address. A is
     * started once with its binding rvm-ledger-peer pointing elsewhere (as if B had moved and the operator followed
     * it): the example's start-up check must warn (LEDGER001) naming that file and the address in it, since recovery
     * asks only that address. The binding is then put back; the caller kills A again and restarts it as usual.
     */
    private void warnsAtStartWhenThePeerSeemsMoved() throws Exception {
        List<String> files = TwoServers.A.ejbXaRecovery();
        assertFalse(files.isEmpty(), "A was killed after its log record: its ejb-xa-recovery holds the transfer's file");
        Path config = TwoServers.A.home().resolve("standalone/configuration/standalone.xml");
        String xml = Files.readString(config);
        Matcher m = Pattern.compile("(<outbound-socket-binding name=\"rvm-ledger-peer\">\\s*"
                + "<remote-destination host=\"[^\"]*\" port=\")(\\d+)(\")").matcher(xml);
        assertTrue(m.find(), "A's binding rvm-ledger-peer in " + config);
        int port = Integer.parseInt(m.group(2));
        Files.writeString(config, xml.substring(0, m.start()) + m.group(1) + (port + 1) + m.group(3)
                + xml.substring(m.end()));
        try {
            TwoServers.restart(controller, TwoServers.A);
            String warned = TwoServers.A.logLines(l -> l.contains("LEDGER001"), 5);
            for (String f : files) {
                assertTrue(warned.contains(f) && warned.contains(":" + port), "A warns of " + f + " naming port " + port
                        + " (its binding now says " + (port + 1) + "): " + warned);
            }
            System.out.println("A_AFTER_LOG: with its binding moved to port " + (port + 1) + ", A warned: " + warned);
        } finally {
            Files.writeString(config, xml);
        }
    }

    /** Neither server's log has a heuristic outcome since it was {@code logA} and {@code logB} bytes long. */
    private static void assertNoHeuristic(Point point, long logA, long logB) throws IOException {
        for (TwoServers.Server s : List.of(TwoServers.A, TwoServers.B)) {
            String log = Files.readString(s.log());
            String since = log.substring((int) Math.min(s == TwoServers.A ? logA : logB, log.length()));
            assertFalse(since.contains("Heuristic") || since.contains("HEURISTIC"),
                    point + ": a heuristic outcome in the log of " + s.node() + ":\n" + s.transactionWarnings(12));
        }
    }

    /**
     * Waits up to 60 s for the probe to block at {@code point} on the server to be killed; returns what it blocks in.
     * Fails if the transaction ends first: then the point was not reached.
     */
    private static String awaitBlocked(Point point, CompletableFuture<String> answer) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(point.killed.blockMarker())) {
                return Files.readString(point.killed.blockMarker());
            }
            if (answer.isDone()) {
                return fail(point + ": the transaction ended without blocking at the point: " + answer.get());
            }
            Thread.sleep(20);
        }
        return fail(point + ": " + point.killed.node() + " did not block within 60 s");
    }

    /**
     * Waits until a transfer on A touching alice and one on B touching bob both commit (each back and forth, so
     * balances end as they were); returns how long it took.
     */
    private long awaitLockable() throws Exception {
        long start = System.currentTimeMillis();
        String last = "";
        while (System.currentTimeMillis() - start < LOCK_BOUND_MILLIS) {
            HttpResponse<String> ra = a.transfer("alice", "carol", 1, "lockable?", "ejb");
            HttpResponse<String> rb = b.transfer("bob", "carol", 1, "lockable?", "ejb");
            if (ra.statusCode() == 200) {
                assertEquals(200, a.transfer("carol", "alice", 1, "lockable!", "ejb").statusCode());
            }
            if (rb.statusCode() == 200) {
                assertEquals(200, b.transfer("carol", "bob", 1, "lockable!", "ejb").statusCode());
            }
            if (ra.statusCode() == 200 && rb.statusCode() == 200) {
                TwoServers.assertConsistent();
                return System.currentTimeMillis() - start;
            }
            last = "A " + ra.statusCode() + " " + ra.body() + "; B " + rb.statusCode() + " " + rb.body();
            Thread.sleep(500);
        }
        return fail("accounts not lockable within " + LOCK_BOUND_MILLIS + " ms: " + last);
    }
}
