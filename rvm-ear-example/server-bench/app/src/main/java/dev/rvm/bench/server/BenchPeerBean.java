package dev.rvm.bench.server;

import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.EJBException;
import jakarta.ejb.Remote;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ResourceException;

/**
 * Server B's side of the two-server cases: the bean that server A's {@link BenchTransfers} calls remotely, deployed
 * in the same {@code rvm-bench.war} on both servers (WildFly gives an EJB in a WAR a remote view). Every method is
 * {@code MANDATORY}, so its work on B's RVM is a branch of A's transaction, prepared and committed by A's transaction
 * manager. Stateless; thread-safe as the container uses it.
 */
@Stateless
@Remote(BenchPeer.class)
public class BenchPeerBean implements BenchPeer {

    /**
     * The remote view's name as server A looks it up: a standalone WAR has no application name, its module is the
     * deployment's name without {@code .war}.
     */
    public static final String JNDI_NAME = "ejb:/rvm-bench/BenchPeerBean!" + BenchPeer.class.getName();

    @Resource(lookup = "java:/eis/rvm")
    private RvmConnectionFactory rvm;

    @Override
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void credit(int account, long amount) {
        try (RvmConnection r = rvm.getConnection()) {
            RvmBalances.add(r, account, amount);
        } catch (ResourceException e) {
            throw new EJBException("no RVM connection on the peer: " + e, e);
        }
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void joinOnly() {
        // the caller's transaction, imported by the container before this call, is all this case measures
    }
}
