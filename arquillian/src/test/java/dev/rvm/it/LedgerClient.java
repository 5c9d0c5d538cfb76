package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example's REST API and the probe, from the test's side of the wire; parses the few JSON shapes the API
 * returns with regular expressions (flat objects of names and numbers). Thread-safe.
 */
final class LedgerClient {
    static final long OPENING_BALANCE = 1_000;
    static final int ACCOUNTS = 8;

    private static final Pattern BALANCE = Pattern.compile("\\{\"account\":\"([^\"]+)\",\"balance\":(-?\\d+)}");
    private static final Pattern NUMBER = Pattern.compile("\"([A-Za-z]+)\":(-?\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String base;

    /** @param httpPort the server's HTTP port (8080 plus its port offset) */
    LedgerClient(int httpPort) {
        this.base = "http://127.0.0.1:" + httpPort + "/";
    }

    /** Balances by account, in ledger order. */
    Map<String, Long> balances() throws IOException, InterruptedException {
        HttpResponse<String> r = get("rvm-ledger/api/accounts");
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Long> out = new LinkedHashMap<>();
        Matcher m = BALANCE.matcher(r.body());
        while (m.find()) {
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return out;
    }

    /** The RVM store's counters, by the names of {@code dev.rvm.core.Statistics}. */
    Map<String, Long> stats() throws IOException, InterruptedException {
        HttpResponse<String> r = get("rvm-ledger/api/stats");
        assertEquals(200, r.statusCode(), r.body());
        return numbers(r.body());
    }

    /** The rejected transfers: {@code count} and {@code amount} from RVM, {@code rows} from the database. */
    Map<String, Long> rejections() throws IOException, InterruptedException {
        HttpResponse<String> r = get("rvm-ledger/api/rejections");
        assertEquals(200, r.statusCode(), r.body());
        return numbers(r.body());
    }

    /** The audit trail: {@code rows}, {@code totalAmount}, and the net movement per account. */
    Audit audit() throws IOException, InterruptedException {
        HttpResponse<String> r = get("rvm-ledger/api/audit");
        assertEquals(200, r.statusCode(), r.body());
        String body = r.body();
        int net = body.indexOf("\"netByAccount\":{");
        int end = body.indexOf('}', net);
        Map<String, Long> top = numbers(body.substring(0, net) + body.substring(end + 1));
        return new Audit(top.get("rows"), top.get("totalAmount"), numbers(body.substring(net + 16, end)));
    }

    /** POSTs a transfer; returns status and body. */
    HttpResponse<String> transfer(String from, String to, long amount, String memo, String via)
            throws IOException, InterruptedException {
        return postTransfer("rvm-ledger/api/transfers", Duration.ofSeconds(60), from, to, amount, memo, via);
    }

    /** POSTs a transfer from this server's {@code from} to the other server's {@code to}; status and body. */
    HttpResponse<String> peerTransfer(String from, String to, long amount, String memo, String via)
            throws IOException, InterruptedException {
        return postTransfer("rvm-ledger/api/peer-transfers", Duration.ofSeconds(90), from, to, amount, memo, via);
    }

    private HttpResponse<String> postTransfer(String path, Duration timeout, String from, String to, long amount,
                                              String memo, String via) throws IOException, InterruptedException {
        String form = "from=" + enc(from) + "&to=" + enc(to) + "&amount=" + amount + "&via=" + enc(via)
                + (memo == null ? "" : "&memo=" + enc(memo));
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(timeout)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a form to the two-server probe ({@code rvm-two-probe/two/ACTION}); status and body. */
    HttpResponse<String> twoProbe(String action, String form) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "rvm-two-probe/two/" + action))
                        .timeout(Duration.ofSeconds(120))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs to the probe deployment. */
    HttpResponse<String> probe(String action) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "rvm-probe/probe/" + action))
                        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GETs from the probe deployment; returns the body of a 200 answer. */
    String probeGet(String action) throws IOException, InterruptedException {
        HttpResponse<String> r = get("rvm-probe/probe/" + action);
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** Prepared transactions the audit database holds without an outcome. */
    long databaseInDoubt() throws IOException, InterruptedException {
        return Long.parseLong(probeGet("db-in-doubt").trim());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The invariants of the ledger: money is neither made nor lost, and every balance is its opening balance plus
     * what the audit trail says moved in and out of it.
     */
    void assertConsistent() throws IOException, InterruptedException {
        Map<String, Long> balances = balances();
        Audit audit = audit();
        assertEquals(ACCOUNTS, balances.size(), balances.toString());
        assertEquals(ACCOUNTS * OPENING_BALANCE, balances.values().stream().mapToLong(Long::longValue).sum(),
                "sum of balances " + balances);
        for (Map.Entry<String, Long> e : balances.entrySet()) {
            assertEquals(OPENING_BALANCE + audit.net().getOrDefault(e.getKey(), 0L), e.getValue(),
                    "balance of " + e.getKey() + " vs audit trail " + audit + ", balances " + balances);
        }
    }

    private static Map<String, Long> numbers(String json) {
        Map<String, Long> out = new LinkedHashMap<>();
        Matcher m = NUMBER.matcher(json);
        while (m.find()) {
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * The audit trail in numbers.
     *
     * @param rows rows written
     * @param total sum of amounts
     * @param net per account, credits minus debits
     */
    record Audit(long rows, long total, Map<String, Long> net) {
    }
}
