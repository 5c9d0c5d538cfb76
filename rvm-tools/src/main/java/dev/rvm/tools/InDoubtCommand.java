package dev.rvm.tools;

import dev.rvm.core.BranchId;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.inspect.InDoubtBranch;
import dev.rvm.core.inspect.LogInspector;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code in-doubt list|commit|rollback}: branches prepared and without an outcome, and their heuristic
 * resolution by an operator. Listing is read-only; resolving is refused while a process holds the store. Run once
 * by picocli.
 */
@Command(name = "in-doubt", mixinStandardHelpOptions = true,
        description = "List branches in doubt, or resolve one by hand (a heuristic decision).",
        subcommands = {InDoubtCommand.ListBranches.class, InDoubtCommand.CommitBranch.class,
                InDoubtCommand.RollbackBranch.class})
final class InDoubtCommand implements Runnable {
    static final String WARNING = "WARNING: this is a heuristic decision. The transaction manager that prepared this"
            + " branch may have decided otherwise; if so, this resource will disagree with the others in the"
            + " transaction. Resolve by hand only when that manager is gone for good and its outcome is known.";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list, commit or rollback");
    }

    /** Branch ids on the command line: the hex of the id's bytes, as {@code list} prints them. */
    static final class HexId implements CommandLine.ITypeConverter<BranchId> {
        @Override
        public BranchId convert(String value) {
            byte[] b;
            try {
                b = HexFormat.of().parseHex(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("bad branch id '" + value
                        + "': expected the hex of its bytes, as 'in-doubt list' prints it");
            }
            if (b.length == 0 || b.length > BranchId.MAX_LENGTH) {
                throw new CommandLine.TypeConversionException("bad branch id '" + value + "': must be 1.."
                        + BranchId.MAX_LENGTH + " bytes");
            }
            return BranchId.of(b);
        }
    }

    /** {@code in-doubt list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the branches prepared and without an outcome (read-only).")
    static final class ListBranches extends StoreCommand {
        @Option(names = "--json", description = "Machine-readable output: one document listing every branch.")
        boolean json;

        @Override
        public Integer call() {
            List<InDoubtBranch> branches;
            String directory;
            try (LogInspector in = inspect()) {
                branches = in.inDoubt();
                directory = in.directory().toString();
            }
            if (json) {
                StringBuilder b = new StringBuilder("{\"store\":").append(Json.str(directory)).append(",\"branches\":[");
                for (int i = 0; i < branches.size(); i++) {
                    InDoubtBranch x = branches.get(i);
                    b.append(i == 0 ? "" : ",").append("{\"branch\":").append(Json.str(x.id().toString()))
                            .append(",\"prepareLsn\":").append(x.prepareLsn()).append(",\"epoch\":").append(x.epoch())
                            .append(",\"ranges\":").append(x.ranges()).append(",\"bytes\":").append(x.bytes())
                            .append('}');
                }
                out().println(b.append("]}"));
                return ExitCodes.OK;
            }
            if (branches.isEmpty()) {
                out().println("no branches in doubt");
                return ExitCodes.OK;
            }
            out().printf("%-40s %12s %6s %7s %10s%n", "BRANCH (hex)", "PREPARE LSN", "EPOCH", "RANGES", "BYTES");
            for (InDoubtBranch b : branches) {
                out().printf("%-40s %12d %6d %7d %10d%n", b.id(), b.prepareLsn(), b.epoch(), b.ranges(), b.bytes());
            }
            out().println(branches.size() + " branch(es) in doubt; resolve with 'rvm-tools in-doubt commit|rollback "
                    + store + " BRANCH'");
            return ExitCodes.OK;
        }
    }

    /** Shared by commit and rollback. */
    abstract static class Resolve extends StoreCommand {
        @Parameters(index = "1", paramLabel = "BRANCH", converter = HexId.class,
                description = "The branch id in hex, as 'in-doubt list' prints it.")
        BranchId branch;

        Integer resolve(boolean commit) {
            err().println(WARNING);
            try (RecoverableMemory rvm = openForChange(commit ? "commit a branch" : "roll back a branch")) {
                if (commit) {
                    rvm.commitPrepared(branch);
                } else {
                    rvm.rollbackPrepared(branch);
                }
                out().println((commit ? "committed" : "rolled back") + " branch " + branch + "; "
                        + rvm.inDoubt().size() + " branch(es) still in doubt");
            }
            return ExitCodes.OK;
        }
    }

    /** {@code in-doubt commit}. */
    @Command(name = "commit", mixinStandardHelpOptions = true,
            description = "Commit a branch in doubt by hand (heuristic). Refused while a process holds the store.")
    static final class CommitBranch extends Resolve {
        @Override
        public Integer call() {
            return resolve(true);
        }
    }

    /** {@code in-doubt rollback}. */
    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Roll back a branch in doubt by hand (heuristic). Refused while a process holds the store.")
    static final class RollbackBranch extends Resolve {
        @Override
        public Integer call() {
            return resolve(false);
        }
    }
}
