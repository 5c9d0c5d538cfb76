package dev.rvm.example.ledger;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.jboss.ejb.client.EJBClientConnection;
import org.jboss.ejb.client.EJBClientContext;

/**
 * Warns at start-up when a transaction this server coordinated across the two servers is waiting for a server at an
 * address that this server no longer points to. WildFly's transaction client keeps, for each such transaction still
 * in flight, a file in {@code data/ejb-xa-recovery} naming the other server's URI as it was then; after a crash its
 * recovery asks that URI, and only that one. If the other server has since moved to another host or port (and the
 * outbound socket binding {@code rvm-ledger-peer} was changed to follow it), the transaction's branch there stays in
 * doubt, with its RVM ranges locked, until the old address answers again or an operator decides the branch there.
 * Nothing is changed: the check only reads the files and the binding. Runs once, at start-up.
 */
@Singleton
@Startup
public class PeerRecoveryCheck {
    private static final Logger LOG = Logger.getLogger(PeerRecoveryCheck.class.getName());
    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void check() {
        String data = System.getProperty("jboss.server.data.dir");
        String[] peer = configuredPeer();
        if (data == null || peer == null) {
            return; // not one of two servers
        }
        Path dir = Path.of(data, "ejb-xa-recovery");
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<String> stale = new ArrayList<>();
        int files = 0;
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : (Iterable<Path>) list::iterator) {
                List<URI> named;
                try {
                    named = uris(f);
                } catch (NoSuchFileException e) {
                    continue; // recovery finished that transaction meanwhile and deleted its file
                }
                files++;
                for (URI uri : named) {
                    if (!samePlace(uri, peer[0], Integer.parseInt(peer[1]))) {
                        stale.add(f.getFileName() + " names " + uri);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning("LEDGER002: could not read WildFly's transaction recovery files in " + dir + ": " + e);
            return;
        }
        for (String s : stale) {
            LOG.warning("LEDGER001: the transaction recovery file " + s + ", but this server's outbound socket"
                    + " binding rvm-ledger-peer points to " + peer[0] + ":" + peer[1] + ". WildFly's transaction"
                    + " client recovers that transaction only at the address in the file: its branch on the other"
                    + " server stays in doubt (its RVM ranges locked) until that address answers again, or an"
                    + " operator decides the branch there. If the other server moved, make it reachable at the old"
                    + " address until recovery has finished.");
        }
        if (files > 0 && stale.isEmpty()) {
            LOG.info("LEDGER003: " + files + " transaction recovery file(s) in " + dir + ", each naming the other"
                    + " server at " + peer[0] + ":" + peer[1] + ": recovery will reach it there");
        }
    }

    /**
     * Host and port of the other server as this deployment's EJB client context has it (the destination of the
     * remote outbound connection {@code rvm-ledger-peer} that {@code META-INF/jboss-ejb-client.xml} names, from its
     * outbound socket binding), or null if the deployment has no such connection (it is not one of two servers).
     */
    private static String[] configuredPeer() {
        try {
            for (EJBClientConnection c : EJBClientContext.getCurrent().getConfiguredConnections()) {
                URI d = c.getDestination();
                if (d != null && d.getHost() != null && d.getPort() > 0) {
                    return new String[] {d.getHost(), String.valueOf(d.getPort())};
                }
            }
            return null;
        } catch (RuntimeException e) {
            LOG.warning("LEDGER002: could not read this deployment's EJB client connections: " + e);
            return null;
        }
    }

    /** The URIs of a recovery file: it holds pairs of lines, a URI and then an Xid. */
    static List<URI> uris(Path f) throws IOException {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        List<URI> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += 2) {
            String line = lines.get(i).trim();
            if (!line.isEmpty()) {
                out.add(URI.create(line));
            }
        }
        return out;
    }

    /** Whether {@code uri} names {@code host:port}; host names are compared by address. */
    static boolean samePlace(URI uri, String host, int port) {
        if (uri.getPort() != port || uri.getHost() == null) {
            return false;
        }
        if (uri.getHost().equalsIgnoreCase(host)) {
            return true;
        }
        try {
            return InetAddress.getByName(uri.getHost()).equals(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
