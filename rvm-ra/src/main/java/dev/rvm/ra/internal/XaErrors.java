package dev.rvm.ra.internal;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import javax.transaction.xa.XAException;

/**
 * The one table that maps the core's {@link ErrorCode}s to XA error codes, and the factory of every
 * {@link XAException} the adapter throws (message with a stable id, cause attached).
 *
 * <p>Two rules sit on top of the table, because of how a transaction manager reacts (see Narayana's
 * {@code XAResourceRecord}): a commit never answers {@code XAER_RMERR} (Narayana reads it as a heuristic rollback),
 * and the second phase of a prepared branch answers {@code XAER_RMFAIL} for every failure but an unknown branch,
 * because the branch is then still in doubt and the transaction manager must retry, as its recovery does.
 *
 * <p>Stateless and thread-safe.
 */
public final class XaErrors {
    /** What the failed call was doing; it selects the rules above. */
    public enum Call {
        /** start, end, prepare, forget, recover, and rollback of a branch not yet prepared. */
        OTHER,
        /** One-phase commit. */
        ONE_PHASE_COMMIT,
        /** Commit or rollback of a prepared branch. */
        SECOND_PHASE
    }

    private XaErrors() {
    }

    /** The table: the XA code for a core error code, for calls without a special rule. */
    public static int codeFor(ErrorCode code) {
        switch (code) {
            case UNKNOWN_BRANCH:
                return XAException.XAER_NOTA;
            case DUPLICATE_BRANCH:
                return XAException.XAER_DUPID;
            case ILLEGAL_STATE: // a call in the wrong state: every code that names the state (isWrongState)
            case TRANSACTION_COMMITTED:
            case TRANSACTION_ABORTED:
            case TRANSACTION_PREPARED:
            case TRANSACTION_FAILED:
            case THREAD_HAS_TRANSACTION:
            case NOT_ASSOCIATED:
            case ASSOCIATED_ELSEWHERE:
            case REGION_UNMAPPED:
            case NO_TRANSACTION:
            case ABORT_NOT_ALLOWED:
            case REGION_IN_USE:
                return XAException.XAER_PROTO;
            case ILLEGAL_ARGUMENT:
                return XAException.XAER_INVAL;
            case LOCK_TIMEOUT:
                return XAException.XA_RBTIMEOUT;
            case DEADLOCK:
                return XAException.XA_RBDEADLOCK;
            case LOG_FULL:
            case RECORD_TOO_LARGE:
                // the record was never written: the branch's durable outcome is a rollback
                return XAException.XA_RBOTHER;
            case STORE_FAILED:
            case STORE_CLOSED:
            case STORE_LOCKED:
            case IO_ERROR:
            case LOG_CORRUPT:
            case STATUS_CORRUPT:
            case SEGMENT_CORRUPT:
            case NOT_A_STORE_FILE:
            case UNSUPPORTED_VERSION:
            case NOT_LEADER: // a replicated store's member that is not the leader: another member serves
            case NO_QUORUM: // no majority in time: the outcome is the group's to decide, so the branch may be in doubt
                return XAException.XAER_RMFAIL;
            default:
                return XAException.XAER_RMERR;
        }
    }

    /** The XA code for a core failure during {@code call}, after the rules in the class comment. */
    public static int codeFor(ErrorCode code, Call call) {
        int xa = codeFor(code);
        switch (call) {
            case SECOND_PHASE:
                return xa == XAException.XAER_NOTA ? xa : XAException.XAER_RMFAIL;
            case ONE_PHASE_COMMIT:
                return xa == XAException.XAER_RMERR ? XAException.XAER_RMFAIL : xa;
            default:
                return xa;
        }
    }

    /** An XAException for a core failure during {@code op} on branch {@code xid}, with the failure as cause. */
    public static XAException fromCore(RvmException e, Call call, String op, String xid) {
        int code = codeFor(e.code(), call);
        return of(code, Messages.xaFailed(op, xid, name(code), e.getMessage()), e);
    }

    /** An XAException with the given code, message and (possibly null) cause. */
    public static XAException of(int code, String message, Throwable cause) {
        XAException x = new XAException(message);
        x.errorCode = code;
        if (cause != null) {
            x.initCause(cause);
        }
        return x;
    }

    /** The constant's name of an XA code, for messages and test failures. */
    public static String name(int code) {
        switch (code) {
            case XAException.XA_RBROLLBACK: return "XA_RBROLLBACK";
            case XAException.XA_RBCOMMFAIL: return "XA_RBCOMMFAIL";
            case XAException.XA_RBDEADLOCK: return "XA_RBDEADLOCK";
            case XAException.XA_RBINTEGRITY: return "XA_RBINTEGRITY";
            case XAException.XA_RBOTHER: return "XA_RBOTHER";
            case XAException.XA_RBPROTO: return "XA_RBPROTO";
            case XAException.XA_RBTIMEOUT: return "XA_RBTIMEOUT";
            case XAException.XA_RBTRANSIENT: return "XA_RBTRANSIENT";
            case XAException.XA_NOMIGRATE: return "XA_NOMIGRATE";
            case XAException.XA_HEURHAZ: return "XA_HEURHAZ";
            case XAException.XA_HEURCOM: return "XA_HEURCOM";
            case XAException.XA_HEURRB: return "XA_HEURRB";
            case XAException.XA_HEURMIX: return "XA_HEURMIX";
            case XAException.XA_RETRY: return "XA_RETRY";
            case XAException.XA_RDONLY: return "XA_RDONLY";
            case XAException.XAER_ASYNC: return "XAER_ASYNC";
            case XAException.XAER_RMERR: return "XAER_RMERR";
            case XAException.XAER_NOTA: return "XAER_NOTA";
            case XAException.XAER_INVAL: return "XAER_INVAL";
            case XAException.XAER_PROTO: return "XAER_PROTO";
            case XAException.XAER_RMFAIL: return "XAER_RMFAIL";
            case XAException.XAER_DUPID: return "XAER_DUPID";
            case XAException.XAER_OUTSIDE: return "XAER_OUTSIDE";
            default: return "XA error " + code;
        }
    }
}
