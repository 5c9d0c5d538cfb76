package dev.rvm.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LazyDefinitionTest {
    private static final String SHIPPED = """
            <ironjacamar>
              <connection-definitions>
                <connection-definition class-name="dev.rvm.ra.spi.RvmManagedConnectionFactory"
                                       jndi-name="java:/eis/rvm" pool-name="RvmPool" enabled="true">
                </connection-definition>
              </connection-definitions>
            </ironjacamar>
            """;

    @Test
    void theLazyDefinitionIsAddedAfterTheShippedOneWithItsOwnPool() {
        String out = LazyDefinition.addTo(SHIPPED);
        int shipped = out.indexOf("jndi-name=\"java:/eis/rvm\"");
        int lazy = out.indexOf("jndi-name=\"java:/eis/rvm-lazy\"");
        assertTrue(shipped > 0 && lazy > shipped, out);
        assertTrue(lazy < out.indexOf("</connection-definitions>"), out);
        assertTrue(out.contains("pool-name=\"RvmLazyPool\""), out);
        assertTrue(out.contains("<config-property name=\"lazyOnePhaseCommit\">true</config-property>"), out);
        assertEquals(out, LazyDefinition.addTo(out), "added once");
    }

    @Test
    void aDescriptorWithoutConnectionDefinitionsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LazyDefinition.addTo("<ironjacamar/>"));
    }

    @Test
    void theRarIsRewrittenInPlaceAndKeepsItsOtherEntries(@TempDir Path dir) throws IOException {
        Path rar = dir.resolve("rvm-ra.rar");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(rar))) {
            put(z, "META-INF/ironjacamar.xml", SHIPPED);
            put(z, "META-INF/ra.xml", "<connector/>");
        }
        LazyDefinition.addToRar(rar);
        try (ZipFile z = new ZipFile(rar.toFile())) {
            String xml = new String(z.getInputStream(z.getEntry("META-INF/ironjacamar.xml")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertEquals(LazyDefinition.addTo(SHIPPED), xml);
            assertEquals("<connector/>", new String(z.getInputStream(z.getEntry("META-INF/ra.xml")).readAllBytes(),
                    StandardCharsets.UTF_8));
        }
    }

    private static void put(ZipOutputStream z, String name, String text) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        OutputStream out = z;
        out.write(text.getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
    }
}
