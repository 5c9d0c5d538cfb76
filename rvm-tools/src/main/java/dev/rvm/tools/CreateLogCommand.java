package dev.rvm.tools;

import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.RvmOptions;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code create-log}: creates a new store (directory, lock file, empty log). Run once by picocli. */
@Command(name = "create-log", mixinStandardHelpOptions = true,
        description = "Create a new store in STORE: the directory and an empty log of the given size.")
final class CreateLogCommand extends StoreCommand {
    @Option(names = {"-s", "--size"}, paramLabel = "SIZE", converter = Sizes.class, defaultValue = "64M",
            description = "Log size, with an optional unit K, M, G, T (default: ${DEFAULT-VALUE}).")
    long size;

    @Override
    public Integer call() {
        Path log = store.resolve(RvmOptions.LOG_FILE_NAME);
        if (Files.exists(log, LinkOption.NOFOLLOW_LINKS)) {
            throw new ToolException(ExitCodes.REFUSED, "refusing to create a log: " + log + " already exists");
        }
        if (Files.exists(store) && !Files.isDirectory(store)) {
            throw new ToolException(ExitCodes.REFUSED, "refusing to create a log: " + store + " is not a directory");
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmOptions.builder(store).logSize(size).build())) {
            out().printf(Locale.ROOT, "created store %s: log %s (%d bytes), store id %016x%n", store.toAbsolutePath(),
                    Sizes.human(size), size, rvm.storeId());
        }
        return ExitCodes.OK;
    }
}
