package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * JTA's REQUIRES_NEW with RVM on both sides, in WildFly: a {@code REQUIRED} session bean writes RVM and the
 * database, then calls, on the same thread, a {@code REQUIRES_NEW} session bean or a CDI
 * {@code @Transactional(REQUIRES_NEW)} bean that writes other RVM bytes and its own audit row (Narayana suspends the
 * caller's transaction without ending its RVM branch), or a {@code NOT_SUPPORTED} bean. After each scenario exactly
 * what each outcome says is there, in RVM and in the database; nothing is in doubt on either side; every byte the
 * run wrote can be locked again at once.
 */
class RequiresNewIT extends DeployedLedger {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Runs of one build must not meet the runs of an earlier build kept in the same server's data. */
    private static final AtomicInteger RUNS = new AtomicInteger(new Random().nextInt(15_000));

    @Deployment(name = "nesting", order = 4, testable = false)
    static WebArchive nesting() {
        return Deployments.nesting();
    }

    @ParameterizedTest(name = "{0} via {1}")
    @CsvSource(delimiter = '|', value = {
        "inner-commits-outer-rolls-back | ejb | inner                    | outer marked rollback-only",
        "inner-commits-outer-rolls-back | cdi | inner                    | outer marked rollback-only",
        "inner-rolls-back-outer-commits | ejb | outer outer-after        | inner threw",
        "inner-rolls-back-outer-commits | cdi | outer outer-after        | inner threw",
        "both-commit                    | ejb | inner outer outer-after  | ''",
        "both-commit                    | cdi | inner outer outer-after  | ''",
        "nested-twice                   | ejb | inner2 outer outer-after | inner threw",
        "nested-twice                   | cdi | inner2 outer outer-after | inner threw",
        "not-supported                  | ejb | outer outer-after        | NO_TRANSACTION"})
    void eachTransactionKeepsExactlyItsOwnOutcome(String scenario, String via, String expected, String seen)
            throws Exception {
        int run = RUNS.incrementAndGet();
        assertEquals("slots= audit=", state(run), "run " + run + " is fresh");
        Map<String, Long> before = client.stats();

        HttpResponse<String> r = post("run?scenario=" + scenario + "&run=" + run + "&via=" + via);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains(seen), r.body());

        String sorted = String.join(",", Arrays.stream(expected.split(" ")).sorted().toList());
        assertEquals("slots=" + sorted + " audit=" + sorted, state(run), scenario + " via " + via);
        Map<String, Long> after = client.stats();
        assertEquals(0, after.get("inDoubt"), "RVM branches in doubt " + after);
        assertEquals(0, client.databaseInDoubt(), "database branches in doubt");
        assertEquals(0, TransactionProtocolIT.delta(before, after, "lockTimeouts") + TransactionProtocolIT.delta(
                before, after, "deadlocks"), "no transaction waited for a set-aside one " + after);
        HttpResponse<String> lock = post("lock?run=" + run);
        assertEquals(200, lock.statusCode(), "a lock is left on run " + run + ": " + lock.body());
    }

    private String state(int run) throws Exception {
        HttpResponse<String> r = client.get("rvm-nesting/nesting/state?run=" + run);
        assertEquals(200, r.statusCode(), r.body());
        String[] parts = r.body().split(" audit=", 2);
        String audit = String.join(",", Arrays.stream(parts[1].split(",")).filter(s -> !s.isEmpty()).sorted()
                .toList());
        return parts[0] + " audit=" + audit;
    }

    private static HttpResponse<String> post(String action) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORT + "/rvm-nesting/nesting/"
                + action)).timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
