package dev.rvm.tools;

import picocli.CommandLine.Option;

/** Options every command takes. Filled by picocli; not thread-safe. */
final class CommonOptions {
    /** When to show progress bars. */
    enum ProgressMode { AUTO, ALWAYS, NEVER }

    @Option(names = "--progress", paramLabel = "WHEN",
            description = "Progress bars: auto (only on a terminal; default), always or never.")
    ProgressMode progress = ProgressMode.AUTO;

    boolean progressEnabled() {
        return progress == ProgressMode.ALWAYS || (progress == ProgressMode.AUTO && System.console() != null);
    }
}
