package dev.rvm.ra.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rvm.core.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The table of rvm-ra/README.md that maps the core's {@code RVM-nnnn} codes to XA codes and the adapter's messages
 * lists every {@link ErrorCode} once, with its stable number and the XA code {@link XaErrors} gives it. Reads the
 * README (the test runs in the module's directory).
 */
class ErrorCodeTableTest {
    /** A row: "| `RVM-1001` | `ILLEGAL_ARGUMENT` | `XAER_INVAL` | ... |". */
    private static final Pattern ROW = Pattern.compile("^\\| `RVM-(\\d{4})` \\| `([A-Z_]+)` \\| `([A-Z_]+)` \\|",
            Pattern.MULTILINE);

    private static Map<String, String[]> rows() throws IOException {
        Map<String, String[]> rows = new HashMap<>();
        Matcher m = ROW.matcher(Files.readString(Path.of("README.md")));
        while (m.find()) {
            String[] previous = rows.put(m.group(2), new String[] {m.group(1), m.group(3)});
            assertNull(previous, "listed twice: " + m.group(2));
        }
        return rows;
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCoreCodeIsListedWithItsNumberAndItsXaCode(ErrorCode code) throws IOException {
        String[] row = rows().get(code.name());
        assertNotNull(row, code + " is missing from the README's table");
        assertEquals(String.valueOf(code.number()), row[0], code + ": number");
        assertEquals(XaErrors.name(XaErrors.codeFor(code)), row[1], code + ": XA code");
    }

    @Test
    void theTableListsNothingElse() throws IOException {
        assertEquals(ErrorCode.values().length, rows().size(), "rows: " + rows().keySet());
    }
}
