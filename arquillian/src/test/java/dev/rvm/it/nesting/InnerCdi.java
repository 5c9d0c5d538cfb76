package dev.rvm.it.nesting;

import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import javax.sql.DataSource;

/** {@link Inner} as a CDI bean with {@code @Transactional(REQUIRES_NEW)}. Thread-safe: no state. */
@ApplicationScoped
public class InnerCdi implements Inner {
    @Resource(lookup = "java:/eis/rvm")
    private RvmConnectionFactory rvm;

    @Resource(lookup = "java:/jdbc/LedgerXADS")
    private DataSource ds;

    @EJB
    private Inner ejb;

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void write(int run, int slot, boolean fail, boolean nest) {
        Slots.write(rvm, ds, run, slot);
        if (nest) {
            ejb.write(run, Slots.INNER2, false, false);
            Slots.write(rvm, ds, run, Slots.INNER_AFTER);
        }
        if (fail) {
            throw new IllegalStateException("the inner CDI bean fails on purpose");
        }
    }
}
