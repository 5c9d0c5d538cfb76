package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The chaos server as {@link ChaosIT} sees it from outside: its JVM among this JVM's children, its log, and copies of
 * what each kill left on disk. Stateless; everything is found from {@code wildfly.chaos.home}.
 */
final class ChaosServer {
    private static final Path HOME = Path.of(System.getProperty("wildfly.chaos.home", "."));
    private static final Path LOG = HOME.resolve("standalone/log/server.log");

    private ChaosServer() {
    }

    /** The server's JVM, a child of this one started by Arquillian: the java process of its jboss.home. */
    static ProcessHandle process() {
        List<ProcessHandle> found = processes();
        assertEquals(1, found.size(), "one chaos server process: " + found);
        return found.get(0);
    }

    /** The server's JVM as soon as it appears, within 60 s. */
    static ProcessHandle awaitProcess() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> found = processes();
            if (!found.isEmpty()) {
                return found.get(0);
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no chaos server process within 60 s");
    }

    private static List<ProcessHandle> processes() {
        return ServerProcess.of(HOME);
    }

    /** How long the server log is now: where the next boot's lines will start. */
    static long logSize() throws IOException {
        return Files.exists(LOG) ? Files.size(LOG) : 0;
    }

    /** The server log from byte {@code offset} on (all of it if the log was rotated meanwhile). */
    static String logFrom(long offset) throws IOException {
        if (!Files.exists(LOG)) {
            return "";
        }
        byte[] all = Files.readAllBytes(LOG);
        int from = offset <= all.length ? (int) offset : 0;
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    /** The adapter's and the transaction manager's recovery lines of the log (the last 40), for a failure message. */
    static String recoveryLog() {
        return "server.log (recovery): " + logLines(l -> l.contains("RVM0001") || l.contains("ARJUNA01")
                || l.contains("WFLYSRV0025"), 40);
    }

    /** The ERROR lines and RVM errors of the log (the last 12), for a failure message. */
    static String logErrors() {
        return "server.log: " + logLines(l -> l.contains(" ERROR ") || l.contains("RVM-"), 12);
    }

    private static String logLines(Predicate<String> filter, int last) {
        try {
            List<String> hits = Files.readAllLines(LOG).stream().filter(filter).collect(Collectors.toList());
            return String.join("\n", hits.subList(Math.max(0, hits.size() - last), hits.size()));
        } catch (IOException e) {
            return "unreadable: " + e;
        }
    }

    /**
     * Copies what the killed server left on disk — RVM's store, the audit database, the transaction manager's log —
     * to {@code target/chaos-stores/cycle-N} before the restart changes it, keeping the last three cycles: after an
     * inconsistency, {@code rvm-tools dump} on the copy shows the log as the crash left it.
     */
    static void keepStores(int cycle) throws IOException {
        Path data = HOME.resolve("standalone/data");
        Path keep = storesKept(cycle);
        for (String d : List.of("rvm", "rvm-ledger", "tx-object-store")) {
            Path from = data.resolve(d);
            if (Files.isDirectory(from)) {
                try (var files = Files.walk(from)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path to = keep.resolve(d).resolve(from.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(to);
                        } else if (!f.getFileName().toString().endsWith(".lock")) {
                            Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
        }
        Path old = storesKept(cycle - 3);
        if (Files.isDirectory(old)) {
            try (var files = Files.walk(old)) {
                for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(f);
                }
            }
        }
    }

    /** Where {@link #keepStores} put cycle {@code cycle}'s copy. */
    static Path storesKept(int cycle) {
        return HOME.getParent().getParent().resolve("chaos-stores").resolve("cycle-" + cycle);
    }
}
