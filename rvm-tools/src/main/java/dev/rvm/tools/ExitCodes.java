package dev.rvm.tools;

import dev.rvm.core.ErrorCode;

/**
 * The exit codes of {@code rvm-tools}, stable so that scripts can test them. Stateless.
 *
 * <table>
 *   <caption>exit codes</caption>
 *   <tr><td>0</td><td>success; for status and verify: the store is clean</td></tr>
 *   <tr><td>1</td><td>the store needs attention but is not damaged (branches in doubt, a torn tail, a torn status
 *       copy: recovery handles them)</td></tr>
 *   <tr><td>2</td><td>bad command line (unknown option, bad size unit, bad branch id)</td></tr>
 *   <tr><td>3</td><td>no store there, or not an RVM file</td></tr>
 *   <tr><td>4</td><td>the store is damaged (log, status block or segment)</td></tr>
 *   <tr><td>5</td><td>a running process holds the store; the changing command refused it</td></tr>
 *   <tr><td>6</td><td>I/O error</td></tr>
 *   <tr><td>7</td><td>the store refused the operation (unknown branch, segment exists, bad name, ...)</td></tr>
 *   <tr><td>70</td><td>internal error (a bug in the tool or the engine)</td></tr>
 * </table>
 */
public final class ExitCodes {
    /** Success; clean store. */
    public static final int OK = 0;
    /** Needs attention, not damaged. */
    public static final int ATTENTION = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** Not a store. */
    public static final int NOT_A_STORE = 3;
    /** Damaged store. */
    public static final int DAMAGED = 4;
    /** Held by a running process. */
    public static final int LOCKED = 5;
    /** I/O error. */
    public static final int IO = 6;
    /** Refused by the store. */
    public static final int REFUSED = 7;
    /** Bug. */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }

    /** The exit code for an engine error code. */
    public static int of(ErrorCode code) {
        switch (code) {
            case NOT_A_STORE_FILE:
            case UNSUPPORTED_VERSION:
                return NOT_A_STORE;
            case LOG_CORRUPT:
            case STATUS_CORRUPT:
            case SEGMENT_CORRUPT:
                return DAMAGED;
            case STORE_LOCKED:
                return LOCKED;
            case IO_ERROR:
            case STORE_FAILED:
                return IO;
            default:
                return REFUSED;
        }
    }
}
