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
 * through the EJB and through the CDI {@code @Transactional} bean. An overdraft is recorded by the example in a
 * transaction of its own ({@code REQUIRES_NEW}, RVM and the database), which must survive the transfer's rollback.
 */
class RollbackIT extends DeployedLedger {

    @ParameterizedTest
    @ValueSource(strings = {"ejb", "cdi"})
    void beanThrowingRollsBackBoth(String via) throws Exception {
        assertNothingRemains(404, "UNKNOWN_ACCOUNT", 0, () -> client.transfer("erin", "nobody", 10, "throws", via));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejb", "cdi"})
    void setRollbackOnlyRollsBackBoth(String via) throws Exception {
        Map<String, Long> rejected = client.rejections();
        assertNothingRemains(409, "REJECTED", 1, () -> client.transfer("erin", "frank", 1_000_000, "overdraft", via));
        Map<String, Long> after = client.rejections();
        // The example records the rejection in a REQUIRES_NEW transaction, which survives the transfer's rollback.
        assertEquals(rejected.get("count") + 1, after.get("count"), "rejections counted in RVM " + after);
        assertEquals(rejected.get("amount") + 1_000_000, after.get("amount"), after.toString());
        assertEquals(rejected.get("rows") + 1, after.get("rows"), "rejection rows in the database " + after);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejb", "cdi"})
    void databaseFailureRollsBackBoth(String via) throws Exception {
        assertNothingRemains(500, "AUDIT_FAILED", 0, () -> client.transfer("erin", "frank", 10, "m".repeat(101), via));
    }

    private interface Call {
        HttpResponse<String> run() throws Exception;
    }

    /** {@code commitsByRvm}: RVM commits expected besides the rolled-back transfer (a rejection's own record). */
    private void assertNothingRemains(int status, String marker, int commitsByRvm, Call call) throws Exception {
        Map<String, Long> balances = client.balances();
        LedgerClient.Audit audit = client.audit();
        Map<String, Long> before = client.stats();

        HttpResponse<String> r = call.run();
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().contains(marker), r.body());

        Map<String, Long> after = client.stats();
        assertEquals(1, TransactionProtocolIT.delta(before, after, "aborts"), "RVM rolled back its branch " + after);
        assertEquals(commitsByRvm, TransactionProtocolIT.delta(before, after, "commitsFlush")
                + TransactionProtocolIT.delta(before, after, "commitsPrepared"), "RVM's commits " + after);
        assertEquals(balances, client.balances());
        assertEquals(audit, client.audit());
        client.assertConsistent();
    }
}
