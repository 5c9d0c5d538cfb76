package dev.rvm.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwoServersTest {
    /** The example's script, which the driver's pom passes as --two-servers-cli (tests run in the module's folder). */
    private static final Path CLI = Path.of("../../ear/src/main/wildfly/two-servers.cli");

    @Test
    void theClientContextNamesTheOutboundConnectionTheExampleScriptAdds() throws IOException {
        String script = Files.readString(CLI, StandardCharsets.UTF_8);
        assertTrue(script.contains("remote-outbound-connection=" + TwoServers.OUTBOUND_CONNECTION + ":add("), script);
        assertTrue(TwoServers.EJB_CLIENT_XML.contains("outbound-connection-ref=\"" + TwoServers.OUTBOUND_CONNECTION
                + "\""));
        assertTrue(TwoServers.EJB_CLIENT_XML.contains("exclude-local-receiver=\"true\""));
    }

    @Test
    void theScriptGetsEveryPropertyItReads() throws IOException {
        String script = Files.readString(CLI, StandardCharsets.UTF_8);
        Map<String, String> props = TwoServers.cliProperties(58180, TwoServers.NODE_A);
        for (String key : props.keySet()) {
            assertTrue(script.contains("${" + key + "}"), key);
        }
        assertEquals(5, script.split("\\$\\{rvm\\.", -1).length - 1, "the script reads other properties");
        assertEquals("58180", props.get("rvm.peer.port"));
        assertEquals(TwoServers.NODE_A, props.get("rvm.node"));
    }

    @Test
    void theClientContextIsWrittenIntoTheWarsWebInf(@TempDir Path dir) throws IOException {
        Path war = dir.resolve("rvm-bench.war");
        try (OutputStream out = Files.newOutputStream(war); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("WEB-INF/jboss-deployment-structure.xml"));
            zip.write("<x/>".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        TwoServers.addEjbClientContext(war);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + war.toUri()), Map.of())) {
            assertEquals(TwoServers.EJB_CLIENT_XML, Files.readString(zip.getPath("WEB-INF/jboss-ejb-client.xml")));
            assertEquals("<x/>", Files.readString(zip.getPath("WEB-INF/jboss-deployment-structure.xml")));
        }
    }

    @Test
    void serverBIsACopyBesideA() {
        assertEquals(Path.of("/t/server/wildfly-39-b"), TwoServers.peerHome(Path.of("/t/server/wildfly-39")));
    }
}
