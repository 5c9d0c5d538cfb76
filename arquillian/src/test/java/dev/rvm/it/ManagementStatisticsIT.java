package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.Map;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.dmr.ModelNode;
import org.junit.jupiter.api.Test;

/**
 * The adapter's statistics are readable through WildFly's management API, at the connection definition's
 * {@code statistics=extended} resource, and agree with what the store reports to the application.
 */
class ManagementStatisticsIT extends DeployedLedger {

    @Test
    void statisticsReadableThroughManagementApi() throws Exception {
        String from = TransactionProtocolIT.richest(client.balances());
        HttpResponse<String> r = client.transfer(from, from.equals("heidi") ? "grace" : "heidi", 3, "mgmt", "ejb");
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Long> stats = client.stats();

        // $local authentication: a client on the server's host needs no management user.
        try (ModelControllerClient mgmt = ModelControllerClient.Factory.create("remote+http", "127.0.0.1",
                MANAGEMENT_PORT)) {
            assertEquals(stats.get("prepares"), read(mgmt, "Prepares"));
            assertEquals(stats.get("inDoubt"), read(mgmt, "InDoubt"));
            assertEquals(stats.get("truncations"), read(mgmt, "Truncations"));
            assertEquals(stats.get("logCapacity"), read(mgmt, "LogCapacityBytes"));
        }
    }

    /** read-attribute works there; read-resource does not (the resource exists only in the description). */
    private static long read(ModelControllerClient mgmt, String name) throws Exception {
        ModelNode op = new ModelNode();
        op.get("operation").set("read-attribute");
        op.get("address").add("deployment", Deployments.RAR).add("subsystem", "resource-adapters")
                .add("ironjacamar", "ironjacamar").add("resource-adapter", Deployments.RAR)
                .add("connection-definitions", "java:/eis/rvm").add("statistics", "extended");
        op.get("name").set(name);
        ModelNode result = mgmt.execute(op);
        assertEquals("success", result.get("outcome").asString(), result.toString());
        return result.get("result").asLong();
    }
}
