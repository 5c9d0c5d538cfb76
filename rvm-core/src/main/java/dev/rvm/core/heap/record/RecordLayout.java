package dev.rvm.core.heap.record;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import dev.rvm.core.heap.RecoverableHeap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed record layout, described once: field names, types and (computed) offsets. Records live anywhere in a
 * region — in a block of a {@link RecoverableHeap} ({@link #allocate}), or in a table of records at
 * {@code base + i * size()}.
 *
 * <pre>{@code
 * RecordLayout account = RecordLayout.builder()
 *         .field("balance", FieldType.LONG).string("owner", 40).field("opened", FieldType.LONG).build();
 * Field balance = account.field("balance");
 * long rec = account.allocate(tx, heap);
 * balance.setLong(tx, region, rec, 100);            // declares those 8 bytes, then writes them
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RecordLayout {
    private final Map<String, Field> fields;
    private final int size;

    private RecordLayout(Map<String, Field> fields, int size) {
        this.fields = Collections.unmodifiableMap(fields);
        this.size = size;
    }

    /** A builder: fields are placed in the order added, each aligned to its type. */
    public static Builder builder() {
        return new Builder();
    }

    /** Bytes of one record (a multiple of 8). */
    public int size() {
        return size;
    }

    /**
     * The field of that name.
     *
     * @throws RvmException {@code ILLEGAL_ARGUMENT} naming the fields there are
     */
    public Field field(String name) {
        Field f = fields.get(name);
        if (f == null) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "no field '" + name + "' in " + this);
        }
        return f;
    }

    /** The fields, in layout order. */
    public List<Field> fields() {
        return new ArrayList<>(fields.values());
    }

    /** Allocates a record on the heap in {@code tx}, zero-filled (numbers 0, strings empty). */
    public long allocate(Transaction tx, RecoverableHeap heap) {
        long a = heap.allocate(tx, size);
        clear(tx, heap.region(), a);
        return a;
    }

    /** Zero-fills the record at {@code record} in {@code tx}. */
    public void clear(Transaction tx, Region r, long record) {
        tx.setRange(r, record, size);
        r.put(record, new byte[size], 0, size);
    }

    @Override
    public String toString() {
        return "RecordLayout" + fields.values() + " of " + size + " bytes";
    }

    /** Collects fields; not thread-safe. */
    public static final class Builder {
        private final Map<String, Field> fields = new LinkedHashMap<>();
        private int next;

        private Builder() {
        }

        /** Adds a number field: {@link FieldType#BYTE}, {@code INT}, {@code LONG} or {@code DOUBLE}. */
        public Builder field(String name, FieldType type) {
            int len = switch (type) {
                case BYTE -> 1;
                case INT -> 4;
                case LONG, DOUBLE -> 8;
                case BYTES, STRING -> throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "field '" + name
                        + "': " + type + " needs a length (use bytes() or string())");
            };
            return add(name, type, len);
        }

        /** Adds a field of exactly {@code length} bytes. */
        public Builder bytes(String name, int length) {
            return add(name, FieldType.BYTES, positive(name, length));
        }

        /** Adds a string field of at most {@code maxUtf8Bytes} (up to 65535) UTF-8 bytes. */
        public Builder string(String name, int maxUtf8Bytes) {
            if (maxUtf8Bytes > 0xFFFF) {
                throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "field '" + name + "': at most 65535 bytes");
            }
            return add(name, FieldType.STRING, 2 + positive(name, maxUtf8Bytes));
        }

        private static int positive(String name, int n) {
            if (n <= 0) {
                throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "field '" + name + "': length must be > 0");
            }
            return n;
        }

        private Builder add(String name, FieldType type, int length) {
            if (name == null || name.isEmpty() || fields.containsKey(name)) {
                throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "field name '" + name
                        + "' is empty or used twice");
            }
            int align = type.alignment();
            int at = (next + align - 1) / align * align;
            fields.put(name, new Field(name, type, at, length));
            next = at + length;
            return this;
        }

        /** The layout; its size is rounded up to 8 bytes. */
        public RecordLayout build() {
            if (fields.isEmpty()) {
                throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "a record layout needs at least one field");
            }
            return new RecordLayout(new LinkedHashMap<>(fields), (next + 7) & -8);
        }
    }
}
