package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.it.probe.AdapterProbeServlet;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.dmr.ModelNode;
import org.jboss.dmr.ModelType;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The adapter activated in the resource-adapters subsystem by the shipped {@code rvm-ra/src/main/wildfly/rvm-ra.cli}
 * (run unchanged by the server's own {@code jboss-cli.sh}): its statistics are a real resource at the address
 * rvm-ra/README.md gives, where {@code read-resource} answers every statistic typed {@code LONG}, equal to the store's
 * and moving with transactions on that adapter.
 *
 * <p>Beside it, {@code rvm-ra.rar} is activated by its own ironjacamar.xml too, as the example uses it: the script's
 * activation is a second one of the same archive, bound at {@code java:/eis/rvm-sub} on store {@code rvm-sub} through
 * the script's expressions (set as server system properties), and the example keeps working on its own store.
 */
@ServerSetup(SubsystemStatisticsIT.ShippedScript.class)
class SubsystemStatisticsIT extends DeployedLedger {
    static final String DOCUMENTED_ADDRESS =
            "/subsystem=resource-adapters/resource-adapter=rvm/connection-definitions=RvmPool/statistics=extended";
    static final String JNDI = "java:/eis/rvm-sub";
    static final String PROBE = "rvm-adapter-probe";
    static final String SCRIPT = "rvm-ra/src/main/wildfly/rvm-ra.cli";
    /** The statistics rvm-ra/README.md lists. */
    static final Set<String> STATISTICS = new TreeSet<>(List.of("Commits", "CommitsFlush", "CommitsNoFlush",
            "CommitsPrepared", "RollbacksPrepared", "Aborts", "Prepares", "ReadOnlyPrepares", "InDoubt",
            "OldestInDoubtMillis", "OldestUnforcedCommitMillis", "Forces", "RecordsWritten", "BytesLogged",
            "BytesSavedIntra", "BytesSavedInter", "LogUsedBytes", "LogCapacityBytes", "LogUsePercent", "Truncations", "TruncationMillisTotal",
            "LastTruncationMillis", "LockWaits", "LockTimeouts", "Deadlocks", "LastRecoveryMillis",
            "LastRecoveryBytes", "ReplicaRole", "ReplicaTerm", "ReplicaAppliedIndex", "ReplicaCommitIndex",
            "ReplicaFollowerLagMax", "ReplicaMembersBehind", "ReplicaFollowerSilenceMillisMax"));
    private static final int TRANSACTIONS = 3;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Both activations are of one deployment, so the probe sees the adapter's classes through its module. */
    @Deployment(name = "adapter-probe", order = 4, testable = false)
    static WebArchive adapterProbe() {
        return ShrinkWrap.create(WebArchive.class, PROBE + ".war").addClass(AdapterProbeServlet.class)
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: deployment." + Deployments.RAR
                        + "\n"));
    }

    @Test
    void theConnectionDefinitionHasItsStatisticsAsResources() throws Exception {
        try (ModelControllerClient mgmt = management()) {
            ModelNode definition = address(DOCUMENTED_ADDRESS.substring(0, DOCUMENTED_ADDRESS.lastIndexOf('/')));
            ModelNode read = op("read-resource", definition);
            read.get("include-runtime").set(true);
            ModelNode children = success(mgmt, read).get("statistics");
            assertTrue(children.has("extended") && children.has("pool"), children.toString());
            ModelNode names = op("read-children-names", definition);
            names.get("child-type").set("statistics");
            assertEquals(Set.of("extended", "pool"), Set.copyOf(success(mgmt, names).asList().stream()
                    .map(ModelNode::asString).toList()));
        }
    }

    @Test
    void readResourceAnswersEveryStatisticAsALongEqualToTheStoresAndMovingWithTransactions() throws Exception {
        try (ModelControllerClient mgmt = management()) {
            ModelNode attributes = success(mgmt, op("read-resource-description", address(DOCUMENTED_ADDRESS)))
                    .get("attributes");
            Set<String> described = new TreeSet<>(attributes.keys());
            assertTrue(described.remove("statistics-enabled"), described.toString());
            assertEquals(STATISTICS, described);
            for (String name : STATISTICS) {
                assertEquals(ModelType.LONG, attributes.get(name, "type").asType(), name);
                assertEquals("metric", attributes.get(name, "access-type").asString(), name);
            }

            Map<String, Long> before = assertAgree(mgmt);
            for (int i = 0; i < TRANSACTIONS; i++) {
                assertEquals("ok", post("commit"));
            }
            assertEquals("ok", post("rollback"));
            Map<String, Long> after = assertAgree(mgmt);

            // Each transaction has RVM as its only resource: a one-phase XA commit, which forces the log.
            assertEquals(TRANSACTIONS, after.get("Commits") - before.get("Commits"));
            assertEquals(TRANSACTIONS, after.get("CommitsFlush") - before.get("CommitsFlush"));
            assertEquals(1, after.get("Aborts") - before.get("Aborts"));
            assertTrue(after.get("Forces") - before.get("Forces") >= TRANSACTIONS, before + " -> " + after);
            assertTrue(after.get("RecordsWritten") - before.get("RecordsWritten") >= TRANSACTIONS);
            assertTrue(after.get("BytesLogged") > before.get("BytesLogged"));
            assertTrue(after.get("LogUsedBytes") > before.get("LogUsedBytes"));
        }
    }

    @Test
    void theExampleKeepsWorkingOnItsOwnStoreBesideTheSecondActivation() throws Exception {
        try (ModelControllerClient mgmt = management()) {
            // Reading balances runs an (empty) one-phase transaction on the example's store: before the baseline.
            String from = TransactionProtocolIT.richest(client.balances());
            Map<String, Long> example = client.stats();
            Map<String, Long> sub = assertAgree(mgmt);
            HttpResponse<String> r = client.transfer(from, from.equals("heidi") ? "grace" : "heidi", 1, "sub", "ejb");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("ok", post("commit"));
            Map<String, Long> exampleAfter = client.stats();
            Map<String, Long> subAfter = assertAgree(mgmt);

            // The transfer is two-phase (RVM and the audit database) on the example's store only; the probe's
            // one-phase commit is on the script's store only.
            String moves = "example " + example + " -> " + exampleAfter + "; script's " + sub + " -> " + subAfter;
            assertEquals(1, exampleAfter.get("prepares") - example.get("prepares"), moves);
            assertEquals(example.get("commitsFlush"), exampleAfter.get("commitsFlush"), moves);
            assertEquals(sub.get("Prepares"), subAfter.get("Prepares"), moves);
            assertEquals(1, subAfter.get("CommitsFlush") - sub.get("CommitsFlush"), moves);
            client.assertConsistent();
        }
    }

    /**
     * Reads the store's statistics through the probe, then {@code read-resource} at the documented address: every
     * statistic is there, a {@code LONG}, with the value the store gave. Nothing else uses this store meanwhile.
     *
     * @return the management values by name
     */
    private static Map<String, Long> assertAgree(ModelControllerClient mgmt) throws Exception {
        Map<String, Long> store = new HashMap<>();
        for (String line : get("statistics").split("\n")) {
            int eq = line.indexOf('=');
            store.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
        }
        ModelNode read = op("read-resource", address(DOCUMENTED_ADDRESS));
        read.get("include-runtime").set(true);
        ModelNode result = success(mgmt, read);
        Map<String, Long> out = new HashMap<>();
        for (String name : STATISTICS) {
            assertEquals(ModelType.LONG, result.get(name).getType(), name + " in " + result);
            assertEquals(expected(name, store), result.get(name).asLong(), name + ": store " + store);
            out.put(name, result.get(name).asLong());
        }
        assertTrue(result.get("statistics-enabled").asBoolean(), "statistics-enabled=true, as the script sets");
        return out;
    }

    /** What {@code RvmStatisticsPlugin} publishes under {@code name}, from the store's statistics (no clear). */
    private static long expected(String name, Map<String, Long> s) {
        return switch (name) {
            case "Commits" -> s.get("commitsFlush") + s.get("commitsNoFlush") + s.get("commitsPrepared");
            case "LogUsedBytes" -> s.get("logUsed");
            case "LogCapacityBytes" -> s.get("logCapacity");
            case "LogUsePercent" -> Math.round(100 * ((double) s.get("logUsed") / s.get("logCapacity")));
            case "TruncationMillisTotal" -> TimeUnit.NANOSECONDS.toMillis(s.get("truncationNanosTotal"));
            case "LastTruncationMillis" -> TimeUnit.NANOSECONDS.toMillis(s.get("lastTruncationNanos"));
            case "LastRecoveryMillis" -> TimeUnit.NANOSECONDS.toMillis(s.get("lastRecoveryNanos"));
            case "ReplicaRole", "ReplicaTerm", "ReplicaAppliedIndex", "ReplicaCommitIndex", "ReplicaFollowerLagMax",
                    "ReplicaMembersBehind", "ReplicaFollowerSilenceMillisMax" -> -1; // a store of its own
            default -> Objects.requireNonNull(s.get(Character.toLowerCase(name.charAt(0)) + name.substring(1)), name);
        };
    }

    /** A CLI address without escapes ({@code /a=b/c=d}) as a management address. */
    static ModelNode address(String cli) {
        ModelNode address = new ModelNode().setEmptyList();
        for (String element : cli.substring(1).split("/")) {
            String[] kv = element.split("=", 2);
            address.add(kv[0], kv[1]);
        }
        return address;
    }

    private static ModelNode op(String name, ModelNode address) {
        ModelNode op = new ModelNode();
        op.get("operation").set(name);
        op.get("address").set(address);
        return op;
    }

    private static ModelNode success(ModelControllerClient mgmt, ModelNode op) throws IOException {
        ModelNode result = mgmt.execute(op);
        assertEquals("success", result.get("outcome").asString(), op + " -> " + result);
        return result.get("result");
    }

    /** $local authentication: a client on the server's host needs no management user. */
    private static ModelControllerClient management() throws IOException {
        return ModelControllerClient.Factory.create("remote+http", "127.0.0.1", DeployedLedger.MANAGEMENT_PORT);
    }

    private static String post(String action) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(probeUri(action)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static String get(String action) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(probeUri(action)).GET());
    }

    private static URI probeUri(String action) {
        return URI.create("http://127.0.0.1:" + DeployedLedger.HTTP_PORT + "/" + PROBE + "/adapter/" + action
                + "?jndi=" + URLEncoder.encode(JNDI, StandardCharsets.UTF_8));
    }

    private static String send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /**
     * Runs the shipped script with the server's {@code jboss-cli.sh} before the deployments, as a user would, with
     * the JNDI name and store directory given as server system properties; removes the activation and the
     * properties after the deployments are gone.
     */
    static final class ShippedScript implements ServerSetupTask {
        private static final Map<String, String> PROPERTIES = Map.of("rvm.ra.jndiName", JNDI,
                "rvm.ra.storeDirectory", "${jboss.server.data.dir}/rvm-sub");

        @Override
        public void setup(ManagementClient client, String containerId) throws Exception {
            for (Map.Entry<String, String> p : PROPERTIES.entrySet()) {
                ModelNode add = op("add", new ModelNode().add("system-property", p.getKey()));
                add.get("value").set(p.getValue());
                success(client.getControllerClient(), add);
            }
            Path basedir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
            Path script = basedir.resolve("..").resolve(SCRIPT).normalize();
            Path home = Path.of(System.getProperty("jboss.home"));
            ProcessBuilder cli = new ProcessBuilder(home.resolve("bin/jboss-cli.sh").toString(), "-c",
                    "--controller=remote+http://127.0.0.1:" + DeployedLedger.MANAGEMENT_PORT, "--file=" + script)
                    .redirectErrorStream(true);
            cli.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process p = cli.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jboss-cli.sh did not end");
            assertEquals(0, p.exitValue(), output);
            assertTrue(output.contains("The batch executed successfully"), output);
        }

        @Override
        public void tearDown(ManagementClient client, String containerId) throws Exception {
            success(client.getControllerClient(), op("remove",
                    new ModelNode().add("subsystem", "resource-adapters").add("resource-adapter", "rvm")));
            for (String name : PROPERTIES.keySet()) {
                success(client.getControllerClient(), op("remove", new ModelNode().add("system-property", name)));
            }
        }
    }
}
