package dev.rvm.tools;

import dev.rvm.core.RvmException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns every failure into one line on standard error and an exit code from {@link ExitCodes}: engine errors by
 * their code, bad command lines as usage errors, I/O errors as such, anything else as an internal error. Never
 * prints a stack trace (set {@code RVM_TOOLS_DEBUG=1} to get one). Stateless; thread-safe.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final String PREFIX = "rvm-tools: ";

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        debug(ex, cmd);
        if (ex instanceof RvmException) {
            RvmException e = (RvmException) ex;
            cmd.getErr().println(PREFIX + e.getMessage());
            return ExitCodes.of(e.code());
        }
        if (ex instanceof CommandLine.ParameterException) {
            return handleParseException((CommandLine.ParameterException) ex, new String[0]);
        }
        if (ex instanceof IOException || ex instanceof UncheckedIOException) {
            Throwable io = ex instanceof UncheckedIOException ? ex.getCause() : ex;
            cmd.getErr().println(PREFIX + "I/O error: " + io);
            return ExitCodes.IO;
        }
        if (ex instanceof ToolException) {
            cmd.getErr().println(PREFIX + ex.getMessage());
            return ((ToolException) ex).exitCode();
        }
        cmd.getErr().println(PREFIX + "internal error: " + ex);
        return ExitCodes.INTERNAL;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        debug(ex, cmd);
        cmd.getErr().println(PREFIX + ex.getMessage() + " (try '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        return ExitCodes.USAGE;
    }

    private static void debug(Exception ex, CommandLine cmd) {
        if (System.getenv("RVM_TOOLS_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
        }
    }
}
