package dev.rvm.ra.internal;

import com.arjuna.ats.arjuna.recovery.RecoveryManager;

/**
 * {@link TransactionManagerRecovery} for Narayana, the transaction manager of WildFly. Loaded only after
 * {@link TransactionManagerRecovery#find()} has seen Narayana's classes. Thread-safe.
 */
final class NarayanaRecovery implements TransactionManagerRecovery {
    private NarayanaRecovery() {
    }

    /**
     * Narayana in a WildFly (or EAP) server, whose transactions subsystem runs the recovery manager; {@code null}
     * elsewhere, since {@link RecoveryManager#manager()} would start a recovery manager of its own in a process that
     * has none.
     */
    static NarayanaRecovery inServer() {
        return System.getProperty("jboss.server.data.dir") == null ? null : new NarayanaRecovery();
    }

    @Override
    public void scan() {
        RecoveryManager.manager().scan();
    }

    @Override
    public String describe() {
        return "Narayana";
    }
}
