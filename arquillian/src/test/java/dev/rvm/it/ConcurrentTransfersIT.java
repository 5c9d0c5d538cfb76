package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many clients transfer at once, through both beans, while the small test log (64 KiB) forces the adapter to
 * truncate it again and again as a managed {@code Work}. Afterwards money is conserved and matches the audit
 * trail, every request got an answer of the ledger (committed or rejected for funds; none failed on a lock or a
 * full log, which is what a stalled truncation would cause), and the counters show truncations.
 */
class ConcurrentTransfersIT extends DeployedLedger {
    private static final int THREADS = 16;
    private static final int TRANSFERS_PER_THREAD = 40;

    @Test
    void concurrentTransfersConserveMoneyAndTruncationKeepsUp() throws Exception {
        List<String> accounts = new ArrayList<>(client.balances().keySet());
        Map<String, Long> before = client.stats();
        long rowsBefore = client.audit().rows();

        Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = 1000 + t;
                done.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    for (int i = 0; i < TRANSFERS_PER_THREAD; i++) {
                        int a = rnd.nextInt(accounts.size());
                        int b = (a + 1 + rnd.nextInt(accounts.size() - 1)) % accounts.size();
                        HttpResponse<String> r = client.transfer(accounts.get(a), accounts.get(b),
                                1 + rnd.nextInt(300), "load", i % 2 == 0 ? "ejb" : "cdi");
                        byStatus.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        if (r.statusCode() != 200 && r.statusCode() != 409) {
                            unexpected.add(r.statusCode() + " " + r.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        Map<String, Long> after = client.stats();
        System.out.println("statuses " + byStatus + " stats " + after);
        assertTrue(unexpected.isEmpty(), unexpected.size() + " failed: " + unexpected.subList(0, Math.min(5,
                unexpected.size())));
        int committed = byStatus.getOrDefault(200, new AtomicInteger()).get();
        assertEquals(THREADS * TRANSFERS_PER_THREAD, committed + byStatus.getOrDefault(409, new AtomicInteger()).get());
        assertEquals(rowsBefore + committed, client.audit().rows(), "one audit row per committed transfer");
        assertTrue(TransactionProtocolIT.delta(before, after, "truncations") >= 1, "truncations " + after);
        assertEquals(0, after.get("inDoubt"));
        assertEquals(0, TransactionProtocolIT.delta(before, after, "lockTimeouts"), after.toString());
        client.assertConsistent();
    }
}
