package dev.rvm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API boundary is a build check, not only a naming convention: nothing outside rvm-core names
 * {@code dev.rvm.core.internal}, and the internal heap does not depend on the public heap built on it (it may
 * return the public value types {@code HeapCheck} and {@code HeapStatistics}, as the engine returns {@code
 * Statistics}).
 *
 * <p>A {@code module-info.java} exporting only the public packages would not enforce the first rule: the adapter,
 * the tool and the example are built on the class path, where a module's exports do not apply, and the adapter is
 * deployed into WildFly, whose module system ignores them. So the sources are read instead. The test fails, rather
 * than skips, if it cannot find the modules it checks.
 */
class ApiBoundaryTest {
    /** The modules built on rvm-core (their main and test sources). */
    private static final List<String> OTHER_MODULES = List.of("rvm-ra", "rvm-replication", "rvm-tools", "rvm-ear-example",
            "arquillian");
    private static final Pattern INTERNAL = Pattern.compile("\\bdev\\.rvm\\.core\\.internal\\b");
    /** The public heap and the structures on it, named in code (comments may point a reader at them). */
    private static final Pattern PUBLIC_HEAP = Pattern.compile(
            "\\bRecoverableHeap\\b|\\bdev\\.rvm\\.core\\.heap\\.(map|record)\\b");

    /** The reactor's root: surefire runs the tests in rvm-core's directory. */
    private static Path root() {
        Path core = Path.of("").toAbsolutePath();
        assertTrue(Files.isDirectory(core.resolve("src/main/java/dev/rvm/core/internal")),
                "not run in rvm-core's directory: " + core);
        return core.getParent();
    }

    private static List<Path> javaSources(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !dir.relativize(p).toString().contains("target"))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files with a line of code (not of a comment) that {@code p} finds something in. */
    private static List<String> naming(List<Path> files, Pattern p) {
        return files.stream().filter(f -> {
            try {
                return Files.readAllLines(f).stream().map(String::trim)
                        .filter(l -> !l.startsWith("*") && !l.startsWith("/*") && !l.startsWith("//"))
                        .anyMatch(l -> p.matcher(l).find());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).map(Path::toString).collect(Collectors.toList());
    }

    @Test
    void noModuleOutsideTheCoreNamesItsInternalPackages() {
        Path root = root();
        int checked = 0;
        for (String m : OTHER_MODULES) {
            Path dir = root.resolve(m);
            assertTrue(Files.isDirectory(dir), "module " + m + " not found at " + dir);
            List<Path> sources = javaSources(dir);
            checked += sources.size();
            assertEquals(List.of(), naming(sources, INTERNAL), "sources of " + m + " that name dev.rvm.core.internal");
        }
        assertTrue(checked > 100, "only " + checked + " source files found outside rvm-core");
    }

    @Test
    void theInternalHeapDoesNotDependOnThePublicHeap() {
        List<Path> sources = javaSources(root().resolve("rvm-core/src/main/java/dev/rvm/core/internal"));
        assertTrue(sources.size() > 20, "internal sources not found");
        assertEquals(List.of(), naming(sources, PUBLIC_HEAP), "internal sources that name the public heap packages");
    }
}
