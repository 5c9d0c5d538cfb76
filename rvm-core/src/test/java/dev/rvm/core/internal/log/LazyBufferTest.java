package dev.rvm.core.internal.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LazyBufferTest {
    private static void add(LazyBuffer b, long offset, byte value, int len) {
        int at = b.slot(1, offset, len);
        Arrays.fill(b.buffer(), at, at + len, value);
    }

    private static byte[] encoded(LazyBuffer b) {
        RecordBuilder rb = new RecordBuilder().reset(LogFormat.COMMIT, (byte) 0);
        b.encode(rb);
        return Arrays.copyOf(rb.buffer(), LogFormat.HEADER_SIZE + rb.payloadLength());
    }

    @Test
    void aTransactionThatFailedHalfwayLeavesNothingOfItselfInTheGroup() {
        LazyBuffer expected = new LazyBuffer();
        add(expected, 0, (byte) 1, 8);
        add(expected, 64, (byte) 2, 8);
        expected.transactionAdded();

        LazyBuffer b = new LazyBuffer();
        add(b, 0, (byte) 1, 8);
        add(b, 64, (byte) 2, 8);
        b.transactionAdded();
        add(b, 0, (byte) 9, 16); // would overwrite the first range if it reached the log
        add(b, 128, (byte) 9, 8);
        b.dropUncounted();

        assertEquals(expected.bytes(), b.bytes());
        assertEquals(expected.payloadBound(), b.payloadBound());
        assertArrayEquals(encoded(expected), encoded(b));
    }

    @Test
    void droppingAfterAWriteOutKeepsTheGroupEmpty() {
        LazyBuffer b = new LazyBuffer();
        add(b, 0, (byte) 1, 8);
        b.transactionAdded();
        encoded(b);
        add(b, 8, (byte) 2, 8);
        b.dropUncounted();
        assertEquals(0, b.bytes());
        assertEquals(true, b.isEmpty());
    }
}
