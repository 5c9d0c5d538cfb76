package dev.rvm.bench.driver;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The second connection definition that case {@code rvm-lazy} needs, {@value #JNDI_NAME}: the same managed
 * connection factory as {@code java:/eis/rvm} (so the same resource adapter and store) with
 * {@code lazyOnePhaseCommit} set, its own pool, and no recovery registration (the adapter's recovery is already
 * registered by the shipped definition, and a lazy one-phase commit leaves no prepared branch). The driver adds it
 * to the copy of {@code rvm-ra.rar} it deploys, rewriting {@code META-INF/ironjacamar.xml} inside the archive; the
 * RAR the build made is not changed. Stateless, thread-safe.
 */
final class LazyDefinition {
    /** Where case rvm-lazy's connection factory is bound. */
    static final String JNDI_NAME = "java:/eis/rvm-lazy";

    private static final String ENTRY = "META-INF/ironjacamar.xml";
    private static final String END = "</connection-definitions>";

    /** The definition, as inserted before the end of {@code <connection-definitions>}. */
    static final String XML = """
                <connection-definition class-name="dev.rvm.ra.spi.RvmManagedConnectionFactory"
                                       jndi-name="%s" pool-name="RvmLazyPool" enabled="true">
                  <config-property name="lazyOnePhaseCommit">true</config-property>
                  <xa-pool>
                    <min-pool-size>0</min-pool-size>
                    <max-pool-size>100</max-pool-size>
                  </xa-pool>
                  <recovery no-recovery="true"/>
                </connection-definition>
            """.formatted(JNDI_NAME);

    private LazyDefinition() {
    }

    /**
     * {@code ironjacamar} (the text of an {@code ironjacamar.xml}) with {@link #XML} added as its last connection
     * definition; unchanged if it already binds {@value #JNDI_NAME}.
     *
     * @throws IllegalArgumentException if it has no {@code </connection-definitions>}
     */
    static String addTo(String ironjacamar) {
        if (ironjacamar.contains("\"" + JNDI_NAME + "\"")) {
            return ironjacamar;
        }
        int end = ironjacamar.lastIndexOf(END);
        if (end < 0) {
            throw new IllegalArgumentException("no " + END + " in " + ENTRY);
        }
        int lineStart = ironjacamar.lastIndexOf('\n', end) + 1;
        String indent = ironjacamar.substring(lineStart, end).isBlank() ? "" : "\n";
        return ironjacamar.substring(0, lineStart) + indent + XML + ironjacamar.substring(lineStart);
    }

    /** Rewrites {@code META-INF/ironjacamar.xml} inside the RAR at {@code rar} with {@link #addTo}. */
    static void addToRar(Path rar) throws IOException {
        URI uri = URI.create("jar:" + rar.toAbsolutePath().toUri());
        try (FileSystem zip = FileSystems.newFileSystem(uri, Map.of())) {
            Path entry = zip.getPath(ENTRY);
            if (!Files.exists(entry)) {
                throw new IOException("no " + ENTRY + " in " + rar);
            }
            String before = Files.readString(entry, StandardCharsets.UTF_8);
            try {
                Files.writeString(entry, addTo(before), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IOException(rar + ": " + e.getMessage(), e);
            }
        }
    }
}
