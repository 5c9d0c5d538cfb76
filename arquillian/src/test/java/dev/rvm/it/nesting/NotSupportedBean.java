package dev.rvm.it.nesting;

import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ResourceException;

/** A method without a transaction, called in the middle of one. Thread-safe as the container uses it. */
@Stateless
public class NotSupportedBean {
    @Resource(lookup = "java:/eis/rvm")
    private RvmConnectionFactory rvm;

    /**
     * Tries to write slot {@link Slots#NOT_SUPPORTED} of run {@code run}, as a bean would that forgot it has no
     * transaction here: declares the range, then writes it.
     *
     * @return "written", or the code of the RvmException that refused it
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public String tryWrite(int run) {
        try (RvmConnection c = rvm.getConnection()) {
            Region r = c.region(Slots.REGION);
            long at = Slots.base(run) + 8L * Slots.NOT_SUPPORTED;
            c.setRange(r, at, 8);
            r.putLong(at, 1);
            return "written";
        } catch (RvmException e) {
            return e.code().name();
        } catch (ResourceException e) {
            throw new IllegalStateException(e);
        }
    }
}
