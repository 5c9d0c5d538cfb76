package dev.rvm.tools;

import dev.rvm.core.RecoverableMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code create-segment}: adds a zero-filled segment to a store. Run once by picocli. */
@Command(name = "create-segment", mixinStandardHelpOptions = true,
        description = "Create a zero-filled segment NAME of the given size in STORE (refused while a process holds"
                + " the store).")
final class CreateSegmentCommand extends StoreCommand {
    @Parameters(index = "1", paramLabel = "NAME", description = "Segment name (letters, digits, '_', '-', '.').")
    String name;

    @Option(names = {"-s", "--size"}, paramLabel = "SIZE", converter = Sizes.class, required = true,
            description = "Segment size, with an optional unit K, M, G, T.")
    long size;

    @Override
    public Integer call() {
        try (RecoverableMemory rvm = openForChange("create a segment")) {
            rvm.createSegment(name, size);
        }
        out().printf("created segment '%s' of %s (%d bytes) in %s%n", name, Sizes.human(size), size, store);
        return ExitCodes.OK;
    }
}
