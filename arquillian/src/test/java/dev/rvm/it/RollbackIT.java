package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A failed transfer leaves nothing behind in either resource. Each failure happens after the transfer wrote to RVM
 * (and, but for the database error, to the database): an exception from the bean (unknown destination), the
 * transaction marked rollback-only (overdraft), and the database refusing the audit row (memo too long). Run
 * through the EJB and through the CDI {@code @Transactional} bean.
 */
class RollbackIT extends DeployedLedger {

    @ParameterizedTest
    @ValueSource(strings = {"ejb", "cdi"})
    void beanThrowingRollsBackBoth(String via) throws Exception {
        assertNothingRemains(404, "UNKNOWN_ACCOUNT", () -> client.transfer("erin", "nobody", 10, "throws", via));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejb", "cdi"})
    void setRollbackOnlyRollsBackBoth(String via) throws Exception {
        assertNothingRemains(409, "REJECTED", () -> client.transfer("erin", "frank", 1_000_000, "overdraft", via));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejb", "cdi"})
    void databaseFailureRollsBackBoth(String via) throws Exception {
        assertNothingRemains(500, "AUDIT_FAILED", () -> client.transfer("erin", "frank", 10, "m".repeat(101), via));
    }

    private interface Call {
        HttpResponse<String> run() throws Exception;
    }

    private void assertNothingRemains(int status, String marker, Call call) throws Exception {
        Map<String, Long> balances = client.balances();
        LedgerClient.Audit audit = client.audit();
        Map<String, Long> before = client.stats();

        HttpResponse<String> r = call.run();
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().contains(marker), r.body());

        Map<String, Long> after = client.stats();
        assertEquals(1, TransactionProtocolIT.delta(before, after, "aborts"), "RVM rolled back its branch " + after);
        assertEquals(0, TransactionProtocolIT.delta(before, after, "commitsFlush")
                + TransactionProtocolIT.delta(before, after, "commitsPrepared"), "RVM committed nothing " + after);
        assertEquals(balances, client.balances());
        assertEquals(audit, client.audit());
        client.assertConsistent();
    }
}
