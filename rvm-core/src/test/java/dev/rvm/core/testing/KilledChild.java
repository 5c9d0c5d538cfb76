package dev.rvm.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child JVM on this test's class path and kills it with SIGKILL ({@link Process#destroyForcibly()}): the
 * harness of the tests that check what survives a killed process. The child prints {@code READY} on stdout once it
 * has opened its store, and appends one line per acknowledged call to an acknowledgement file (the path is passed
 * as its last argument) with one write each, since a SIGKILL keeps every completed write while lines on a pipe
 * were seen to go missing.
 *
 * <p>Stateless; each call uses its own files under the given directory, so calls may run in parallel.
 */
public final class KilledChild {
    private KilledChild() {
    }

    /**
     * Starts {@code mainClass} with {@code args} plus the acknowledgement file, waits for {@code READY} unless
     * {@code early}, sleeps {@code delayMs}, kills it, and returns {@code READY} (if it came) followed by the
     * complete lines of the acknowledgement file. Fails the test (AssertionError) if the child was not ready within
     * 60 s or exited by itself, with its stderr.
     */
    public static List<String> runAndKill(Path dir, int cycle, String mainClass, List<String> args, boolean early,
            int delayMs, String where) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path err = dir.resolve("child-" + cycle + ".err");
        Path ackFile = dir.resolve("child-" + cycle + ".acks");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-XX:+UseSerialGC", "-Xmx64m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        command.add(ackFile.toString());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectError(err.toFile());
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        Object ready = new Object();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    if (line.equals("READY")) {
                        synchronized (ready) {
                            ready.notifyAll();
                        }
                    }
                }
            } catch (IOException e) {
                // the child died mid-line: what was read is what counts
            }
        });
        reader.start();
        if (!early) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            synchronized (ready) {
                while (!hasReady(lines) && p.isAlive() && System.nanoTime() < deadline) {
                    ready.wait(50);
                }
            }
            if (!hasReady(lines)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(where + ": child not ready; stderr: " + Files.readString(err));
            }
        }
        Thread.sleep(delayMs);
        if (!p.isAlive()) {
            throw new AssertionError(where + ": child exited by itself with status " + p.exitValue() + "; stderr: "
                    + Files.readString(err));
        }
        p.destroyForcibly();
        p.waitFor();
        reader.join();
        Files.deleteIfExists(err);
        // The acknowledgement file is the record of what returned; stdout only signals READY.
        List<String> acked = new ArrayList<>();
        if (hasReady(lines)) {
            acked.add("READY");
        }
        if (Files.exists(ackFile)) {
            String text = Files.readString(ackFile, StandardCharsets.UTF_8);
            int complete = text.lastIndexOf('\n') + 1; // a line cut by the kill was not acknowledged
            for (String l : text.substring(0, complete).split("\n")) {
                if (!l.isEmpty() && !l.equals("READY")) {
                    acked.add(l);
                }
            }
            Files.delete(ackFile);
        }
        return acked;
    }

    private static boolean hasReady(List<String> lines) {
        synchronized (lines) {
            return lines.contains("READY");
        }
    }
}
