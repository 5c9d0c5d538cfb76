package dev.rvm.example.ledger;

import java.util.Properties;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Finds the ledger on the other server: a proxy of its {@link RemoteLedgerBean} under the {@code ejb:} name of the
 * same application ({@code rvm-ledger/ledger-ejb}), reached through the EJB client context of the two-server EAR
 * ({@code META-INF/jboss-ejb-client.xml}: the outbound connection {@code rvm-ledger-peer}, the local receiver
 * excluded, so the name never resolves to this server's own bean). Stateless, thread-safe.
 */
public final class PeerLedger {
    /** The remote view's name: the application and module as both servers deploy them. */
    public static final String JNDI_NAME = "ejb:rvm-ledger/ledger-ejb/RemoteLedgerBean!" + RemoteLedger.class.getName();

    private PeerLedger() {
    }

    /**
     * A proxy of the other server's ledger. Creating it does not contact the other server; the first call does, and
     * fails with an {@code EJBException} (rolling back the caller's transaction) if no server can be reached.
     */
    public static RemoteLedger lookup() {
        Properties env = new Properties();
        env.put(Context.URL_PKG_PREFIXES, "org.jboss.ejb.client.naming");
        try {
            Context ctx = new InitialContext(env);
            try {
                return (RemoteLedger) ctx.lookup(JNDI_NAME);
            } finally {
                ctx.close();
            }
        } catch (NamingException e) {
            throw new LedgerException(LedgerException.Reason.NO_PEER, "no ledger on another server: " + e, e);
        }
    }

    /** @return this server's {@code jboss.node.name} (WildFly sets it; the host name by default) */
    public static String localNode() {
        return System.getProperty("jboss.node.name", "unnamed");
    }
}
