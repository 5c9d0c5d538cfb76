package dev.rvm.ra.internal;

import dev.rvm.core.CommitMode;
import dev.rvm.core.RvmOptions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The adapter's configuration, validated: each check names the configuration property that is wrong, so a bad
 * deployment fails with a message an operator can act on. Immutable and thread-safe.
 *
 * @param directory the store directory, with {@code ${property}} references resolved
 * @param logSize log size in bytes when the log is created
 * @param truncationThreshold fraction of the log in use that starts a truncation
 * @param lockTimeoutMillis how long {@code setRange} waits for a conflicting range lock
 * @param defaultCommitMode commit mode of local transactions (XA commits always force)
 * @param regions the regions to map, in configuration order
 */
public record StoreConfig(Path directory, long logSize, double truncationThreshold, long lockTimeoutMillis,
                          CommitMode defaultCommitMode, List<RegionSpec> regions) {

    /** Property names, as in {@code ra.xml}. */
    public static final String STORE_DIRECTORY = "storeDirectory";
    /** Property name. */
    public static final String LOG_SIZE = "logSize";
    /** Property name. */
    public static final String TRUNCATION_THRESHOLD = "truncationThreshold";
    /** Property name. */
    public static final String LOCK_TIMEOUT_MILLIS = "lockTimeoutMillis";
    /** Property name. */
    public static final String DEFAULT_COMMIT_MODE = "defaultCommitMode";
    /** Property name. */
    public static final String REGIONS = "regions";

    /** Default log size: 64 MiB. */
    public static final long DEFAULT_LOG_SIZE = 64L * 1024 * 1024;
    /** Default truncation threshold. */
    public static final double DEFAULT_TRUNCATION_THRESHOLD = 0.5;
    /** Default range-lock timeout. */
    public static final long DEFAULT_LOCK_TIMEOUT_MILLIS = 10_000;
    /** Default region definition: one region "main" of 1 MiB at the start of segment "main". */
    public static final String DEFAULT_REGIONS = "main:main:0:1048576";

    private static final long MIN_LOG_SIZE = RvmOptions.MIN_LOG_SIZE;
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    /** Defensive copy. */
    public StoreConfig {
        regions = List.copyOf(regions);
    }

    /**
     * Validates raw property values; {@code null} means "not set" and takes the default.
     *
     * @throws IllegalArgumentException whose message names the bad property
     */
    public static StoreConfig parse(String storeDirectory, Long logSize, Double truncationThreshold,
                                    Long lockTimeoutMillis, String defaultCommitMode, String regions) {
        Path dir = directory(storeDirectory);
        long log = logSize == null ? DEFAULT_LOG_SIZE : logSize;
        if (log < MIN_LOG_SIZE) {
            throw bad(LOG_SIZE, logSize, "must be at least " + MIN_LOG_SIZE + " bytes");
        }
        double threshold = truncationThreshold == null ? DEFAULT_TRUNCATION_THRESHOLD : truncationThreshold;
        if (!(threshold > 0 && threshold <= 1)) {
            throw bad(TRUNCATION_THRESHOLD, truncationThreshold, "must be a fraction in (0, 1]");
        }
        long lock = lockTimeoutMillis == null ? DEFAULT_LOCK_TIMEOUT_MILLIS : lockTimeoutMillis;
        if (lock < 0) {
            throw bad(LOCK_TIMEOUT_MILLIS, lockTimeoutMillis, "must not be negative");
        }
        CommitMode mode;
        String m = defaultCommitMode == null || defaultCommitMode.isBlank() ? "FLUSH"
                : defaultCommitMode.trim().toUpperCase(Locale.ROOT);
        try {
            mode = CommitMode.valueOf(m);
        } catch (IllegalArgumentException e) {
            throw bad(DEFAULT_COMMIT_MODE, defaultCommitMode, "must be FLUSH or NO_FLUSH");
        }
        return new StoreConfig(dir, log, threshold, lock, mode, regions(regions == null ? DEFAULT_REGIONS : regions));
    }

    private static Path directory(String configured) {
        String raw = configured;
        if (raw == null || raw.isBlank()) {
            raw = "${jboss.server.data.dir:" + System.getProperty("java.io.tmpdir") + "}/rvm";
        }
        Matcher mt = EXPRESSION.matcher(raw);
        StringBuilder sb = new StringBuilder();
        while (mt.find()) {
            String value = System.getProperty(mt.group(1), mt.group(2));
            if (value == null) {
                throw bad(STORE_DIRECTORY, configured, "system property " + mt.group(1) + " is not set");
            }
            mt.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        mt.appendTail(sb);
        try {
            return Path.of(sb.toString()).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw bad(STORE_DIRECTORY, configured, e.getMessage());
        }
    }

    /** Parses {@code name:segment:offset:length} entries separated by commas, semicolons or white space. */
    static List<RegionSpec> regions(String text) {
        List<RegionSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : text.trim().split("[,;\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            String[] f = entry.split(":", -1);
            if (f.length != 4) {
                throw bad(REGIONS, text, "entry '" + entry + "' is not name:segment:offset:length");
            }
            if (!NAME.matcher(f[0]).matches() || !NAME.matcher(f[1]).matches()) {
                throw bad(REGIONS, text, "entry '" + entry + "': names are 1-100 of [A-Za-z0-9_.-]");
            }
            long offset;
            long length;
            try {
                offset = Long.parseLong(f[2]);
                length = Long.parseLong(f[3]);
            } catch (NumberFormatException e) {
                throw bad(REGIONS, text, "entry '" + entry + "': offset and length must be numbers");
            }
            if (offset < 0 || length <= 0 || offset > Long.MAX_VALUE - length) {
                throw bad(REGIONS, text, "entry '" + entry + "': offset must be >= 0 and length > 0");
            }
            if (!names.add(f[0])) {
                throw bad(REGIONS, text, "region name '" + f[0] + "' appears twice");
            }
            for (RegionSpec o : out) {
                if (o.segment().equals(f[1]) && offset < o.offset() + o.length() && o.offset() < offset + length) {
                    throw bad(REGIONS, text, "regions '" + o.name() + "' and '" + f[0] + "' overlap in segment '"
                            + f[1] + "'");
                }
            }
            out.add(new RegionSpec(f[0], f[1], offset, length));
        }
        return out;
    }

    /** The exception for a bad property value. */
    public static IllegalArgumentException bad(String property, Object value, String reason) {
        return new IllegalArgumentException(Messages.badProperty(property, value, reason));
    }
}
