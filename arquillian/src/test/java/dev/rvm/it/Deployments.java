package dev.rvm.it;

import dev.rvm.it.lazy.LazySequence;
import dev.rvm.it.nesting.NestingServlet;
import dev.rvm.it.probe.BlockPoint;
import dev.rvm.it.probe.BlockProbeRecovery;
import dev.rvm.it.probe.HaltingXAResource;
import dev.rvm.it.probe.PeerProbe;
import dev.rvm.it.probe.PeerProbeBean;
import dev.rvm.it.probe.PhaseBlockingXAResource;
import dev.rvm.it.probe.ProbeServlet;
import dev.rvm.it.probe.TwoServerProbeServlet;
import dev.rvm.it.replica.ReplicaSequence;
import dev.rvm.it.threads.ThreadsServlet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.Asset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The archives the tests deploy: the real {@code rvm-ra.rar}, {@code rvm-ledger.ear} and
 * {@code rvm-ledger-bundled.ear} built by the other modules (copied to {@code target/archives} by the build), and
 * the test-only probe WAR. Stateless, thread-safe.
 */
final class Deployments {
    static final String RAR = "rvm-ra.rar";
    static final String EAR = "rvm-ledger.ear";
    static final String BUNDLED_EAR = "rvm-ledger-bundled.ear";
    static final String PROBE = "rvm-probe.war";
    static final String NESTING = "rvm-nesting.war";
    static final String TWO_SERVERS_EAR = "rvm-ledger-two-servers.ear";
    static final String TWO_SERVER_PROBE = "rvm-two-probe.war";
    static final String REPLICATED_RAR = "rvm-replicated.rar";
    static final String REPLICA_PROBE = "rvm-replica-probe.war";
    static final String THREADS_PROBE = "rvm-threads-probe.war";

    /** The smallest log, so that the concurrency test truncates it several times. */
    static final String TEST_LOG_SIZE = "<config-property name=\"logSize\">65536</config-property>";
    /** The example's {@code accounts} and {@code book} regions, added if the RAR does not define regions itself. */
    static final String TEST_REGIONS =
            "<config-property name=\"regions\">main:main:0:1048576,book:book:0:1048576"
            + "</config-property>";

    private Deployments() {
    }

    /** The adapter, as built, with {@link #TEST_LOG_SIZE} (and {@link #TEST_REGIONS}) in its ironjacamar.xml. */
    static ResourceAdapterArchive rar() {
        ResourceAdapterArchive rar = ShrinkWrap.createFromZipFile(ResourceAdapterArchive.class, archive(RAR));
        String ij = read(rar.get("META-INF/ironjacamar.xml").getAsset());
        String extra = "  " + TEST_LOG_SIZE + "\n" + (ij.contains("name=\"regions\"") ? "" : "  " + TEST_REGIONS + "\n");
        int at = ij.indexOf("  <transaction-support>"); // config-property comes first in the schema
        ij = ij.substring(0, at) + extra + ij.substring(at);
        rar.delete("META-INF/ironjacamar.xml");
        rar.add(new StringAsset(ij), "META-INF/ironjacamar.xml");
        return rar;
    }

    /** The lazy connection definition {@link #lazyRar(long)} adds beside {@code java:/eis/rvm}. */
    static final String LAZY_DEFINITION = "    <connection-definition class-name=\"dev.rvm.ra.spi.RvmManagedConnectionFactory\""
            + " jndi-name=\"java:/eis/rvm-lazy\" pool-name=\"RvmLazyPool\" enabled=\"true\">\n"
            + "      <config-property name=\"lazyOnePhaseCommit\">true</config-property>\n"
            + "      <xa-pool><min-pool-size>0</min-pool-size><max-pool-size>100</max-pool-size></xa-pool>\n"
            + "      <recovery no-recovery=\"false\"><recover-credential><user-name>rvm</user-name>"
            + "<password>rvm</password></recover-credential></recovery>\n"
            + "    </connection-definition>\n";

    /**
     * {@link #rar()} with a second connection definition, {@code java:/eis/rvm-lazy}, whose one-phase commits are
     * lazy, and the adapter's background flush every {@code flushMillis}.
     */
    static ResourceAdapterArchive lazyRar(long flushMillis) {
        ResourceAdapterArchive rar = rar();
        String ij = read(rar.get("META-INF/ironjacamar.xml").getAsset());
        int at = ij.indexOf("  </connection-definitions>");
        ij = ij.substring(0, at) + LAZY_DEFINITION + ij.substring(at);
        at = ij.indexOf("  <transaction-support>");
        ij = ij.substring(0, at) + "  <config-property name=\"lazyFlushMillis\">" + flushMillis
                + "</config-property>\n" + ij.substring(at);
        rar.delete("META-INF/ironjacamar.xml");
        rar.add(new StringAsset(ij), "META-INF/ironjacamar.xml");
        return rar;
    }

    /** The lazy sequence of {@code dev.rvm.it.lazy}, on {@code java:/eis/rvm-lazy}. */
    static WebArchive lazyProbe() {
        return ShrinkWrap.create(WebArchive.class, "rvm-lazy-probe.war")
                .addPackage(LazySequence.class.getPackage())
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: deployment." + RAR + "\n"));
    }

