package dev.rvm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The style rules a reviewer would otherwise have to remember, checked on the sources of rvm-core, rvm-ra,
 * rvm-replication and rvm-tools (main and test): no tab and no trailing blank; imports static first, each group
 * sorted; and a type named by its simple name after an import, never by its fully qualified name in the code, unless
 * two types of the same simple name meet in one file. Not a formatter: it rewrites nothing, it fails and names the
 * lines.
 */
class SourceStyleTest {
    private static final List<String> MODULES = List.of("rvm-core", "rvm-ra", "rvm-replication", "rvm-tools");
    /** A qualified type name: lower-case package parts, then a capitalised type. */
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w.@\"])((?:java|javax|jakarta|dev|org|com)\\.(?:[a-z_][a-z0-9_]*\\.)+)([A-Z]\\w*)");
    private static final Pattern IMPORT = Pattern.compile("^import (static )?([\\w.*]+);", Pattern.MULTILINE);

    private static List<Path> sources() {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> all = new ArrayList<>();
        for (String m : MODULES) {
            Path src = root.resolve(m).resolve("src");
            assertTrue(Files.isDirectory(src), "sources of " + m + " not found at " + src);
            try (Stream<Path> s = Files.walk(src)) {
                all.addAll(s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertTrue(all.size() > 200, "only " + all.size() + " sources found");
        return all;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The code of a line: null for a comment, import or package line; strings and trailing comments blanked. */
    private static String code(String line) {
        String t = line.trim();
        if (t.startsWith("import ") || t.startsWith("package ") || t.startsWith("*") || t.startsWith("/*")
                || t.startsWith("//")) {
            return null;
        }
        String c = line.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
        int comment = c.indexOf("//");
        return comment >= 0 ? c.substring(0, comment) : c;
    }

    @Test
    void noTabsAndNoTrailingBlanks() {
        List<String> bad = new ArrayList<>();
        for (Path p : sources()) {
            String[] lines = read(p).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].indexOf('\t') >= 0 || lines[i].endsWith(" ")) {
                    bad.add(p + ":" + (i + 1));
                }
            }
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void importsAreStaticFirstAndSorted() {
        List<String> bad = new ArrayList<>();
        for (Path p : sources()) {
            List<String> statics = new ArrayList<>();
            List<String> normal = new ArrayList<>();
            boolean staticAfterNormal = false;
            Matcher m = IMPORT.matcher(read(p));
            while (m.find()) {
                if (m.group(1) != null) {
                    staticAfterNormal |= !normal.isEmpty();
                    statics.add(m.group(2));
                } else {
                    normal.add(m.group(2));
                }
            }
            if (staticAfterNormal || !statics.equals(statics.stream().sorted().collect(Collectors.toList()))
                    || !normal.equals(normal.stream().sorted().collect(Collectors.toList()))) {
                bad.add(p.toString());
            }
        }
        assertEquals(List.of(), bad, "imports not static first, each group in order");
    }

    @Test
    void typesAreImportedNotNamedInFullInTheCode() {
        List<String> bad = new ArrayList<>();
        for (Path p : sources()) {
            String[] lines = read(p).split("\n", -1);
            Map<String, Set<String>> bySimpleName = new HashMap<>();
            List<String> hits = new ArrayList<>();
            for (int i = 0; i < lines.length; i++) {
                String c = code(lines[i]);
                if (c == null) {
                    continue;
                }
                Matcher m = QUALIFIED.matcher(c);
                while (m.find()) {
                    bySimpleName.computeIfAbsent(m.group(2), k -> new HashSet<>()).add(m.group(1) + m.group(2));
                    hits.add(m.group(2) + "\t" + p + ":" + (i + 1) + " " + m.group(1) + m.group(2));
                }
            }
            for (String h : hits) {
                String simple = h.substring(0, h.indexOf('\t'));
                Set<String> named = bySimpleName.get(simple);
                if (named.size() == 1 && !anotherImported(read(p), named.iterator().next(), simple)) {
                    bad.add(h.substring(h.indexOf('\t') + 1));
                }
            }
        }
        assertEquals(List.of(), bad, "import these types instead");
    }

    /** Whether another type of this simple name is imported, so the qualified name is needed to tell them apart. */
    private static boolean anotherImported(String source, String qualified, String simple) {
        Matcher m = Pattern.compile("^import ([\\w.]+\\." + simple + ");", Pattern.MULTILINE).matcher(source);
        while (m.find()) {
            if (!m.group(1).equals(qualified)) {
                return true;
            }
        }
        return false;
    }
}
