package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ledger survives undeploying and redeploying the adapter (which closes and reopens the RVM store), and works
 * with the RAR bundled inside the EAR as well as beside it.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RedeployIT {
    private final LedgerClient client = new LedgerClient(DeployedLedger.HTTP_PORT);

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "redeploy-rar", order = 1, managed = false, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "redeploy-ear", order = 2, managed = false, testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Deployment(name = "bundled-ear", order = 3, managed = false, testable = false)
    static EnterpriseArchive bundled() {
        return Deployments.bundledEar();
    }

    @Test
    void dataSurvivesUndeployAndRedeployOfTheRar() throws Exception {
        deployer.deploy("redeploy-rar");
        deployer.deploy("redeploy-ear");
        String from = TransactionProtocolIT.richest(client.balances());
        HttpResponse<String> r = client.transfer(from, from.equals("alice") ? "bob" : "alice", 17, "redeploy", "ejb");
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Long> balances = client.balances();
        LedgerClient.Audit audit = client.audit();

        deployer.undeploy("redeploy-ear");
        deployer.undeploy("redeploy-rar");
        deployer.deploy("redeploy-rar");
        deployer.deploy("redeploy-ear");

        assertEquals(balances, client.balances());
        assertEquals(audit, client.audit());
        assertEquals(0, client.stats().get("inDoubt"));
        client.assertConsistent();
        deployer.undeploy("redeploy-ear");
        deployer.undeploy("redeploy-rar");
    }

    @Test
    void earWithTheRarInsideWorks() throws Exception {
        deployer.deploy("bundled-ear");
        try {
            Map<String, Long> before = client.stats();
            String from = TransactionProtocolIT.richest(client.balances());
            HttpResponse<String> r = client.transfer(from, from.equals("heidi") ? "bob" : "heidi", 5, "bundled", "cdi");
            assertEquals(200, r.statusCode(), r.body());
            Map<String, Long> after = client.stats();
            assertEquals(1, TransactionProtocolIT.delta(before, after, "commitsPrepared"), after.toString());
            client.assertConsistent();
        } finally {
            deployer.undeploy("bundled-ear");
        }
    }
}