    /**
     * The adapter, as built, activated as member {@code member} of the replicated group {@code group} of
     * {@code peers} (witness {@code w}): {@code java:/eis/rvm-replicated}, region {@code seq}, its store in
     * {@code data/rvm-replicated-<group>}; what an operator's own activation of a replicated store looks like.
     */
    static ResourceAdapterArchive replicatedRar(String member, String group, String peers) {
        ResourceAdapterArchive rar = ShrinkWrap.createFromZipFile(ResourceAdapterArchive.class, archive(RAR));
        String ij = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ironjacamar xmlns=\"http://www.ironjacamar.org/doc/schema\">\n"
                + "  <config-property name=\"storeDirectory\">${jboss.server.data.dir}/rvm-replicated-" + group
                + "</config-property>\n"
                + "  <config-property name=\"logSize\">1048576</config-property>\n"
                + "  <config-property name=\"regions\">seq:seq:0:65536</config-property>\n"
                + "  <config-property name=\"replicaGroup\">" + group + "</config-property>\n"
                + "  <config-property name=\"replicaMemberId\">" + member + "</config-property>\n"
                + "  <config-property name=\"replicaPeers\">" + peers + "</config-property>\n"
                + "  <config-property name=\"replicaWitnesses\">w</config-property>\n"
                + "  <transaction-support>XATransaction</transaction-support>\n"
                + "  <connection-definitions>\n"
                + "    <connection-definition class-name=\"dev.rvm.ra.spi.RvmManagedConnectionFactory\""
                + " jndi-name=\"java:/eis/rvm-replicated\" pool-name=\"RvmReplicatedPool\" enabled=\"true\">\n"
                + "      <xa-pool><min-pool-size>0</min-pool-size><max-pool-size>20</max-pool-size></xa-pool>\n"
                + "      <recovery no-recovery=\"false\"><recover-credential><user-name>rvm</user-name>"
                + "<password>rvm</password></recover-credential></recovery>\n"
                + "    </connection-definition>\n"
                + "  </connection-definitions>\n"
                + "</ironjacamar>\n";
        rar.delete("META-INF/ironjacamar.xml");
        rar.add(new StringAsset(ij), "META-INF/ironjacamar.xml");
        return ShrinkWrap.create(ResourceAdapterArchive.class, REPLICATED_RAR).merge(rar);
    }

    /** The replicated sequence of {@code dev.rvm.it.replica}, on {@code java:/eis/rvm-replicated}. */
    static WebArchive replicaProbe() {
        return ShrinkWrap.create(WebArchive.class, REPLICA_PROBE)
                .addPackage(ReplicaSequence.class.getPackage())
                .addClasses(PhaseBlockingXAResource.class, BlockPoint.class)
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: deployment." + REPLICATED_RAR
                        + "\n"));
    }

    /** The list of the server's live threads ({@code dev.rvm.it.threads}), depending on no adapter. */
    static WebArchive threadsProbe() {
        return ShrinkWrap.create(WebArchive.class, THREADS_PROBE).addPackage(ThreadsServlet.class.getPackage());
    }

    /** The example application, as built. */
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, archive(EAR));
    }

    /** The example application as built with the RAR inside it (classifier {@code bundled}). */
    static EnterpriseArchive bundledEar() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, archive(BUNDLED_EAR));
    }

    /** Test code run in the server; sees the adapter's and the ledger's classes through module dependencies. */
    static WebArchive probe() {
        return ShrinkWrap.create(WebArchive.class, PROBE)
                .addClasses(ProbeServlet.class, HaltingXAResource.class)
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: deployment." + RAR
                        + ", deployment." + EAR + ".ledger-ejb.jar\n"));
    }

    /** The beans of {@code dev.rvm.it.nesting}: REQUIRES_NEW, @Transactional(REQUIRES_NEW) and NOT_SUPPORTED calls. */
    static WebArchive nesting() {
        return ShrinkWrap.create(WebArchive.class, NESTING)
                .addPackage(NestingServlet.class.getPackage())
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: deployment." + RAR + "\n"));
    }

    /**
     * The example application built for two servers (classifier {@code two-servers}: its remote calls go through the
     * outbound connection to the other server), named {@code rvm-ledger.ear} as each server deploys it.
     */
    static EnterpriseArchive twoServersEar() {
        return ShrinkWrap.create(EnterpriseArchive.class, EAR)
                .merge(ShrinkWrap.createFromZipFile(EnterpriseArchive.class, archive(TWO_SERVERS_EAR)));
    }

    /**
     * The two-server probe: transfers that block either server at a chosen point, with the resource that blocks and its
     * recovery; its remote calls, like the ledger's, go to the other server through the outbound connection.
     */
    static WebArchive twoServerProbe() {
        return ShrinkWrap.create(WebArchive.class, TWO_SERVER_PROBE)
                .addClasses(TwoServerProbeServlet.class, PeerProbe.class, PeerProbeBean.class,
                        PhaseBlockingXAResource.class, BlockPoint.class, BlockProbeRecovery.class)
                .addAsWebInfResource(new StringAsset("<jboss-ejb-client xmlns=\"urn:jboss:ejb-client:1.2\">"
                        + "<client-context><ejb-receivers exclude-local-receiver=\"true\">"
                        + "<remoting-ejb-receiver outbound-connection-ref=\"rvm-ledger-peer\"/>"
                        + "</ejb-receivers></client-context></jboss-ejb-client>"), "jboss-ejb-client.xml")
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: deployment." + RAR
                        + ", deployment." + EAR + ".ledger-ejb.jar, org.jboss.jts\n"));
    }

    private static java.io.File archive(String name) {
        return Path.of(System.getProperty("rvm.archives"), name).toFile();
    }

    private static String read(Asset asset) {
        try (InputStream in = asset.openStream(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
