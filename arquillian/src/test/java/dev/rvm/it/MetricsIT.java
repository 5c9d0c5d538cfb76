package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RVM's figures in WildFly's {@code /metrics} (Prometheus text from the micrometer subsystem on the management port,
 * configured by {@code micrometer.cli}): named by Prometheus's conventions, and moving with transfers made through
 * the example's API. The management-model metrics that WildFly exported before (the datasource's pool) are still
 * there.
 */
class MetricsIT extends DeployedLedger {
    private static final String METRICS = "http://127.0.0.1:" + MANAGEMENT_PORT + "/metrics";
    private static final int TRANSFERS = 3;

    @Test
    void rvmFiguresAreInMetricsAndMoveWithTransfers() throws Exception {
        PrometheusScrape before = PrometheusScrape.of(METRICS);
        String from = TransactionProtocolIT.richest(client.balances());
        String to = from.equals("heidi") ? "grace" : "heidi";
        for (int i = 0; i < TRANSFERS; i++) {
            HttpResponse<String> r = client.transfer(from, to, 1, "metrics " + i, "ejb");
            assertEquals(200, r.statusCode(), r.body());
        }
        PrometheusScrape after = PrometheusScrape.of(METRICS);

        // Each transfer is two-phase (RVM and the audit database): one prepare and one second-phase commit each.
        assertEquals(TRANSFERS, delta(before, after, "rvm_commits_total", "kind", "prepared"));
        assertEquals(TRANSFERS, delta(before, after, "rvm_prepares_total", "vote", "prepared"));
        assertEquals(0, delta(before, after, "rvm_aborts_total"));
        assertEquals(0, after.value("rvm_in_doubt"));
        assertEquals(0, after.value("rvm_in_doubt_oldest_seconds"), "no branch in doubt, no age");
        double forces = delta(before, after, "rvm_log_forces_total");
        assertTrue(forces >= TRANSFERS, "forces " + forces);
        assertTrue(delta(before, after, "rvm_log_written_bytes_total") > 0);
        assertTrue(after.value("rvm_log_used_bytes") > 0);
        assertTrue(after.value("rvm_log_capacity_bytes") >= after.value("rvm_log_used_bytes"));
        double use = after.value("rvm_log_use_ratio");
        assertTrue(use > 0 && use <= 1, "log use " + use);
        for (String counter : List.of("rvm_log_truncations_total", "rvm_lock_waits_total", "rvm_lock_timeouts_total",
                "rvm_log_saved_bytes_total")) {
            assertTrue(after.has(counter), counter);
        }
        assertTrue(after.has("rvm_log_truncation_seconds_count") && after.has("rvm_log_truncation_seconds_sum"));

        // Latency: every prepare, second phase and force was timed into its histogram.
        for (String op : List.of("prepare", "commit_prepared")) {
            assertEquals(TRANSFERS, delta(before, after, "rvm_commit_latency_seconds_count", "operation", op), op);
            assertEquals(TRANSFERS, delta(before, after, "rvm_commit_latency_buckets_total", "operation", op,
                    "le", "+Inf"), op);
            assertTrue(delta(before, after, "rvm_commit_latency_seconds_sum", "operation", op) > 0, op);
            assertCumulative(after.all("rvm_commit_latency_buckets_total", "operation", op));
        }
        assertEquals(forces, delta(before, after, "rvm_log_force_latency_seconds_count"));
        assertEquals(forces, delta(before, after, "rvm_log_force_latency_buckets_total", "le", "+Inf"));

        assertEquals("counter", after.type("rvm_commits_total"));
        assertEquals("counter", after.type("rvm_commit_latency_buckets_total"));
        assertEquals("gauge", after.type("rvm_log_used_bytes"));
        assertEquals("gauge", after.type("rvm_in_doubt"));
        assertEquals("gauge", after.type("rvm_in_doubt_oldest_seconds"));
        assertEquals("gauge", after.type("rvm_commits_unforced_oldest_seconds"));
        assertEquals(0, after.value("rvm_commits_unforced_oldest_seconds"), "every commit of the ledger is durable");
        // WildFly's own management-model metrics are still exported beside RVM's.
        assertTrue(after.has("datasources_pool_active_count"), "datasource pool metrics");
    }

    private static double delta(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    /** Bucket counts never decrease as {@code le} grows, and {@code +Inf} holds them all. */
    private static void assertCumulative(List<PrometheusScrape.Sample> buckets) {
        List<PrometheusScrape.Sample> sorted = buckets.stream().sorted((a, b) -> Double.compare(le(a), le(b))).toList();
        for (int i = 1; i < sorted.size(); i++) {
            assertTrue(sorted.get(i).value() >= sorted.get(i - 1).value(), sorted.toString());
        }
        assertEquals("+Inf", sorted.get(sorted.size() - 1).labels().get("le"));
    }

    private static double le(PrometheusScrape.Sample s) {
        String le = s.labels().get("le");
        return "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }
}
