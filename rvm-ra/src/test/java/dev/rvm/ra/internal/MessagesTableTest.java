package dev.rvm.ra.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The log message table of rvm-ra/README.md lists every message id of {@link Messages} once, and nothing else;
 * each id is used by one message only. Reads the sources (the test runs in the module's directory).
 */
class MessagesTableTest {
    private static final Pattern ID = Pattern.compile("RVM0001\\d\\d");
    /** A table row of the README: "| `RVM0001nn` | ...". */
    private static final Pattern ROW = Pattern.compile("^\\| `(RVM\\d{6})` \\|", Pattern.MULTILINE);
    /** An id as a message text starts with it: "RVM0001nn: ". */
    private static final Pattern IN_TEXT = Pattern.compile("\"(RVM0001\\d\\d): ");

    @Test
    void theReadmeTableListsEveryMessageIdOnce() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/rvm/ra/internal/Messages.java"));
        String readme = Files.readString(Path.of("README.md"));

        List<String> used = all(IN_TEXT, source);
        assertEquals(new TreeSet<>(used).size(), used.size(), "an id used by two messages: " + used);
        List<String> documented = all(ROW, readme);
        assertEquals(new TreeSet<>(documented).size(), documented.size(), "an id listed twice: " + documented);
        assertEquals(new TreeSet<>(used), new TreeSet<>(documented), "README table vs Messages");
        // Every id named anywhere in Messages (javadoc included) is one of its messages.
        assertTrue(used.containsAll(all(ID, source)), "ids in Messages' javadoc without a message");
    }

    private static List<String> all(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.groupCount() > 0 ? m.group(1) : m.group());
        }
        return out;
    }
}
