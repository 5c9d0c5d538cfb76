package dev.rvm.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Running the commands the driver needs ({@code tar}, {@code initdb}, {@code pg_ctl}, {@code chown}) to completion,
 * with their output in a log file, and failing with that output when they fail. Stateless, thread-safe.
 */
final class Processes {
    private Processes() {
    }

    /** Whether this process runs as root (PostgreSQL refuses to; its commands then run as {@code nobody}). */
    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** {@code command}, prefixed by {@code runuser -u nobody --} when running as root. */
    static List<String> asPostgresUser(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of("runuser", "-u", "nobody", "--"));
        out.addAll(command);
        return out;
    }

    /**
     * Runs {@code command} in {@code dir}, appending its output to {@code log}, and waits up to
     * {@code timeoutSeconds}.
     *
     * @throws IOException naming the command, its exit code and the log's last lines when it fails or times out
     */
    static void run(List<String> command, Path dir, Path log, long timeoutSeconds) throws IOException {
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s; "
                        + tail(log));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + "; " + tail(log));
        }
    }

    /** The last lines of {@code log}, for an error message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "last lines of " + log + ":\n  "
                    + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }
}
