package dev.rvm.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCausesTest {
    private static final String REQUEST = "java/lang/Thread.run;org/xnio/XnioWorker$WorkerThreadFactory$1$1.run;"
            + "io/undertow/servlet/handlers/ServletInitialHandler.dispatchRequest;"
            + "org/jboss/as/ejb3/tx/CMTTxInterceptor.processInvocation;";
    private static final String GET_CONNECTION = REQUEST + "dev/rvm/bench/server/BenchTransfers.connect;"
            + "dev/rvm/ra/spi/RvmConnectionFactoryImpl.getConnection;"
            + "org/jboss/jca/core/connectionmanager/AbstractConnectionManager.allocateConnection;";
    private static final String COMMIT = REQUEST + "com/arjuna/ats/internal/jta/transaction/arjunacore/"
            + "TransactionImple.commitAndDisassociate;com/arjuna/ats/arjuna/coordinator/BasicAction.End;"
            + "com/arjuna/ats/internal/jta/resources/arjunacore/XAResourceRecord.topLevelOnePhaseCommit;"
            + "dev/rvm/ra/spi/RvmXAResource.commit;dev/rvm/core/internal/TransactionImpl.commit;"
            + "dev/rvm/core/internal/log/LogWriter.forceUpTo;";

    @Test
    void theForceIsLogIoAndItsWaitsAreTheLogWritersWherever() {
        assertEquals(ProfileCauses.LOG_IO, ProfileCauses.cause(COMMIT
                + "dev/rvm/core/internal/log/LogFile.force;sun/nio/ch/FileDispatcherImpl.force0;fdatasync"));
        assertEquals(ProfileCauses.FORCE_WAITS, ProfileCauses.cause(COMMIT
                + "java/util/concurrent/locks/LockSupport.park;jdk/internal/misc/Unsafe.park;futex_wait_[k]"));
        assertEquals(ProfileCauses.FORCE_WAITS, ProfileCauses.cause(COMMIT
                + "java/util/concurrent/locks/AbstractQueuedSynchronizer$ConditionObject.signalAll;"
                + "jdk/internal/misc/Unsafe.unpark;try_to_wake_up_[k];finish_task_switch.isra.0_[k]"));
        assertEquals(ProfileCauses.OTHER_WAITS, ProfileCauses.cause("java/lang/Thread.run;"
                + "org/jboss/threads/EnhancedQueueExecutor$ThreadBody.run;jdk/internal/misc/Unsafe.park;futex_[k]"));
    }

    @Test
    void theInnermostKnownFrameOwnsTheRest() {
        assertEquals(ProfileCauses.ENGINE, ProfileCauses.cause(COMMIT + "java/util/HashMap.get"));
        assertEquals(ProfileCauses.ADAPTER, ProfileCauses.cause(GET_CONNECTION
                + "dev/rvm/ra/spi/RvmManagedConnection.getConnection;java/lang/Object.<init>"));
        assertEquals(ProfileCauses.JCA, ProfileCauses.cause(GET_CONNECTION + "java/util/ArrayList.add"));
        assertEquals(ProfileCauses.NARAYANA, ProfileCauses.cause(REQUEST
                + "com/arjuna/ats/arjuna/coordinator/BasicAction.Begin;java/util/UUID.randomUUID"));
        assertEquals(ProfileCauses.REQUEST, ProfileCauses.cause(REQUEST + "java/lang/String.indexOf"));
        assertEquals(ProfileCauses.JVM, ProfileCauses.cause("thread_native_entry;CompileBroker::compiler_thread_loop;"
                + "C2Compiler::compile_method"));
    }

    @Test
    void narayanasEnlistmentCalledByJcaIsJcasAndItsCommitNarayanas() {
        assertEquals(ProfileCauses.JCA, ProfileCauses.cause(GET_CONNECTION
                + "com/arjuna/ats/internal/jta/transaction/arjunacore/TransactionImple.enlistResource;"
                + "java/util/Hashtable.put"));
        assertEquals(ProfileCauses.JCA, ProfileCauses.cause(GET_CONNECTION
                + "org/jboss/tm/TxUtils.isActive;java/lang/Object.hashCode"));
        assertEquals(ProfileCauses.NARAYANA, ProfileCauses.cause(REQUEST
                + "com/arjuna/ats/internal/jta/transaction/arjunacore/TransactionImple.commitAndDisassociate;"
                + "java/util/Hashtable.remove"));
    }

    @Test
    void aSummaryGivesEachCauseItsShareOfTheServersCpu(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("p.collapsed");
        Files.write(f, List.of(REQUEST + "java/lang/String.indexOf 30", COMMIT + "LogFile.force;fdatasync 10",
                COMMIT + "java/util/HashMap.get 10"));
        Map<String, Long> s = ProfileCauses.sum(f);
        assertEquals(ProfileCauses.ALL, List.copyOf(s.keySet()));
        assertEquals(30L, s.get(ProfileCauses.REQUEST));
        assertEquals(10L, s.get(ProfileCauses.LOG_IO));
        long[] lat = new long[10_000];
        // 10,000 transfers and 100 ticks (1 s) of server CPU: 100 us per transfer
        LoadRun.Result r = new LoadRun.Result("rvm", "-", 16, lat.length, 10.0, lat, 0, "", 0,
                new CpuCounters(1_000, 0, 100, 0));
        List<String> lines = ProfileCauses.lines("cpu rvm", s, r, new CpuCounters.ClockTicks(100, false));
        assertTrue(lines.get(0).contains("50 samples"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.contains(ProfileCauses.REQUEST) && l.endsWith(" 60.0 %     60.0")),
                lines.toString());
    }
}
