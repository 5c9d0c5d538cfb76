package dev.rvm.core.inspect;

import java.util.List;

/**
 * The outcome of {@link LogInspector#verify}: the problems found, in the order they were checked (status block,
 * segments, then the log from head to tail), and how much was checked. Immutable.
 *
 * @param problems problems found; empty if the store is sound
 * @param recordsChecked valid records checked
 * @param bytesChecked log bytes of those records
 * @param segmentsChecked segment files checked
 */
public record VerifyReport(List<Problem> problems, long recordsChecked, long bytesChecked, int segmentsChecked) {

    /** Compact canonical constructor: copies the list. */
    public VerifyReport {
        problems = List.copyOf(problems);
    }

    /** True if nothing is wrong. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** The first problem, or {@code null}. */
    public Problem first() {
        return problems.isEmpty() ? null : problems.get(0);
    }

    /** True if every problem found is one the store repairs by itself at the next open. */
    public boolean recoverable() {
        return problems.stream().allMatch(p -> p.kind().recoverable());
    }

    /** Kinds of problem. */
    public enum Kind {
        /** One status copy is invalid (a torn status write); the next open rewrites it. */
        STATUS_COPY_INVALID(true),
        /** A segment in the table has no file. */
        SEGMENT_MISSING(false),
        /** A segment file is damaged, of another store, or shorter than the table says. */
        SEGMENT_DAMAGED(false),
        /** A record has a valid CRC but a payload that cannot be decoded. */
        RECORD_MALFORMED(false),
        /** A record names a segment the table does not list, or a range past a segment's end. */
        BAD_RANGE(false),
        /** An outcome record refers to a PREPARE that the log does not hold. */
        ORPHAN_OUTCOME(false),
        /** The log ends in a torn record; recovery discards it. */
        TORN_TAIL(true),
        /** An invalid record is followed by durable valid ones; recovery refuses the log. */
        LOG_DAMAGED(false);

        private final boolean recoverable;

        Kind(boolean recoverable) {
            this.recoverable = recoverable;
        }

        /** True if the next open of the store repairs it without losing committed data. */
        public boolean recoverable() {
            return recoverable;
        }
    }

    /**
     * One problem and where it is.
     *
     * @param kind what kind of problem
     * @param lsn LSN of the record concerned, or -1 if not a record
     * @param fileOffset offset in the file concerned, or -1 if not known
     * @param file the file concerned (log or segment file name)
     * @param message one line saying what is wrong
     */
    public record Problem(Kind kind, long lsn, long fileOffset, String file, String message) {
        /** "file at offset N (lsn M)" for messages. */
        public String position() {
            StringBuilder b = new StringBuilder(file);
            if (fileOffset >= 0) {
                b.append(" at offset ").append(fileOffset);
            }
            if (lsn >= 0) {
                b.append(" (lsn ").append(lsn).append(')');
            }
            return b.toString();
        }
    }
}
