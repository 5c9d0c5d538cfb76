package dev.rvm.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the tests on the suite server (port offset {@code rvm.it.portOffset}, 10000 by default): deploys the RAR, then the example EAR beside it, then
 * the probe, before the test class and undeploys them after. The ledger's data (RVM store, H2 file) stays in the
 * server's data directory from one class to the next, so tests compare before and after, and check the invariants
 * that hold at any time.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class DeployedLedger {
    static final int HTTP_PORT = 8080 + Ports.SUITE_OFFSET;
    static final int MANAGEMENT_PORT = 9990 + Ports.SUITE_OFFSET;

    final LedgerClient client = new LedgerClient(HTTP_PORT);

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "ear", order = 2, testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Deployment(name = "probe", order = 3, testable = false)
    static WebArchive probe() {
        return Deployments.probe();
    }
}
