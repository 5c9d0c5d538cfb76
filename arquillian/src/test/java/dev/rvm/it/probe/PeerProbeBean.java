package dev.rvm.it.probe;

import jakarta.annotation.Resource;
import jakarta.ejb.Remote;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.transaction.TransactionManager;
import java.util.logging.Logger;

/**
 * {@link PeerProbe} on the server that imports the transaction (B): both methods need the caller's transaction
 * ({@code MANDATORY}). Stateless, thread-safe as the container uses it.
 */
@Stateless
@Remote(PeerProbe.class)
public class PeerProbeBean implements PeerProbe {
    private static final Logger LOG = Logger.getLogger(PeerProbeBean.class.getName());

    @Resource(lookup = "java:/TransactionManager")
    private TransactionManager tm;

    @Override
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void enlistHalting(String phase) {
        try {
            tm.getTransaction().enlistResource(
                    new PhaseHaltingXAResource(PhaseHaltingXAResource.Phase.valueOf(phase)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot enlist the halting resource: " + e, e);
        }
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void halt() {
        LOG.warning("halting the JVM in a call of the propagated transaction");
        Runtime.getRuntime().halt(1);
    }
}
