package dev.rvm.example.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the start-up check reads a recovery file of WildFly's transaction client (pairs of lines: the other server's
 * URI, then the branch's Xid in hex, as FileSystemXAResourceRegistry writes them) and compares its address with the
 * outbound binding's. The check in a running server is exercised by TwoServersCrashIT.
 */
class PeerRecoveryCheckTest {
    @TempDir
    Path dir;

    @Test
    void readsTheUriOfEachRecordAndSkipsTheXids() throws Exception {
        Path f = dir.resolve("0_1a2b_3c4d");
        Files.writeString(f, "remote+http://localhost:22080\n131077:0a0b:0c0d\nremote+http://127.0.0.1:22081\n"
                + "131077:0e0f:1011\n", StandardCharsets.UTF_8);
        assertEquals(List.of(URI.create("remote+http://localhost:22080"), URI.create("remote+http://127.0.0.1:22081")),
                PeerRecoveryCheck.uris(f));
    }

    @Test
    void anAddressIsTheSamePlaceOnlyWithTheSamePortAndHost() {
        URI uri = URI.create("remote+http://localhost:22080");
        assertTrue(PeerRecoveryCheck.samePlace(uri, "localhost", 22080));
        assertTrue(PeerRecoveryCheck.samePlace(uri, "127.0.0.1", 22080), "compared by address");
        assertFalse(PeerRecoveryCheck.samePlace(uri, "localhost", 22081), "moved to another port");
        assertFalse(PeerRecoveryCheck.samePlace(uri, "192.0.2.1", 22080), "moved to another host");
    }
}
