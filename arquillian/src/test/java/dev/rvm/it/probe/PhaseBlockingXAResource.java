package dev.rvm.it.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * An XA resource that blocks (until the test SIGKILLs the JVM, see {@link BlockPoint}) when the transaction manager
 * calls it in a chosen phase, and that the transaction manager can recover after the restart, like WildFly's
 * {@code PersistentTestXAResource}: at prepare it writes its Xid to a file under
 * {@code jboss.server.data.dir/rvm-block-probe}, commit and rollback delete the file, and {@link #recover} lists the
 * files (registered with Narayana by {@link BlockProbeRecovery}). So a kill in commit leaves no participant that
 * recovery cannot finish: everything the test sees afterwards is the ledger's. Where it sits in the transaction's
 * enlistment order decides what has happened when it blocks (resources are prepared and committed in the order they
 * were enlisted). One instance per transaction, or one for recovery; not thread-safe.
 */
public final class PhaseBlockingXAResource implements XAResource {
    /** Where the resource blocks. */
    public enum Phase {
        /** In prepare: the resources enlisted before this one have prepared; no log record yet. */
        PREPARE,
        /** In commit: every resource prepared, the log says commit, the resources enlisted before have committed. */
        COMMIT,
        /** Never: the instance recovery uses. */
        NONE
    }

    private final Phase phase;
    private int timeout;

    /** @param phase where to block */
    public PhaseBlockingXAResource(Phase phase) {
        this.phase = phase;
    }

    static Path directory() {
        return Path.of(System.getProperty("jboss.server.data.dir"), "rvm-block-probe");
    }

    @Override
    public void start(Xid xid, int flags) {
    }

    @Override
    public void end(Xid xid, int flags) {
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        if (phase == Phase.PREPARE) {
            BlockPoint.blockUntilKilled("prepare of " + xid);
        }
        try {
            Files.createDirectories(directory());
            Files.writeString(file(xid), encode(xid));
        } catch (IOException e) {
            throw (XAException) new XAException(XAException.XAER_RMERR).initCause(e);
        }
        return XA_OK;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        if (phase == Phase.COMMIT) {
            BlockPoint.blockUntilKilled("commit of " + xid);
        }
        forget(xid);
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        forget(xid);
    }

    @Override
    public void forget(Xid xid) throws XAException {
        try {
            Files.deleteIfExists(file(xid));
        } catch (IOException e) {
            throw (XAException) new XAException(XAException.XAER_RMERR).initCause(e);
        }
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
        if ((flag & TMSTARTRSCAN) == 0 || !Files.isDirectory(directory())) {
            return new Xid[0];
        }
        List<Xid> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                out.add(decode(Files.readString(f)));
            }
        } catch (IOException | UncheckedIOException e) {
            throw (XAException) new XAException(XAException.XAER_RMERR).initCause(e);
        }
        return out.toArray(new Xid[0]);
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other instanceof PhaseBlockingXAResource;
    }

    @Override
    public int getTransactionTimeout() {
        return timeout;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        timeout = seconds;
        return true;
    }

    private static Path file(Xid xid) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(encode(xid).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return directory().resolve(java.util.HexFormat.of().formatHex(digest) + ".xid");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(Xid xid) {
        Base64.Encoder b = Base64.getEncoder();
        return xid.getFormatId() + " " + b.encodeToString(xid.getGlobalTransactionId()) + " "
                + b.encodeToString(xid.getBranchQualifier());
    }

    private static Xid decode(String line) {
        String[] p = line.trim().split(" ");
        Base64.Decoder b = Base64.getDecoder();
        return new StoredXid(Integer.parseInt(p[0]), b.decode(p[1]), b.decode(p[2]));
    }

    /** A Xid read back from its file. */
    private record StoredXid(int formatId, byte[] gtrid, byte[] bqual) implements Xid {
        @Override
        public int getFormatId() {
            return formatId;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return gtrid.clone();
        }

        @Override
        public byte[] getBranchQualifier() {
            return bqual.clone();
        }
    }
}
