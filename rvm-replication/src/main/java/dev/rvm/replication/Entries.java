package dev.rvm.replication;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The Raft entries of a replicated store: a batch of sealed log records with its log position, or a segment
 * creation. Big-endian; the record bytes are exactly the log's. Stateless.
 */
final class Entries {
    /** A batch: kind, start LSN (8), length (4), the sealed records. */
    static final byte BATCH = 1;
    /** A segment creation: kind, size (8), the name in UTF-8. */
    static final byte SEGMENT = 2;

    private Entries() {
    }

    static ByteString batch(long startLsn, byte[] records, int off, int len) {
        ByteBuffer b = ByteBuffer.allocate(13 + len);
        b.put(BATCH).putLong(startLsn).putInt(len).put(records, off, len);
        return UnsafeByteOperations.unsafeWrap(b.array());
    }

    static ByteString segment(String name, long size) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(9 + n.length);
        b.put(SEGMENT).putLong(size).put(n);
        return UnsafeByteOperations.unsafeWrap(b.array());
    }

    /** What a decoded entry asks for. */
    interface Visitor {
        void batch(long startLsn, byte[] records, int off, int len) throws IOException;

        void segment(String name, long size) throws IOException;
    }

    static void decode(ByteString data, Visitor v) throws IOException {
        byte[] a = data.toByteArray();
        ByteBuffer b = ByteBuffer.wrap(a);
        byte kind = b.get();
        if (kind == BATCH) {
            long start = b.getLong();
            int len = b.getInt();
            if (len != a.length - 13) {
                throw new IOException("batch entry of " + a.length + " bytes says it holds " + len);
            }
            v.batch(start, a, 13, len);
        } else if (kind == SEGMENT) {
            long size = b.getLong();
            v.segment(new String(a, 9, a.length - 9, StandardCharsets.UTF_8), size);
        } else {
            throw new IOException("unknown entry kind " + kind);
        }
    }
}
