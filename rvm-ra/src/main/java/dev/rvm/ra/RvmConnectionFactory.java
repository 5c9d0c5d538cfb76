package dev.rvm.ra;

import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import java.io.Serializable;

/**
 * The connection factory bound in JNDI (by default at {@code java:/eis/rvm}). Serializable and Referenceable so
 * that the container can bind it. Thread-safe.
 */
public interface RvmConnectionFactory extends Serializable, Referenceable {

    /**
     * A connection handle, enlisted in the caller's JTA transaction if there is one. Close it when done.
     *
     * @throws ResourceException if the container cannot provide a connection (adapter not started, pool full)
     */
    RvmConnection getConnection() throws ResourceException;
}
