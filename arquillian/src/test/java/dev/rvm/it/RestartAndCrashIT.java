package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
 * On the second server (manual mode, port offset {@code rvm.it.crashPortOffset}, 20000 by default), which the test stops, kills and restarts: the ledger
 * survives a clean restart; and after the JVM halts between prepare and commit of a transfer (RVM and the database
 * prepared, the transaction manager's log saying commit), WildFly's recovery commits both branches after the
 * restart and nothing is left in doubt — within 30 s, with WildFly's default recovery settings, as the adapter asks
 * the transaction manager for a recovery scan when it starts with a branch in doubt. Deployments made through Arquillian are kept in standalone.xml, so they
 * come back with the server.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RestartAndCrashIT {
    private static final String SERVER = "crash";
    /** Well under WildFly's default periodic recovery period (120 s), which the server runs with. */
    private static final long RECOVERY_WAIT_MILLIS = 30_000;

    private final LedgerClient client = new LedgerClient(8080 + Ports.CRASH_OFFSET);

    @ArquillianResource
    private ContainerController controller;

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "crash-rar", order = 1, managed = false, testable = false)
    @TargetsContainer(SERVER)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "crash-ear", order = 2, managed = false, testable = false)
    @TargetsContainer(SERVER)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Deployment(name = "crash-probe", order = 3, managed = false, testable = false)
    @TargetsContainer(SERVER)
    static WebArchive probe() {
        return Deployments.probe();
    }

    @Test
    void ledgerSurvivesCleanRestartAndRecoveryCommitsBothBranchesAfterCrash() throws Exception {
        controller.start(SERVER);
        try {
            deployer.deploy("crash-rar");
            deployer.deploy("crash-ear");
            deployer.deploy("crash-probe");
            HttpResponse<String> r = client.transfer("bob", "carol", 11, "before restart", "ejb");
            assertEquals(200, r.statusCode(), r.body());
            Map<String, Long> balances = client.balances();
            LedgerClient.Audit audit = client.audit();

            // clean restart
            controller.stop(SERVER);
            controller.start(SERVER);
            assertEquals(balances, client.balances());
            assertEquals(audit, client.audit());
            client.assertConsistent();

            // crash between prepare and commit
            try {
                HttpResponse<String> halted = client.probe("halt-in-commit");
                fail("the server answered instead of halting: " + halted.statusCode() + " " + halted.body());
            } catch (IOException expected) {
                // the JVM is gone
            }
            awaitProcessGone();
            controller.kill(SERVER); // the process is gone already; this resets Arquillian's view of it
            controller.start(SERVER);

            Map<String, Long> stats = awaitRecovery();
            assertEquals(1, stats.get("commitsPrepared"), "recovery committed the RVM branch " + stats);
            assertEquals(0, client.databaseInDoubt(), "the database holds no prepared transaction");
            Map<String, Long> now = client.balances();
            assertEquals(balances.get("alice") - 7, now.get("alice"), now.toString());
            assertEquals(balances.get("bob") + 7, now.get("bob"), now.toString());
            assertEquals(audit.rows() + 1, client.audit().rows(), "recovery committed the audit row");
            client.assertConsistent();

            String log = Files.readString(Path.of(System.getProperty("wildfly.crash.home"),
                    "standalone/log/server.log"));
            assertFalse(log.contains("IJ020016"), "IronJacamar disabled recovery of the adapter (IJ020016)");

            deployer.undeploy("crash-probe");
            deployer.undeploy("crash-ear");
            deployer.undeploy("crash-rar");
        } finally {
            controller.stop(SERVER);
        }
    }

    /**
     * Waits until the halted server's management port refuses connections, then a little longer: if Arquillian
     * still sees the process alive it tries a management shutdown, which fails on the closed channel.
     */
    private static void awaitProcessGone() throws InterruptedException {
        long start = System.currentTimeMillis();
        while (System.currentTimeMillis() - start < 60_000) {
            try {
                new Socket("127.0.0.1", 9990 + Ports.CRASH_OFFSET).close();
                Thread.sleep(200);
            } catch (IOException refused) {
                Thread.sleep(1000);
                return;
            }
        }
        fail("the halted server still accepts management connections");
    }

    /** Polls until the store reports a prepared branch committed and none in doubt. */
    private Map<String, Long> awaitRecovery() throws Exception {
        long start = System.currentTimeMillis();
        Map<String, Long> stats = Map.of();
        long dbInDoubt = -1;
        boolean first = true;
        while (System.currentTimeMillis() - start < RECOVERY_WAIT_MILLIS) {
            try {
                stats = client.stats();
                dbInDoubt = client.databaseInDoubt();
                if (first) {
                    // Usually recovery has not run yet: both branches in doubt, which shows where the crash hit.
                    System.out.println("first look after restart: RVM in doubt " + stats.get("inDoubt")
                            + ", database in doubt " + dbInDoubt);
                    first = false;
                }
                if (stats.get("inDoubt") == 0 && stats.get("commitsPrepared") >= 1 && dbInDoubt == 0) {
                    System.out.println("recovered after " + (System.currentTimeMillis() - start) + " ms: " + stats);
                    return stats;
                }
            } catch (IOException | AssertionError notYet) {
                // the application may not be up yet
            }
            Thread.sleep(500);
        }
        return fail("no recovery within " + RECOVERY_WAIT_MILLIS + " ms: " + stats + ", database in doubt " + dbInDoubt);
    }
}
