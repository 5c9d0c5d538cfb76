package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.dmr.ModelNode;
import org.jboss.dmr.ModelType;
import org.jboss.dmr.Property;
import org.junit.jupiter.api.Test;

/**
 * The adapter's statistics in WildFly's management model, at the address rvm-ra/README.md and
 * {@code RvmStatisticsPlugin} document: every statistic typed {@code LONG}, readable with {@code read-attribute},
 * agreeing with what the store reports to the application; and {@code read-resource} failing there as documented
 * (WildFly registers that child of a RAR activated by its own ironjacamar.xml in the description only).
 */
class ManagementStatisticsIT extends DeployedLedger {
    /** The documented address of the connection definition's statistics. */
    static ModelNode statisticsAddress() {
        ModelNode address = new ModelNode();
        address.add("deployment", Deployments.RAR).add("subsystem", "resource-adapters")
                .add("ironjacamar", "ironjacamar").add("resource-adapter", Deployments.RAR)
                .add("connection-definitions", "java:/eis/rvm").add("statistics", "extended");
        return address;
    }

    @Test
    void everyStatisticIsALongAtTheDocumentedAddressAndAgreesWithTheStore() throws Exception {
        String from = TransactionProtocolIT.richest(client.balances());
        HttpResponse<String> r = client.transfer(from, from.equals("heidi") ? "grace" : "heidi", 3, "mgmt", "ejb");
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Long> stats = client.stats();

        // $local authentication: a client on the server's host needs no management user.
        try (ModelControllerClient mgmt = ModelControllerClient.Factory.create("remote+http", "127.0.0.1",
                MANAGEMENT_PORT)) {
            ModelNode attributes = success(mgmt, op("read-resource-description")).get("attributes");
            int statistics = 0;
            for (Property a : attributes.asPropertyList()) {
                if (a.getName().equals("statistics-enabled")) {
                    continue;
                }
                assertEquals(ModelType.LONG, a.getValue().get("type").asType(), a.getName());
                assertEquals("metric", a.getValue().get("access-type").asString(), a.getName());
                ModelNode read = op("read-attribute");
                read.get("name").set(a.getName());
                assertEquals(ModelType.LONG, success(mgmt, read).getType(), a.getName());
                statistics++;
            }
            assertTrue(statistics >= 20, "statistics " + attributes.keys());

            assertEquals(stats.get("prepares"), read(mgmt, "Prepares"));
            assertEquals(stats.get("commitsPrepared"), read(mgmt, "CommitsPrepared"));
            assertEquals(stats.get("inDoubt"), read(mgmt, "InDoubt"));
            assertEquals(stats.get("truncations"), read(mgmt, "Truncations"));
            assertEquals(stats.get("logCapacity"), read(mgmt, "LogCapacityBytes"));

            ModelNode readResource = op("read-resource");
            readResource.get("include-runtime").set(true);
            ModelNode result = mgmt.execute(readResource);
            assertEquals("failed", result.get("outcome").asString(), result.toString());
            assertTrue(result.get("failure-description").asString().contains("WFLYCTL0216"), result.toString());
        }
    }

    private static ModelNode op(String name) {
        ModelNode op = new ModelNode();
        op.get("operation").set(name);
        op.get("address").set(statisticsAddress());
        return op;
    }

    private static ModelNode success(ModelControllerClient mgmt, ModelNode op) throws Exception {
        ModelNode result = mgmt.execute(op);
        assertEquals("success", result.get("outcome").asString(), op + " -> " + result);
        return result.get("result");
    }

    private static long read(ModelControllerClient mgmt, String name) throws Exception {
        ModelNode op = op("read-attribute");
        op.get("name").set(name);
        return success(mgmt, op).asLong();
    }
}
