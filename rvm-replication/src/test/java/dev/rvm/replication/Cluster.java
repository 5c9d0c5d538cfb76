package dev.rvm.replication;

import dev.rvm.core.RecoverableMemory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Test helper: a group of in-process members on loopback ports, with their configurations. Not thread-safe. */
final class Cluster implements AutoCloseable {
    /** Election timeouts used by the tests on this (shared, 2-core) machine. */
    static final Duration ELECTION_MIN = Duration.ofMillis(1000);
    static final Duration ELECTION_MAX = Duration.ofMillis(2000);

    final Map<String, String> peers = new LinkedHashMap<>();
    final Map<String, Replica> members = new LinkedHashMap<>();
    final UUID group = UUID.randomUUID();
    final Path dir;
    final long logSize;
    final UnaryOperator<ReplicaConfig.Builder> adjust;

    Cluster(Path dir, int n, long logSize, UnaryOperator<ReplicaConfig.Builder> adjust) throws IOException {
        this.dir = dir;
        this.logSize = logSize;
        this.adjust = adjust;
        for (int i = 0; i < n; i++) {
            peers.put("m" + i, "127.0.0.1:" + freePort());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    ReplicaConfig config(String id) {
        return adjust.apply(ReplicaConfig.builder(id, peers, group, dir.resolve(id)).logSize(logSize)
                .electionTimeout(ELECTION_MIN, ELECTION_MAX)).build();
    }

    Replica start(String id) throws IOException {
        Replica r = Replica.start(config(id));
        members.put(id, r);
        return r;
    }

    void startAll() throws IOException {
        for (String id : peers.keySet()) {
            start(id);
        }
    }

    /** The member that becomes active within {@code timeout}. */
    Replica awaitLeader(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Replica r : members.values()) {
                if (r.state() == Replica.State.ACTIVE) {
                    return r;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no member became active within " + timeout + ": " + statuses());
    }

    RecoverableMemory awaitActiveStore(Duration timeout) throws InterruptedException {
        return awaitLeader(timeout).active().orElseThrow();
    }

    /** Waits until every running member has applied at least {@code index}. */
    void awaitApplied(long index, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean all = true;
            for (Replica r : members.values()) {
                if (r.state() != Replica.State.CLOSED && r.status().appliedIndex() < index) {
                    all = false;
                }
            }
            if (all) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not every member applied index " + index + " within " + timeout + ": "
                        + statuses());
            }
            Thread.sleep(20);
        }
    }

    String statuses() {
        StringBuilder b = new StringBuilder();
        for (Replica r : members.values()) {
            b.append(r.status()).append('\n');
        }
        return b.toString();
    }

    void stop(String id) throws IOException {
        Replica r = members.get(id);
        if (r != null) {
            r.close();
        }
    }

    @Override
    public void close() {
        for (Replica r : members.values()) {
            try {
                r.close();
            } catch (IOException | RuntimeException e) {
                // best effort at the end of a test
            }
        }
    }
}
