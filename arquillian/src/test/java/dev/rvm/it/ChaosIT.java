package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kill -9 under load, again and again, on a third server (port offset {@code rvm.it.chaosPortOffset}, 12000 by
 * default) that runs with WildFly's <em>default</em> recovery settings (periodic recovery every 120 s, backoff
 * 10 s, orphan safety interval 20 s). Each cycle: client threads post transfers through the EJB and the CDI path;
 * after a random time the server's JVM gets SIGKILL; it is restarted (one restart in three is itself killed at a
 * random moment of its boot, then restarted again). Then the application must be deployed, the RVM
 * branches in doubt must be resolved within {@code rvm.it.chaos.inDoubtTargetMillis} (10 s) of the end of boot,
 * and then money is conserved, every balance is its opening balance plus the audit trail's net movement, and every
 * transfer the server acknowledged as committed is in the audit trail. The database's own orphans are counted and
 * left to Narayana (see {@link #awaitRecovery}).
 *
 * <p>Properties: {@code rvm.it.chaos.cycles} (10), {@code rvm.it.chaos.clients} (6), {@code rvm.it.chaos.seed}
 * (random; printed, so a failing run can be repeated).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ChaosIT {
    private static final String SERVER = "chaos";
    private static final int CYCLES = Integer.getInteger("rvm.it.chaos.cycles", 10);
    private static final int CLIENTS = Integer.getInteger("rvm.it.chaos.clients", 6);
    /**
     * How long after the end of boot RVM may still hold a branch in doubt (the target). An orphan (no decision
     * logged) is rolled back as the adapter starts; a branch the transaction manager decided is resolved by the
     * second pass of the scan the adapter asks for, about 7 s after boot here.
     */
    private static final long TARGET_MILLIS = Long.getLong("rvm.it.chaos.inDoubtTargetMillis", 10_000);
    /**
     * How long after the end of boot the ledger may take to be consistent (the target too, by default): until the
     * database's branches of transactions the manager decided are committed — by the boot's own recovery cycle, whose
     * second pass comes one backoff period (10 s) after a first pass that runs early in the boot, or by the scans the
     * adapter asks for when RVM had branches in doubt. A 150 s bound once hid what was H2's: a pooled session went on
     * reading the audit trail without a row that recovery had committed (see AuditTrailAfterCrashTest).
     */
    private static final long CONSISTENT_MILLIS = Long.getLong("rvm.it.chaos.consistentTargetMillis", TARGET_MILLIS);
    /**
     * One restart in this many is itself killed during its boot, 1–9 s after its process appeared: a boot here logs
     * its start after about 1 s, opens RVM's store (replay, early rollback) after about 5 s, has the application
     * deployed after 7–8 s.
     */
    private static final int BOOT_KILL_EVERY = 3;
    private static final int BOOT_KILL_MIN_MILLIS = 1_000;
    private static final int BOOT_KILL_MAX_MILLIS = 9_000;
    private static final long MIN_LOAD_MILLIS = 300;
    private static final long MAX_LOAD_MILLIS = 6_000;

    private static final LedgerClient CLIENT = new LedgerClient(8080 + Ports.CHAOS_OFFSET);
    /** Transfers of the last cycle sent and not answered (their outcome is unknown), for a failure's message. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    @ArquillianResource
    private ContainerController controller;

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "chaos-rar", order = 1, managed = false, testable = false)
    @TargetsContainer(SERVER)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "chaos-ear", order = 2, managed = false, testable = false)
    @TargetsContainer(SERVER)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Deployment(name = "chaos-probe", order = 3, managed = false, testable = false)
    @TargetsContainer(SERVER)
    static WebArchive probe() {
        return Deployments.probe();
    }

    @Test
    void afterEveryKillTheLedgerDeploysResolvesItsBranchesPromptlyAndLosesNothingAcknowledged() throws Exception {
        long seed = Long.getLong("rvm.it.chaos.seed", System.nanoTime());
        Random rnd = new Random(seed);
        System.out.println("chaos: seed " + seed + ", " + CYCLES + " cycles, " + CLIENTS + " clients, target "
                + TARGET_MILLIS + " ms");
        Set<String> acknowledged = new HashSet<>();
        long worstRvm = 0;
        long worstDatabase = 0;
        int cyclesWithBranchesInDoubt = 0;
        long databaseOrphansLeft = 0;
        long worstConsistent = 0;
        List<String> bootKills = new ArrayList<>();
        controller.start(SERVER);
        try {
            deployer.deploy("chaos-rar");
            deployer.deploy("chaos-ear");
            deployer.deploy("chaos-probe");
            CLIENT.assertConsistent();
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                long loadMillis = MIN_LOAD_MILLIS + (long) (rnd.nextDouble() * (MAX_LOAD_MILLIS - MIN_LOAD_MILLIS));
                inFlight.clear();
                List<String> acked = loadThenKill(cycle, loadMillis, rnd.nextLong());
                acknowledged.addAll(acked);

                controller.kill(SERVER); // the process is gone already; this resets Arquillian's view of it
                String bootKill = "";
                if (rnd.nextInt(BOOT_KILL_EVERY) == 0) {
                    String when = killDuringBoot(cycle, BOOT_KILL_MIN_MILLIS
                            + rnd.nextInt(BOOT_KILL_MAX_MILLIS - BOOT_KILL_MIN_MILLIS));
                    bootKills.add("cycle " + cycle + " " + when);
                    bootKill = "; restart killed during boot " + when;
                }
                controller.start(SERVER);
                long bootEnd = System.nanoTime();
                assertDeployed(cycle);
                Recovery r = awaitRecovery(bootEnd);
                if (r.firstRvm() > 0 || r.firstDatabase() > 0) {
                    cyclesWithBranchesInDoubt++;
                }
                worstRvm = Math.max(worstRvm, r.rvmMillis());
                worstDatabase = Math.max(worstDatabase, r.databaseMillis());
                databaseOrphansLeft = Math.max(databaseOrphansLeft, r.databaseLeft());
                worstConsistent = Math.max(worstConsistent, r.consistentMillis());
                System.out.printf("chaos: cycle %d: killed after %d ms of load, %d transfers acknowledged%s; after boot"
                                + " %d RVM and %d database branches in doubt; RVM at 0 after %d ms; ledger consistent after"
                                + " %d ms; database %s%n",
                        cycle, loadMillis, acked.size(), bootKill, r.firstRvm(), r.firstDatabase(), r.rvmMillis(),
                        r.consistentMillis(),
                        r.databaseLeft() == 0 ? "at 0 after " + r.databaseMillis() + " ms"
                                : r.databaseLeft() + " orphan(s) left to Narayana's periodic recovery");
                assertTrue(r.rvmMillis() <= TARGET_MILLIS, "cycle " + cycle + ": RVM branches in doubt for "
                        + r.rvmMillis() + " ms after boot, target " + TARGET_MILLIS + " ms; " + ChaosServer.logErrors());

                Set<String> memos = auditMemos();
                List<String> missing = acknowledged.stream().filter(m -> !memos.contains(m)).sorted()
                        .collect(Collectors.toList());
                assertEquals(List.of(), missing, "cycle " + cycle + ": transfers acknowledged as committed but"
                        + " missing from the audit trail");
                try {
                    CLIENT.assertConsistent();
                } catch (AssertionError e) {
                    throw new AssertionError("cycle " + cycle + " (seed " + seed + "): not consistent "
                            + r.consistentMillis() + " ms after boot (bound " + CONSISTENT_MILLIS + " ms): "
                            + e.getMessage()
                            + "\nin flight at the kill (no answer): " + inFlight + "\naudit tail:\n"
                            + CLIENT.probeGet("audit-tail") + "\n" + ChaosServer.recoveryLog()
                            + "\nthe stores as the kill left them: " + ChaosServer.storesKept(cycle), e);
                }
            }
            System.out.printf("chaos: %d cycles, %d acknowledged transfers checked, %d cycles with branches in doubt"
                            + " after boot, worst time to 0 in doubt: RVM %d ms (target %d ms), database %d ms (at most %d"
                            + " database orphan(s) at once left to Narayana's periodic recovery); ledger consistent at"
                            + " worst %d ms after boot%n",
                    CYCLES, acknowledged.size(), cyclesWithBranchesInDoubt, worstRvm, TARGET_MILLIS, worstDatabase,
                    databaseOrphansLeft, worstConsistent);
            System.out.printf("chaos: %d restarts killed during boot: %s%n", bootKills.size(), bootKills);
        } finally {
            controller.stop(SERVER);
        }
    }

    /**
     * Runs {@link #CLIENTS} threads of transfers, half through the session bean and half through the CDI bean, kills
     * the server with SIGKILL after {@code loadMillis}, and returns the memos of the transfers answered 200
     * (committed). Requests in flight when the server dies have no answer: their outcome is unknown and not checked.
     */
    private List<String> loadThenKill(int cycle, long loadMillis, long seed) throws Exception {
        List<String> accounts = new ArrayList<>(CLIENT.balances().keySet());
        ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            int thread = t;
            Random rnd = new Random(seed + t);
            Thread th = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    int a = rnd.nextInt(accounts.size());
                    int b = (a + 1 + rnd.nextInt(accounts.size() - 1)) % accounts.size();
                    String memo = "chaos-" + cycle + "-" + thread + "-" + i;
                    int amount = 1 + rnd.nextInt(100);
                    String sent = memo + " " + accounts.get(a) + "->" + accounts.get(b) + " " + amount;
                    inFlight.add(sent);
                    try {
                        HttpResponse<String> r = CLIENT.transfer(accounts.get(a), accounts.get(b),
                                amount, memo, thread % 2 == 0 ? "ejb" : "cdi");
                        inFlight.remove(sent);
                        if (r.statusCode() == 200) {
                            acked.add(memo);
                        } else if (r.statusCode() != 409 && !stop.get()) {
                            unexpected.add(r.statusCode() + " " + r.body());
                        }
                    } catch (IOException e) {
                        return; // the server is gone
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "chaos-client-" + t);
            threads.add(th);
            th.start();
        }
        Thread.sleep(loadMillis);
        ProcessHandle server = ChaosServer.process();
        stop.set(true);
        server.destroyForcibly(); // SIGKILL
        server.onExit().get(60, TimeUnit.SECONDS);
        ChaosServer.keepStores(cycle);
        for (Thread th : threads) {
            th.join(120_000);
        }
        assertTrue(unexpected.isEmpty(), "cycle " + cycle + ": answers other than committed or rejected: "
                + unexpected.stream().limit(5).collect(Collectors.toList()));
        return new ArrayList<>(acked);
    }

    /**
     * Restarts the server and kills it again with SIGKILL {@code delayMillis} after its process appeared: during its
     * boot, while RVM replays its log, rolls back orphans or Narayana's first pass runs, or while the application
     * deploys — or, if the boot was quicker, just after it. Says when the kill came and where it fell in the boot,
     * read off the server log.
     */
    private String killDuringBoot(int cycle, int delayMillis) throws Exception {
        long logAt = ChaosServer.logSize();
        AtomicBoolean killed = new AtomicBoolean();
        Thread killer = new Thread(() -> {
            try {
                ProcessHandle server = ChaosServer.awaitProcess();
                Thread.sleep(delayMillis);
                server.destroyForcibly();
                server.onExit().get(60, TimeUnit.SECONDS);
                killed.set(true);
            } catch (Exception e) {
                throw new IllegalStateException("cycle " + cycle + ": no server to kill during boot", e);
            }
        }, "chaos-boot-killer");
        killer.start();
        try {
            controller.start(SERVER);
        } catch (Exception killedFirst) { // Arquillian's LifecycleException, thrown unchecked: expected
            // the boot did not complete
        }
        killer.join(120_000);
        assertTrue(killed.get(), "cycle " + cycle + ": the server was not killed during its boot");
        controller.kill(SERVER);
        String boot = ChaosServer.logFrom(logAt);
        String where = boot.contains("WFLYSRV0025") ? "after boot" : boot.contains("WFLYSRV0010: Deployed \"rvm-ledger")
                ? "after the EAR deployed" : boot.contains("RVM000100") ? "after RVM opened its store"
                : "before RVM opened its store";
        return "at " + delayMillis + " ms (" + where + ")";
    }

    private void assertDeployed(int cycle) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.get("rvm-ledger/api/stats");
        if (r.statusCode() != 200) {
            fail("cycle " + cycle + ": the application is not deployed after the restart (GET stats answered "
                    + r.statusCode() + "); " + ChaosServer.logErrors());
        }
    }

    /**
     * What the restart found and how long it took: branches in doubt at the first look, the time RVM's reached 0,
     * and the database's (-1: still in doubt when the ledger was checked), and when the ledger was found consistent.
     */
    private record Recovery(long firstRvm, long firstDatabase, long rvmMillis, long databaseMillis, long databaseLeft,
                            long consistentMillis) {
    }

    /**
     * Polls until RVM holds no branch in doubt (giving up past the target), then until the database holds none or
     * the ledger is consistent, whichever comes first, giving up {@link #CONSISTENT_MILLIS} after boot. A database
     * branch whose transaction the manager decided is committed by the same recovery pass that commits RVM's; one the
     * manager has no record of (an orphan, which changed no balance) Narayana rolls back only once it has seen it
     * for its orphan safety interval, 20 s, at its periodic recovery, every 2 minutes: that is reported, not
     * waited for — it is not RVM's to resolve and hides nothing from the checks that follow.
     */
    private Recovery awaitRecovery(long bootEnd) throws Exception {
        long firstRvm = -1;
        long firstDb = -1;
        long rvmAt = -1;
        while (true) {
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - bootEnd);
            long rvm = CLIENT.stats().get("inDoubt");
            long db = CLIENT.databaseInDoubt();
            if (firstRvm < 0) {
                firstRvm = rvm;
                firstDb = db;
            }
            if (rvm == 0 && rvmAt < 0) {
                rvmAt = elapsed;
            }
            if (rvmAt >= 0 && db == 0) {
                return new Recovery(firstRvm, firstDb, rvmAt, elapsed, 0, elapsed);
            }
            if (rvmAt < 0 && elapsed > TARGET_MILLIS) {
                return new Recovery(firstRvm, firstDb, elapsed, -1, db, elapsed);
            }
            if (rvmAt >= 0 && (elapsed > CONSISTENT_MILLIS || consistent())) {
                return new Recovery(firstRvm, firstDb, rvmAt, -1, db, elapsed);
            }
            Thread.sleep(100);
        }
    }

    private boolean consistent() throws IOException, InterruptedException {
        try {
            CLIENT.assertConsistent();
            return true;
        } catch (AssertionError notYet) {
            return false;
        }
    }

    private static Set<String> auditMemos() throws IOException, InterruptedException {
        return new HashSet<>(List.of(CLIENT.probeGet("audit-memos").split("\n")));
    }

}
