package dev.rvm.it.nesting;

import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import javax.sql.DataSource;

/**
 * The caller: a {@code REQUIRED} transaction that writes {@link Slots#OUTER}, runs a scenario with an inner bean
 * on the same thread, then writes {@link Slots#OUTER_AFTER} — which needs its own RVM transaction back — and
 * commits, unless the scenario then marks it rollback-only. Thread-safe as the container uses it.
 */
@Stateless
public class OuterBean {
    @Resource(lookup = "java:/eis/rvm")
    private RvmConnectionFactory rvm;

    @Resource(lookup = "java:/jdbc/LedgerXADS")
    private DataSource ds;

    @Resource
    private SessionContext context;

    @EJB
    private Inner ejb;

    @Inject
    private InnerCdi cdi;

    @EJB
    private NotSupportedBean notSupported;

    /**
     * Runs {@code scenario} as run {@code run} with the inner bean {@code via} ({@code ejb} or {@code cdi}).
     *
     * @return what the scenario observed, for the test's message
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public String run(String scenario, int run, String via) {
        Inner inner = "cdi".equals(via) ? cdi : ejb;
        Slots.write(rvm, ds, run, Slots.OUTER);
        String seen = "";
        switch (scenario) {
            case "inner-commits-outer-rolls-back" -> inner.write(run, Slots.INNER, false, false);
            case "inner-rolls-back-outer-commits" -> seen = callFailing(inner, run, false);
            case "both-commit" -> inner.write(run, Slots.INNER, false, false);
            case "nested-twice" -> seen = callFailing(inner, run, true);
            case "not-supported" -> seen = notSupported.tryWrite(run);
            default -> throw new IllegalArgumentException("no scenario " + scenario);
        }
        Slots.write(rvm, ds, run, Slots.OUTER_AFTER);
        if (scenario.equals("inner-commits-outer-rolls-back")) {
            context.setRollbackOnly();
            seen = "outer marked rollback-only";
        }
        return seen;
    }

    private static String callFailing(Inner inner, int run, boolean nest) {
        try {
            inner.write(run, Slots.INNER, true, nest);
            return "the inner bean did not throw";
        } catch (RuntimeException expected) {
            return "inner threw " + expected.getClass().getSimpleName();
        }
    }
}
