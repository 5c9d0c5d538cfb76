package dev.rvm.ra.spi;

import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnectionFactory;
import javax.naming.Reference;

/**
 * The connection factory given to applications. In a server it asks the container's {@link ConnectionManager},
 * which pools managed connections and enlists them in the caller's JTA transaction; without one (tests, tools) it
 * creates an unpooled, unenlisted connection. Thread-safe.
 */
public class RvmConnectionFactoryImpl implements RvmConnectionFactory {
    private static final long serialVersionUID = 1L;

    private final RvmManagedConnectionFactory mcf;
    private final ConnectionManager cm;
    private Reference reference;

    RvmConnectionFactoryImpl(RvmManagedConnectionFactory mcf, ConnectionManager cm) {
        this.mcf = mcf;
        this.cm = cm != null ? cm : new Unmanaged();
    }

    @Override
    public RvmConnection getConnection() throws ResourceException {
        RvmResourceAdapter ra = mcf.resourceAdapter();
        if (ra.groupMember() != null) {
            // A replica that does not lead refuses here, naming the leader: through the pool, each refusal would be
            // logged by the container with its stack trace (IronJacamar's IJ000604), once per request.
            ra.store();
        }
        return (RvmConnection) cm.allocateConnection(mcf, null);
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    /** The connection manager of the non-managed environment: one new managed connection per handle. */
    private static final class Unmanaged implements ConnectionManager {
        private static final long serialVersionUID = 1L;

        @Override
        public Object allocateConnection(ManagedConnectionFactory f, ConnectionRequestInfo info)
                throws ResourceException {
            return f.createManagedConnection(null, info).getConnection(null, info);
        }
    }
}
