package dev.rvm.core.heap;

import static dev.rvm.core.RvmAssertions.assertRvm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmAssertions;
import dev.rvm.core.Transaction;
import dev.rvm.core.heap.record.Field;
import dev.rvm.core.heap.record.FieldType;
import dev.rvm.core.heap.record.RecordLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixed-layout records: offsets, typed access, declared ranges, refusals. */
class RecordLayoutTest {
    @TempDir
    Path dir;

    private static final RecordLayout ACCOUNT = RecordLayout.builder()
            .field("flags", FieldType.BYTE)
            .field("balance", FieldType.LONG)
            .field("version", FieldType.INT)
            .string("owner", 20)
            .field("rate", FieldType.DOUBLE)
            .bytes("tag", 3)
            .build();

    @Test
    void fieldsAreAlignedToTheirTypeInTheOrderGiven() {
        assertEquals(0, ACCOUNT.field("flags").offset());
        assertEquals(8, ACCOUNT.field("balance").offset());
        assertEquals(16, ACCOUNT.field("version").offset());
        assertEquals(20, ACCOUNT.field("owner").offset());
        assertEquals(22, ACCOUNT.field("owner").length());
        assertEquals(48, ACCOUNT.field("rate").offset());
        assertEquals(56, ACCOUNT.field("tag").offset());
        assertEquals(64, ACCOUNT.size());
    }

    @Test
    void settersDeclareExactlyTheirFieldAndValuesSurviveAReopen() {
        long rec;
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(dir).build())) {
            rvm.createSegment("h", 64 * 1024);
            Region r = rvm.map("h", 0, 64 * 1024);
            try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
                RecoverableHeap heap = RecoverableHeap.format(tx, r, 1);
                rec = ACCOUNT.allocate(tx, heap);
                heap.setRoot(tx, 0, rec);
                tx.commit(CommitMode.FLUSH);
            }
            try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
                Field balance = ACCOUNT.field("balance");
                balance.setLong(tx, r, rec, 1234);
                ACCOUNT.field("flags").setByte(tx, r, rec, (byte) 7);
                ACCOUNT.field("version").setInt(tx, r, rec, 3);
                ACCOUNT.field("owner").setString(tx, r, rec, "Zoë");
                ACCOUNT.field("rate").setDouble(tx, r, rec, 0.25);
                ACCOUNT.field("tag").setBytes(tx, r, rec, new byte[] {1, 2, 3});
                // Only the declared bytes may change: the byte after "flags" was not declared.
                assertRvm(ErrorCode.RANGE_NOT_DECLARED, () -> r.putByte(rec + 1, (byte) 1));
                tx.commit(CommitMode.FLUSH);
            }
            try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
                ACCOUNT.field("balance").setLong(tx, r, rec, -1);
                tx.abort();
            }
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(dir).build())) {
            Region r = rvm.map("h", 0, 64 * 1024);
            long at = RecoverableHeap.open(r).root(0);
            assertEquals(rec, at);
            assertEquals(1234, ACCOUNT.field("balance").getLong(r, at));
            assertEquals(7, ACCOUNT.field("flags").getByte(r, at));
            assertEquals(3, ACCOUNT.field("version").getInt(r, at));
            assertEquals("Zoë", ACCOUNT.field("owner").getString(r, at));
            assertEquals(0.25, ACCOUNT.field("rate").getDouble(r, at));
            assertArrayEquals(new byte[] {1, 2, 3}, ACCOUNT.field("tag").getBytes(r, at));
        }
    }

    @Test
    void wrongTypesNamesAndSizesAreRefusedNamingTheField() {
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(dir).build())) {
            rvm.createSegment("h", 4096);
            Region r = rvm.map("h", 0, 4096);
            try (Transaction tx = rvm.begin(RestoreMode.RESTORE)) {
                assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> ACCOUNT.field("balance").getInt(r, 0));
                assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> ACCOUNT.field("nope"));
                assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> ACCOUNT.field("owner").setString(tx, r, 0,
                        "much longer than twenty bytes"));
                assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> ACCOUNT.field("tag").setBytes(tx, r, 0, new byte[4]));
                tx.abort();
            }
        }
        assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> RecordLayout.builder().field("a", FieldType.LONG)
                .field("a", FieldType.INT));
        assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> RecordLayout.builder().field("s", FieldType.STRING));
        assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> RecordLayout.builder().build());
    }
}
