package dev.rvm.ra.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import dev.rvm.core.heap.RecoverableHeap;
import dev.rvm.core.heap.map.Codecs;
import dev.rvm.core.heap.map.RecoverableHashMap;
import dev.rvm.ra.RvmConnection;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recoverable map used through a connection: it commits and rolls back with the container's transaction. */
class ContainerTransactionTest {
    @TempDir
    Path dir;
    private final FakeBootstrapContext ctx = new FakeBootstrapContext();
    private RvmResourceAdapter ra;

    @AfterEach
    void stop() {
        if (ra != null) {
            ra.stop();
        }
        ctx.close();
    }

    private RvmManagedConnection start() throws Exception {
        ra = new RvmResourceAdapter();
        ra.setStoreDirectory(dir.toString());
        ra.setLogSize(1L << 20);
        ra.setRegions("book:book:0:262144");
        ra.start(ctx);
        RvmManagedConnectionFactory f = new RvmManagedConnectionFactory();
        f.setResourceAdapter(ra);
        return (RvmManagedConnection) f.createManagedConnection(null, null);
    }

    @Test
    void aMapChangedThroughTheConnectionCommitsAndRollsBackWithTheContainerTransaction() throws Exception {
        RvmManagedConnection mc = start();
        try (RvmConnection c = (RvmConnection) mc.getConnection(null, null)) {
            Region r = c.region("book");
            assertThrows(RvmException.class, c::transaction, "no transaction yet");
            mc.getLocalTransaction().begin();
            Transaction tx = c.transaction();
            RecoverableHeap heap = RecoverableHeap.format(tx, r, 2);
            RecoverableHashMap<String, Long> m = RecoverableHashMap.create(tx, heap, Codecs.STRING, Codecs.LONG);
            heap.setRoot(tx, 0, m.address());
            m.put(tx, "alice", 100L);
            RvmException refused = assertThrows(RvmException.class, () -> tx.commit(CommitMode.FLUSH));
            assertEquals(ErrorCode.ILLEGAL_STATE, refused.code());
            tx.close(); // harmless: the container's transaction ends it
            mc.getLocalTransaction().commit();

            mc.getLocalTransaction().begin();
            m.put(c.transaction(), "bob", 5L);
            m.remove(c.transaction(), "alice");
            mc.getLocalTransaction().rollback();
            assertEquals(100L, m.get(null, "alice"));
            assertNull(m.get(null, "bob"));
        }
        ra.stop();
        ra.start(ctx);
        Region r = ra.store().region("book");
        RecoverableHeap heap = RecoverableHeap.open(r);
        RecoverableHashMap<String, Long> m = RecoverableHashMap.open(heap, heap.root(0), Codecs.STRING, Codecs.LONG);
        assertEquals(100L, m.get(null, "alice"));
        assertEquals(1, m.size());
    }
}
