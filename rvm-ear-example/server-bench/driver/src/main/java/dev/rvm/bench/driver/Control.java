package dev.rvm.bench.driver;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The driver's calls to the deployment's control endpoints ({@code /setup}, {@code /stats}, {@code /totals}), each
 * answered as {@code key=value} lines. Not thread-safe: one connection, used by the main thread.
 */
final class Control implements AutoCloseable {
    /** The deployment's context root. */
    static final String ROOT = "/rvm-bench";

    private final HttpConnection http;

    Control(String host, int port) {
        this.http = new HttpConnection(host, port);
    }

    /** Opens {@code accounts} accounts of {@code opening} in RVM and in each of {@code dbs} (comma-separated). */
    Map<String, Long> setup(int accounts, long opening, String dbs) throws IOException {
        return call("POST", "/setup?accounts=" + accounts + "&opening=" + opening + "&dbs=" + dbs);
    }

    /** The RVM store's counters. */
    Map<String, Long> stats() throws IOException {
        return call("GET", "/stats");
    }

    /** Sums of the balances (RVM and each of {@code dbs}) and audit row counts. */
    Map<String, Long> totals(int accounts, String dbs) throws IOException {
        return call("GET", "/totals?accounts=" + accounts + "&dbs=" + dbs);
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    private Map<String, Long> call(String method, String path) throws IOException {
        HttpConnection.Response r = http.send(method, ROOT + path);
        if (r.status() != 200) {
            throw new IOException(method + " " + ROOT + path + " answered " + r.status() + ": " + r.body().strip());
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : r.body().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
            }
        }
        return out;
    }
}
