package dev.rvm.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Sizes with units. */
class SizesTest {
    @Test
    void unitsAreBinaryMultiples() {
        assertEquals(4096, Sizes.parse("4096"));
        assertEquals(64L << 10, Sizes.parse("64K"));
        assertEquals(64L << 20, Sizes.parse("64M"));
        assertEquals(64L << 20, Sizes.parse("64MiB"));
        assertEquals(1L << 30, Sizes.parse("1G"));
        assertEquals(1L << 30, Sizes.parse("1gb"));
        assertEquals(2L << 40, Sizes.parse("2T"));
    }

    @Test
    void badUnitsAndOverflowAreRefusedWithTheReason() {
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                () -> Sizes.parse("12Q"));
        assertTrue(e.getMessage().contains("unknown unit 'Q'"), e.getMessage());
        assertThrows(CommandLine.TypeConversionException.class, () -> Sizes.parse("-1M"));
        assertThrows(CommandLine.TypeConversionException.class, () -> Sizes.parse("1.5G"));
        assertThrows(CommandLine.TypeConversionException.class, () -> Sizes.parse("99999999999T"));
    }

    @Test
    void humanSizesUseBinaryUnits() {
        assertEquals("512 B", Sizes.human(512));
        assertEquals("64.0 MiB", Sizes.human(64L << 20));
    }
}
