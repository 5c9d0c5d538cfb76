package dev.rvm.tools;

import dev.rvm.replication.Replica;
import dev.rvm.replication.ReplicaConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code witness}: runs one member of a replicated store with no application — the third vote of a group whose two
 * other members are application servers. It keeps a full copy (it applies every committed entry to its own store
 * directory) and has the lowest Raft priority, so when it is elected it hands the leadership to an up-to-date
 * application member. Runs until the process is stopped (SIGTERM, Ctrl-C), then closes the member. Run once by
 * picocli.
 */
@Command(name = "witness", mixinStandardHelpOptions = true,
        description = "Run a member of a replicated store with no application (a witness: a vote and a copy) until"
                + " stopped. Every member must list this one in --witnesses too.")
final class WitnessCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GroupOptions groupOptions;

    @Option(names = "--id", required = true, description = "This member's id (one of --peers).")
    String id;

    @Option(names = "--dir", required = true, paramLabel = "DIR",
            description = "This member's directory (DIR/store: its copy of the store, DIR/raft: its Raft log).")
    Path dir;

    @Option(names = "--witnesses", split = ",", paramLabel = "ID,...",
            description = "The members that are witnesses (default: this one); the same on every member.")
    Set<String> witnesses = new LinkedHashSet<>();

    @Option(names = "--log-size", paramLabel = "SIZE", converter = Sizes.class, defaultValue = "64M",
            description = "The store's log size, the same on every member (default 64M).")
    long logSize;

    @Option(names = "--election-timeout-ms", paramLabel = "MIN-MAX", description = "Election timeouts (default 1000-2000).")
    String electionTimeout = "1000-2000";

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (witnesses.isEmpty()) {
            witnesses.add(id);
        }
        String[] t = electionTimeout.split("-", 2);
        if (t.length != 2) {
            throw new ToolException(ExitCodes.USAGE, "--election-timeout-ms must be MIN-MAX, got " + electionTimeout);
        }
        ReplicaConfig config = ReplicaConfig.builder(id, groupOptions.peers, groupOptions.group, dir)
                .logSize(logSize).witnesses(witnesses)
                .electionTimeout(Duration.ofMillis(Long.parseLong(t[0].trim())), Duration.ofMillis(Long.parseLong(t[1].trim())))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Replica member = Replica.start(config);
        Thread hook = new Thread(() -> {
            try {
                member.close();
            } catch (IOException | RuntimeException e) {
                spec.commandLine().getErr().println(ErrorHandler.PREFIX + "closing the witness: " + e);
            }
            stopped.countDown();
        }, "rvm-witness-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        out.println("witness " + id + " of group " + groupOptions.group + " running at " + member.address()
                + " (directory " + dir + "); stop it with SIGTERM or Ctrl-C");
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
