package dev.rvm.bench.driver;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The two-server mode's wiring, the same as the two-server example's ({@code -Prun-two-servers} of
 * {@code rvm-ear-example/ear}, docs/TWO-SERVERS.md) and nothing of its own: server B is a second copy of the unpacked
 * WildFly; each server gets the application user {@value #PEER_USER} ({@code bin/add-user.sh -a}) and is configured
 * offline by the example's own {@code two-servers.cli} (outbound socket binding and {@code remote+http}
 * authentication to the other server, the outbound connection {@value #OUTBOUND_CONNECTION}, a node identifier of
 * its own, the recovery listener); both start with {@code -Djboss.node.name} set to their node identifier. The copy
 * of {@code rvm-bench.war} deployed on A gets {@code WEB-INF/jboss-ejb-client.xml} ({@link #EJB_CLIENT_XML}), so that
 * A's calls to {@code BenchPeer} go to B; B deploys the WAR as built. Stateless, thread-safe.
 */
final class TwoServers {
    /** Server A's node name and transaction node identifier. */
    static final String NODE_A = "bench-a";
    /** Server B's node name and transaction node identifier. */
    static final String NODE_B = "bench-b";
    /** The application user each server's outbound connection authenticates as on the other (as the example's). */
    static final String PEER_USER = "rvm-peer";
    /** Its password (as the example's: a bench on loopback, nothing to protect). */
    static final String PEER_PASSWORD = "rvmPeer1!";
    /** The remote-outbound-connection that {@code two-servers.cli} adds. */
    static final String OUTBOUND_CONNECTION = "rvm-ledger-peer";
    /** The deployment that gets the EJB client context on A. */
    static final String WAR = "rvm-bench.war";

    /**
     * A's EJB client context, as {@code META-INF/jboss-ejb-client.xml} of the example's two-server EAR: the outbound
     * connection to B, and the local receiver excluded, since both servers deploy the same WAR and the name of
     * {@code BenchPeerBean} must never resolve to A's own bean.
     */
    static final String EJB_CLIENT_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- Added by the server-bench driver to the copy of rvm-bench.war deployed on server A: BenchTransfers' calls
                 to BenchPeer go to server B through the outbound connection that two-servers.cli configures. -->
            <jboss-ejb-client xmlns="urn:jboss:ejb-client:1.2">
              <client-context>
                <ejb-receivers exclude-local-receiver="true">
                  <remoting-ejb-receiver outbound-connection-ref="%s"/>
                </ejb-receivers>
              </client-context>
            </jboss-ejb-client>
            """.formatted(OUTBOUND_CONNECTION);

    private static final String ENTRY = "WEB-INF/jboss-ejb-client.xml";

    private TwoServers() {
    }

    /** Where server B's copy of the unpacked server {@code home} goes: beside it, its name ending in {@code -b}. */
    static Path peerHome(Path home) {
        return home.resolveSibling(home.getFileName() + "-b");
    }

    /**
     * Copies the unpacked server {@code home} to {@code peer} ({@code cp -a}, which keeps the scripts executable).
     * Called before anything runs in {@code home}, so B starts as A does, from the distribution.
     *
     * @throws IOException if {@code peer} exists (the build removes the servers before each run) or the copy fails
     */
    static void copyServer(Path home, Path peer) throws IOException {
        if (Files.exists(peer)) {
            throw new IOException(peer + " exists; server B is copied afresh from " + home + " (remove it)");
        }
        Processes.run(List.of("cp", "-a", home.toString(), peer.toString()), home.getParent(),
                home.getParent().resolve("copy-server-b.log"), 300);
    }

    /**
     * Wires {@code a} and {@code b} to each other: the application user on each, then {@code cli}
     * ({@code two-servers.cli}) offline on each with the other's HTTP port and its own node identifier. Both
     * servers must be stopped.
     */
    static void wire(WildFly a, WildFly b, Path cli) throws IOException {
        a.addApplicationUser(PEER_USER, PEER_PASSWORD);
        b.addApplicationUser(PEER_USER, PEER_PASSWORD);
        a.runScript(cli, cliProperties(b.httpPort(), NODE_A));
        b.runScript(cli, cliProperties(a.httpPort(), NODE_B));
    }

    /** The system properties {@code two-servers.cli} reads, for a server whose peer listens on {@code peerHttp}. */
    static Map<String, String> cliProperties(int peerHttp, String node) {
        return Map.of("rvm.peer.host", "127.0.0.1", "rvm.peer.port", Integer.toString(peerHttp), "rvm.peer.user",
                PEER_USER, "rvm.peer.password", PEER_PASSWORD, "rvm.node", node);
    }

    /** Writes {@link #EJB_CLIENT_XML} into the WAR at {@code war} as {@code WEB-INF/jboss-ejb-client.xml}. */
    static void addEjbClientContext(Path war) throws IOException {
        URI uri = URI.create("jar:" + war.toAbsolutePath().toUri());
        try (FileSystem zip = FileSystems.newFileSystem(uri, Map.of())) {
            Path entry = zip.getPath(ENTRY);
            Files.createDirectories(entry.getParent());
            Files.writeString(entry, EJB_CLIENT_XML, StandardCharsets.UTF_8);
        }
    }
}
