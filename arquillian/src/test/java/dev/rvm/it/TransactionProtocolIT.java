package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Which commit protocol the transaction manager runs with RVM, read from the store's counters: one phase when RVM
 * is the only resource, two phases when the XA datasource takes part; and that a committed transfer shows in both
 * resources.
 */
class TransactionProtocolIT extends DeployedLedger {

    @Test
    void rvmAloneCommitsInOnePhase() throws Exception {
        Map<String, Long> before = client.stats();
        HttpResponse<String> r = client.probe("rvm-only");
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Long> after = client.stats();
        assertEquals(1, delta(before, after, "commitsFlush"), "one-phase commit " + after);
        assertEquals(0, delta(before, after, "prepares"), "no prepare " + after);
        assertEquals(0, delta(before, after, "commitsPrepared"), after.toString());
        client.assertConsistent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejb", "cdi"})
    void transferWithTheDatabaseCommitsInTwoPhases(String via) throws Exception {
        Map<String, Long> balances = client.balances();
        String from = richest(balances);
        String to = balances.keySet().stream().filter(a -> !a.equals(from)).findFirst().orElseThrow();
        LedgerClient.Audit audit = client.audit();
        Map<String, Long> before = client.stats();

        HttpResponse<String> r = client.transfer(from, to, 42, "two-phase via " + via, via);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"outcome\":\"COMMITTED\""), r.body());

        Map<String, Long> after = client.stats();
        assertEquals(1, delta(before, after, "prepares"), "RVM prepared " + after);
        assertEquals(1, delta(before, after, "commitsPrepared"), "RVM committed the prepared branch " + after);
        assertEquals(0, delta(before, after, "commitsFlush"), "no one-phase commit " + after);
        assertEquals(0, after.get("inDoubt"));
        Map<String, Long> now = client.balances();
        assertEquals(balances.get(from) - 42, now.get(from));
        assertEquals(balances.get(to) + 42, now.get(to));
        assertEquals(audit.rows() + 1, client.audit().rows());
        client.assertConsistent();
    }

    /** The account with the highest balance: other test classes may have drained any given one. */
    static String richest(Map<String, Long> balances) {
        return balances.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    static long delta(Map<String, Long> before, Map<String, Long> after, String key) {
        return after.get(key) - before.get(key);
    }
}
