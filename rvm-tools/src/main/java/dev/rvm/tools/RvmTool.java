package dev.rvm.tools;

import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of {@code java -jar rvm-tools.jar <command>}: wires the commands, the size converter and the error
 * handler that keeps every failure to one line. {@link #commandLine()} builds a fresh, independent instance (tests
 * run commands in-process with it); an instance runs one command on one thread.
 */
@Command(name = "rvm-tools", mixinStandardHelpOptions = true, version = "rvm-tools 0.1.0",
        description = "Inspect, check and repair an RVM store; run a witness of a replicated store and show its group.",
        subcommands = {CreateLogCommand.class, CreateSegmentCommand.class, StatusCommand.class, DumpCommand.class,
                VerifyCommand.class, RecoverCommand.class, TruncateCommand.class, InDoubtCommand.class,
                StatsCommand.class, BenchCommand.class, WitnessCommand.class, GroupStatusCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok/clean, 1 needs attention, 2 bad command line, 3 not a store,",
                "4 damaged, 5 held by a running process, 6 I/O error, 7 refused, 70 internal error."})
public final class RvmTool implements Runnable {
    /** Held so the level set in {@link #main} sticks (loggers are weakly referenced). */
    private static final Logger ENGINE_LOG = Logger.getLogger("dev.rvm.core");

    @Spec
    CommandSpec spec;

    /** Use {@link #commandLine()}. */
    RvmTool() {
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** A command line with the tool's handlers installed; set its out/err to capture output. */
    public static CommandLine commandLine() {
        ErrorHandler handler = new ErrorHandler();
        return new CommandLine(new RvmTool())
                .setExecutionExceptionHandler(handler)
                .setParameterExceptionHandler(handler)
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Runs one command and exits with its code. */
    public static void main(String[] args) {
        // The tool reports what the engine did itself; the engine's INFO lines would repeat it on stderr.
        ENGINE_LOG.setLevel(Level.WARNING);
        // Ratis (witness, group-status) logs through SLF4J to standard error: warnings and errors only.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.exit(commandLine().execute(args));
    }
}
