package dev.rvm.it.probe;

import com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule;
import com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import javax.transaction.xa.XAResource;

/**
 * Registers {@link PhaseBlockingXAResource}'s recovery with Narayana's XA recovery module while the two-server probe
 * is deployed (it is deployed again at every boot), so that recovery finds the blocking resource's Xids and finishes
 * its branches like any other. Thread-safe: the container calls it once at start and once at stop.
 */
@Singleton
@Startup
public class BlockProbeRecovery {
    private final XAResourceRecoveryHelper helper = new XAResourceRecoveryHelper() {
        @Override
        public boolean initialise(String p) {
            return true;
        }

        @Override
        public XAResource[] getXAResources() {
            return new XAResource[] {new PhaseBlockingXAResource(PhaseBlockingXAResource.Phase.NONE)};
        }
    };

    @PostConstruct
    void register() {
        XARecoveryModule.getRegisteredXARecoveryModule().addXAResourceRecoveryHelper(helper);
    }

    @PreDestroy
    void unregister() {
        XARecoveryModule.getRegisteredXARecoveryModule().removeXAResourceRecoveryHelper(helper);
    }
}
