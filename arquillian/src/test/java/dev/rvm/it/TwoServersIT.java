package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One JTA transaction across RVM on two WildFly servers (A at port offset {@code rvm.it.aPortOffset}, B at
 * {@code rvm.it.bPortOffset}), the example's two-server EAR on both: A's ledger debits A's RVM, writes A's audit row
 * and calls B's {@code RemoteLedgerBean} ({@code MANDATORY}) over EJB remoting, which credits B's RVM and writes B's
 * audit row in the propagated transaction. Commits from both entry points (EJB and CDI) and both ways (A to B, B to
 * A) show on both servers; each way of rolling back, both ways — the sender marks rollback-only, the receiver's
 * bean throws, the receiver's range lock times out — leaves nothing on either; after each, nothing is in doubt on
 * either server.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TwoServersIT {
    /** Generous: nothing is left to recover after these transfers, so the first scans find nothing. */
    private static final long IN_DOUBT_BOUND_MILLIS = 30_000;

    private final LedgerClient a = TwoServers.A.client();
    private final LedgerClient b = TwoServers.B.client();

    @ArquillianResource
    private ContainerController controller;

    @BeforeEach
    void servers() throws Exception {
        TwoServers.start(controller);
    }

    @Test
    void transfersCommitOnBothServersFromEjbAndCdiAndBothWays() throws Exception {
        Map<String, Long> before = TwoServers.balances();
        long auditA = a.audit().rows();
        long auditB = b.audit().rows();

        assertOk(a.peerTransfer("alice", "bob", 5, "to B via ejb", "ejb"));
        assertOk(a.peerTransfer("alice", "bob", 7, "to B via cdi", "cdi"));
        assertOk(b.peerTransfer("carol", "dave", 3, "to A via ejb", "ejb"));

        Map<String, Long> after = TwoServers.balances();
        assertEquals(before.get("alice@rvm-a") - 12, after.get("alice@rvm-a"), after.toString());
        assertEquals(before.get("bob@rvm-b") + 12, after.get("bob@rvm-b"), after.toString());
        assertEquals(before.get("carol@rvm-b") - 3, after.get("carol@rvm-b"), after.toString());
        assertEquals(before.get("dave@rvm-a") + 3, after.get("dave@rvm-a"), after.toString());
        assertEquals(auditA + 3, a.audit().rows(), "A's audit rows: two sent, one received");
        assertEquals(auditB + 3, b.audit().rows(), "B's audit rows: two received, one sent");
        TwoServers.assertConsistent();

        String servers = a.get("rvm-ledger/api/servers").body();
        assertTrue(servers.contains("\"node\":\"rvm-a\"") && servers.contains("\"node\":\"rvm-b\"")
                && servers.contains("\"local\":false"), servers);
        assertNothingInDoubt();
    }

    @Test
    void overdraftOnTheSenderMarksRollbackOnlyAndNeitherServerKeepsAnything() throws Exception {
        assertRolledBack(() -> a.peerTransfer("erin", "frank", 1_000_000, "overdraft", "ejb"), 409);
        assertRolledBack(() -> a.peerTransfer("erin", "frank", 1_000_000, "overdraft", "cdi"), 409);
        assertRolledBack(() -> b.peerTransfer("erin", "frank", 1_000_000, "overdraft on B", "ejb"), 409);
    }

    @Test
    void unknownAccountOnTheReceiverThrowsThereAndNeitherServerKeepsAnything() throws Exception {
        assertRolledBack(() -> a.peerTransfer("grace", "nobody", 9, "unknown on B", "ejb"), 404);
        assertRolledBack(() -> a.peerTransfer("grace", "nobody", 9, "unknown on B", "cdi"), 404);
        assertRolledBack(() -> b.peerTransfer("grace", "nobody", 9, "unknown on A", "ejb"), 404);
    }

    @Test
    void lockTimeoutOnTheReceiverRollsBackBothServersAndTheRangeIsLockableAfterwards() throws Exception {
        lockTimeoutOnTheReceiver(a, b, "to B");
        lockTimeoutOnTheReceiver(b, a, "to A");
    }

    /**
     * {@code receiver}'s heidi is locked for longer than the adapter's lock timeout (10 s), in a transaction of the
     * receiver's own, while {@code sender} transfers to it: the credit times out on the receiver, both servers roll
     * back; once the lock is released, the same transfer commits.
     */
    private void lockTimeoutOnTheReceiver(LedgerClient sender, LedgerClient receiver, String way) throws Exception {
        Map<String, Long> before = TwoServers.balances();
        long auditA = a.audit().rows();
        long auditB = b.audit().rows();
        CompletableFuture<HttpResponse<String>> hold = CompletableFuture.supplyAsync(() -> {
            try {
                return receiver.twoProbe("hold", "account=heidi&millis=15000");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1000);
        HttpResponse<String> r = sender.peerTransfer("heidi", "heidi", 4, "lock times out " + way, "ejb");
        assertEquals(503, r.statusCode(), way + ": " + r.body());
        assertEquals(200, hold.get().statusCode(), hold.get().body());
        assertEquals(before, TwoServers.balances());
        assertEquals(auditA, a.audit().rows());
        assertEquals(auditB, b.audit().rows());
        assertOk(sender.peerTransfer("heidi", "heidi", 4, "after the lock timeout " + way, "ejb"));
        TwoServers.assertConsistent();
        assertNothingInDoubt();
    }

    private void assertRolledBack(Callable<HttpResponse<String>> transfer, int status) throws Exception {
        Map<String, Long> before = TwoServers.balances();
        long auditA = a.audit().rows();
        long auditB = b.audit().rows();
        HttpResponse<String> r = transfer.call();
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(before, TwoServers.balances());
        assertEquals(auditA, a.audit().rows());
        assertEquals(auditB, b.audit().rows());
        TwoServers.assertConsistent();
        assertNothingInDoubt();
    }

    private static void assertOk(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
    }

    private static void assertNothingInDoubt() throws Exception {
        System.out.println("nothing in doubt (ms): " + TwoServers.awaitNothingInDoubt(IN_DOUBT_BOUND_MILLIS));
    }
}
