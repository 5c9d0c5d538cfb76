package dev.rvm.ra.internal;

/**
 * What the adapter asks of the server's transaction manager about the branches it finds in doubt when it starts:
 * a recovery scan. Found by {@link #find()}; absent where
 * the transaction manager offers neither, and then the branches wait for its periodic recovery as before.
 * Implementations are thread-safe.
 */
public interface TransactionManagerRecovery {

    /** Runs one recovery scan of all the manager's resources and returns when it has ended (blocking). */
    void scan();

    /** Names the transaction manager, for the log. */
    String describe();

    /**
     * The transaction manager of this server, or {@code null}: Narayana when its classes are visible to the adapter
     * (WildFly: module {@code org.jboss.jts}, named in the RAR's manifest) and the server owns its recovery manager.
     */
    static TransactionManagerRecovery find() {
        try {
            Class.forName("com.arjuna.ats.arjuna.recovery.RecoveryManager", false,
                    TransactionManagerRecovery.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            return null;
        }
        return NarayanaRecovery.inServer();
    }
}
