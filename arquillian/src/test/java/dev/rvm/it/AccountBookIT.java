package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Accounts are opened and closed at run time (the ledger keeps them by name in a recoverable hash map): an opened
 * account takes part in transfers, cannot be closed while it holds money, is closed once empty, and the ledger's
 * invariants hold throughout. Leaves the ledger with its opening accounts, as the other tests expect.
 */
class AccountBookIT extends DeployedLedger {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String BASE = "http://127.0.0.1:" + HTTP_PORT + "/rvm-ledger/api/accounts";

    private static HttpResponse<String> open(String name) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(BASE)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=" + name)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> close(String name) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/" + name)).timeout(Duration.ofSeconds(60))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAccountOpenedAtRunTimeTakesTransfersAndClosesOnlyWhenEmpty() throws Exception {
        client.assertConsistent();
        assertEquals(201, open("ivan").statusCode());
        assertEquals(409, open("ivan").statusCode(), "already open");
        assertEquals(0L, client.balances().get("ivan"));

        HttpResponse<String> in = client.transfer("alice", "ivan", 30, "to the new account", "ejb");
        assertEquals(200, in.statusCode(), in.body());
        assertEquals(30L, client.balances().get("ivan"));
        HttpResponse<String> notEmpty = close("ivan");
        assertEquals(400, notEmpty.statusCode(), notEmpty.body());

        HttpResponse<String> back = client.transfer("ivan", "alice", 30, "back", "cdi");
        assertEquals(200, back.statusCode(), back.body());
        assertEquals(204, close("ivan").statusCode());
        assertEquals(404, close("ivan").statusCode(), "closed already");
        assertFalse(client.balances().containsKey("ivan"));
        assertEquals(404, client.transfer("alice", "ivan", 1, "closed", "ejb").statusCode());
        client.assertConsistent();
    }
}
