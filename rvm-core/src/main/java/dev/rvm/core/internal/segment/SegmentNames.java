package dev.rvm.core.internal.segment;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Which segment names are acceptable. A name becomes a file name in the store's {@code segments/} directory, so it
 * may not contain separators, start with a dot (no {@code ..}, no hidden files) or be long. Stateless.
 */
public final class SegmentNames {
    /** Longest name, in UTF-8 bytes. */
    public static final int MAX_LENGTH = 100;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    /** File name suffix of segment files. */
    public static final String SUFFIX = ".seg";

    private SegmentNames() {
    }

    /** Returns {@code name} if acceptable, else throws {@link ErrorCode#BAD_SEGMENT_NAME} saying why. */
    public static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw bad(name, "it is empty");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            throw bad(name, "it is longer than " + MAX_LENGTH + " bytes");
        }
        if (name.contains("/") || name.contains("\\")) {
            throw bad(name, "it contains a path separator; absolute paths and subdirectories are not allowed");
        }
        if (name.contains("..")) {
            throw bad(name, "it contains '..'");
        }
        if (!NAME.matcher(name).matches()) {
            throw bad(name, "only letters, digits, '_', '-' and '.' are allowed, and it may not start with '.' or '-'");
        }
        return name;
    }

    private static RvmException bad(String name, String why) {
        return new RvmException(ErrorCode.BAD_SEGMENT_NAME, "segment name '" + name + "' refused: " + why);
    }
}
