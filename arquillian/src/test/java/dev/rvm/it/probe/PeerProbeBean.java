package dev.rvm.it.probe;

import jakarta.annotation.Resource;
import jakarta.ejb.Remote;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.transaction.TransactionManager;

/**
 * {@link PeerProbe} on the server that imports the transaction (B): both methods need the caller's transaction
 * ({@code MANDATORY}). Stateless, thread-safe as the container uses it.
 */
@Stateless
@Remote(PeerProbe.class)
public class PeerProbeBean implements PeerProbe {
    @Resource(lookup = "java:/TransactionManager")
    private TransactionManager tm;

    @Override
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void enlistBlocking(String phase) {
        try {
            tm.getTransaction().enlistResource(
                    new PhaseBlockingXAResource(PhaseBlockingXAResource.Phase.valueOf(phase)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot enlist the blocking resource: " + e, e);
        }
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void block() {
        BlockPoint.blockUntilKilled("a call of the propagated transaction");
    }
}
