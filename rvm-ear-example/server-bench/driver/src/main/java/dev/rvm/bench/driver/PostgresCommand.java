package dev.rvm.bench.driver;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code PostgresCommand start|stop DIR PORT}: starts a fresh PostgreSQL from the binaries unpacked in {@code DIR}
 * (as {@link Postgres} does for the benchmark) and returns, leaving it running; or stops it. For builds that need a
 * PostgreSQL around other steps, such as the integration tests on PostgreSQL ({@code -Dledger.db=postgresql}).
 * Exit code 0 on success, 1 on failure (with the reason on standard error), 2 for bad arguments. Not thread-safe:
 * one command per process.
 */
public final class PostgresCommand {
    private PostgresCommand() {
    }

    /**
     * Runs the command.
     *
     * @param args {@code start|stop DIR PORT}
     */
    public static void main(String[] args) {
        if (args.length != 3 || !(args[0].equals("start") || args[0].equals("stop"))) {
            System.err.println("usage: PostgresCommand start|stop DIR PORT");
            System.exit(2);
            return;
        }
        int port;
        try {
            port = Integer.parseInt(args[2]);
        } catch (NumberFormatException e) {
            System.err.println("PostgresCommand: PORT is not a number: " + args[2]);
            System.exit(2);
            return;
        }
        Postgres pg = new Postgres(Path.of(args[1]), port);
        try {
            if (args[0].equals("start")) {
                pg.start();
                System.out.println("PostgreSQL started on localhost:" + port + " (log " + pg.serverLog() + ")");
            } else {
                pg.stop();
                System.out.println("PostgreSQL on " + args[1] + " stopped");
            }
        } catch (IOException e) {
            System.err.println("PostgresCommand " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
