package dev.rvm.tools;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Byte sizes on the command line: a whole number with an optional binary unit ({@code K}, {@code M}, {@code G},
 * {@code T}, also written {@code KB}/{@code KiB}...), as in {@code 64M}; and back to text for output. Stateless.
 */
public final class Sizes implements CommandLine.ITypeConverter<Long> {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([A-Za-z]*)");

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    /**
     * Parses a size.
     *
     * @throws CommandLine.TypeConversionException with a one-line explanation
     */
    public static long parse(String value) {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw bad(value, "not a number with an optional unit");
        }
        long shift;
        switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "":
            case "B":
                shift = 0;
                break;
            case "K":
            case "KB":
            case "KIB":
                shift = 10;
                break;
            case "M":
            case "MB":
            case "MIB":
                shift = 20;
                break;
            case "G":
            case "GB":
            case "GIB":
                shift = 30;
                break;
            case "T":
            case "TB":
            case "TIB":
                shift = 40;
                break;
            default:
                throw bad(value, "unknown unit '" + m.group(2) + "'");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw bad(value, "too large");
        }
        if (n > (Long.MAX_VALUE >> shift)) {
            throw bad(value, "too large");
        }
        return n << shift;
    }

    private static CommandLine.TypeConversionException bad(String value, String why) {
        return new CommandLine.TypeConversionException("bad size '" + value + "': " + why
                + "; use a whole number with an optional unit K, M, G or T (e.g. 64M)");
    }

    /** "64.0 MiB" style, exact bytes below 1 KiB. */
    public static String human(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
