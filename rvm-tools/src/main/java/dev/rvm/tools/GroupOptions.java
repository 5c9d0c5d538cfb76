package dev.rvm.tools;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Option;

/** How the group commands name a replicated store's group. Filled by picocli; not thread-safe. */
final class GroupOptions {
    @Option(names = "--group", required = true, paramLabel = "UUID", description = "The Raft group id.")
    UUID group;

    @Option(names = "--peers", required = true, paramLabel = "ID=HOST:PORT,...", split = ",",
            description = "Every member of the group, this one included, as id=host:port.")
    Map<String, String> peers = new LinkedHashMap<>();
}
