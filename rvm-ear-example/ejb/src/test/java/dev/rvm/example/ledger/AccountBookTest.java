package dev.rvm.example.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.CommitMode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Transaction;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Accounts by name in the recoverable map: opened and closed at run time, transfers, rollback, reopen. */
class AccountBookTest {
    @TempDir
    Path dir;

    private static void inTransaction(RecoverableMemory rvm, Region r, boolean commit, Consumer<Transaction> work) {
        try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
            work.accept(tx);
            if (commit) {
                tx.commit(CommitMode.FLUSH);
            } else {
                tx.abort();
            }
        }
    }

    @Test
    void accountsOpenTransferCloseAndSurviveAReopen() {
        RvmOptions options = RvmOptions.builder(dir).logSize(1 << 20).build();
        try (RecoverableMemory rvm = RecoverableMemory.open(options)) {
            rvm.createSegment("ledger-book", 256 * 1024);
            Region r = rvm.map("ledger-book", 0, 256 * 1024);
            inTransaction(rvm, r, true, tx -> {
                AccountBook book = AccountBook.of(tx, r);
                assertTrue(book.open(tx, "alice", 100));
                assertTrue(book.open(tx, "bob", 0));
                assertFalse(book.open(tx, "alice", 5), "already open");
            });
            inTransaction(rvm, r, true, tx -> {
                AccountBook book = AccountBook.of(tx, r);
                Long[] both = book.lock(tx, "bob", "alice");
                assertEquals(0L, both[0]);
                assertEquals(100L, both[1]);
                book.set(tx, "alice", 60);
                book.set(tx, "bob", 40);
                assertEquals(List.of(new Balance("alice", 60), new Balance("bob", 40)), book.all(tx));
                assertNull(book.lock(tx, "alice", "zoe")[1], "zoe is not open");
                assertEquals(LedgerException.Reason.INVALID_REQUEST,
                        assertThrows(LedgerException.class, () -> book.close(tx, "alice")).reason());
            });
            inTransaction(rvm, r, false, tx -> {
                AccountBook book = AccountBook.of(tx, r);
                book.open(tx, "carol", 7);
                book.set(tx, "bob", 0);
                assertTrue(book.close(tx, "bob"));
            });
            inTransaction(rvm, r, true, tx -> {
                AccountBook book = AccountBook.of(tx, r);
                assertNull(book.balance(tx, "carol"), "the rolled-back opening left nothing");
                assertEquals(40L, book.balance(tx, "bob"));
                book.lock(tx, "alice", "bob");
                book.set(tx, "bob", 0);
                book.set(tx, "alice", 100);
                assertTrue(book.close(tx, "bob"));
                assertFalse(book.close(tx, "bob"));
            });
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(options)) {
            Region r = rvm.map("ledger-book", 0, 256 * 1024);
            inTransaction(rvm, r, true, tx -> assertEquals(List.of(new Balance("alice", 100)),
                    AccountBook.of(tx, r).all(tx)));
        }
    }
}
