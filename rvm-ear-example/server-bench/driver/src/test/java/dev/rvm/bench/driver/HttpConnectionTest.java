package dev.rvm.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HttpConnectionTest {
    /** Serves the canned responses in turn, one per request, over as many connections as the client opens. */
    private static final class Canned implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0);
        final List<String> requestLines = new CopyOnWriteArrayList<>();
        final List<Integer> connections = new CopyOnWriteArrayList<>();
        private final Thread thread;

        Canned(List<String> responses) throws IOException {
            thread = new Thread(() -> {
                int next = 0;
                try {
                    while (next < responses.size()) {
                        try (Socket s = server.accept()) {
                            connections.add(next);
                            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                                    StandardCharsets.ISO_8859_1));
                            OutputStream out = s.getOutputStream();
                            while (next < responses.size()) {
                                String line = in.readLine();
                                if (line == null) {
                                    break;
                                }
                                requestLines.add(line);
                                while (!in.readLine().isEmpty()) {
                                    // headers
                                }
                                String r = responses.get(next++);
                                out.write(r.getBytes(StandardCharsets.ISO_8859_1));
                                out.flush();
                                if (r.contains("Connection: close")) {
                                    break;
                                }
                            }
                        }
                    }
                } catch (IOException e) {
                    // the test's assertions report what is missing
                }
            });
            thread.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void readsFixedLengthAndChunkedBodiesOnOneKeptAliveConnection() throws Exception {
        try (Canned c = new Canned(List.of(
                "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n",
                "HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nfail\r\n3\r\ned!\r\n0\r\n\r\n"
        )); HttpConnection h = new HttpConnection("localhost", c.server.getLocalPort())) {
            HttpConnection.Response a = h.send("POST", "/x?a=1");
            HttpConnection.Response b = h.send("GET", "/y");
            assertEquals(200, a.status());
            assertEquals("ok\n", a.body());
            assertEquals(500, b.status());
            assertEquals("failed!", b.body());
            assertEquals(List.of("POST /x?a=1 HTTP/1.1", "GET /y HTTP/1.1"), c.requestLines);
            assertEquals(List.of(0), c.connections);
        }
    }

    @Test
    void reconnectsAfterTheServerAnnouncesClose() throws Exception {
        try (Canned c = new Canned(List.of(
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\na",
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb"
        )); HttpConnection h = new HttpConnection("localhost", c.server.getLocalPort())) {
            assertEquals("a", h.send("GET", "/1").body());
            assertEquals("b", h.send("GET", "/2").body());
            assertEquals(List.of(0, 1), c.connections);
        }
    }
}
