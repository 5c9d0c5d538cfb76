package dev.rvm.it.nesting;

import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Local;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import javax.sql.DataSource;

/** {@link Inner} as a session bean with {@code REQUIRES_NEW}. Thread-safe as the container uses it. */
@Stateless
@Local(Inner.class)
public class InnerEjb implements Inner {
    @Resource(lookup = "java:/eis/rvm")
    private RvmConnectionFactory rvm;

    @Resource(lookup = "java:/jdbc/LedgerXADS")
    private DataSource ds;

    @Inject
    private InnerCdi cdi;

    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void write(int run, int slot, boolean fail, boolean nest) {
        Slots.write(rvm, ds, run, slot);
        if (nest) {
            cdi.write(run, Slots.INNER2, false, false);
            Slots.write(rvm, ds, run, Slots.INNER_AFTER);
        }
        if (fail) {
            throw new IllegalStateException("the inner EJB fails on purpose");
        }
    }
}
