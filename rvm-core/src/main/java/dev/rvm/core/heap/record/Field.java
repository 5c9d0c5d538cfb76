package dev.rvm.core.heap.record;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import java.nio.charset.StandardCharsets;

/**
 * One field of a {@link RecordLayout}: its name, type, offset and length, with typed accessors. A setter declares
 * exactly the field's bytes in the transaction before writing them, so a record is changed field by field without
 * the caller computing offsets or calling {@code setRange}. A getter or setter of the wrong type fails with
 * {@code ILLEGAL_ARGUMENT} naming the field.
 *
 * <p>Immutable and thread-safe; the region's own rules apply to the bytes.
 */
public final class Field {
    private final String name;
    private final FieldType type;
    private final int offset;
    private final int length;

    Field(String name, FieldType type, int offset, int length) {
        this.name = name;
        this.type = type;
        this.offset = offset;
        this.length = length;
    }

    /** The field's name. */
    public String name() {
        return name;
    }

    /** The field's type. */
    public FieldType type() {
        return type;
    }

    /** Offset of the field from the start of a record. */
    public int offset() {
        return offset;
    }

    /** Bytes the field takes (for {@link FieldType#STRING}, its 2-byte length included). */
    public int length() {
        return length;
    }

    private long at(FieldType expected, long record) {
        if (type != expected) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "field '" + name + "' is " + type + ", not "
                    + expected);
        }
        return record + offset;
    }

    private long declare(Transaction tx, Region r, FieldType expected, long record) {
        long a = at(expected, record);
        tx.setRange(r, a, length);
        return a;
    }

    /** The byte of a {@link FieldType#BYTE} field of the record at {@code record}. */
    public byte getByte(Region r, long record) {
        return r.getByte(at(FieldType.BYTE, record));
    }

    /** Sets a {@link FieldType#BYTE} field in {@code tx}. */
    public void setByte(Transaction tx, Region r, long record, byte value) {
        r.putByte(declare(tx, r, FieldType.BYTE, record), value);
    }

    /** The value of an {@link FieldType#INT} field. */
    public int getInt(Region r, long record) {
        return r.getInt(at(FieldType.INT, record));
    }

    /** Sets an {@link FieldType#INT} field in {@code tx}. */
    public void setInt(Transaction tx, Region r, long record, int value) {
        r.putInt(declare(tx, r, FieldType.INT, record), value);
    }

    /** The value of a {@link FieldType#LONG} field. */
    public long getLong(Region r, long record) {
        return r.getLong(at(FieldType.LONG, record));
    }

    /** Sets a {@link FieldType#LONG} field in {@code tx}. */
    public void setLong(Transaction tx, Region r, long record, long value) {
        r.putLong(declare(tx, r, FieldType.LONG, record), value);
    }

    /** The value of a {@link FieldType#DOUBLE} field. */
    public double getDouble(Region r, long record) {
        return Double.longBitsToDouble(r.getLong(at(FieldType.DOUBLE, record)));
    }

    /** Sets a {@link FieldType#DOUBLE} field in {@code tx}. */
    public void setDouble(Transaction tx, Region r, long record, double value) {
        r.putLong(declare(tx, r, FieldType.DOUBLE, record), Double.doubleToRawLongBits(value));
    }

    /** A copy of a {@link FieldType#BYTES} field. */
    public byte[] getBytes(Region r, long record) {
        byte[] b = new byte[length];
        r.get(at(FieldType.BYTES, record), b, 0, length);
        return b;
    }

    /** Sets a {@link FieldType#BYTES} field in {@code tx}; {@code value} must have exactly its length. */
    public void setBytes(Transaction tx, Region r, long record, byte[] value) {
        if (value.length != length) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "field '" + name + "' holds " + length
                    + " bytes, given " + value.length);
        }
        r.put(declare(tx, r, FieldType.BYTES, record), value, 0, length);
    }

    /** The value of a {@link FieldType#STRING} field. */
    public String getString(Region r, long record) {
        long a = at(FieldType.STRING, record);
        int n = (r.getByte(a) & 0xFF) | (r.getByte(a + 1) & 0xFF) << 8;
        if (n > length - 2) {
            throw new RvmException(ErrorCode.HEAP_CORRUPT, "field '" + name + "' at " + a + " says " + n
                    + " bytes, it holds at most " + (length - 2));
        }
        byte[] b = new byte[n];
        r.get(a + 2, b, 0, n);
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Sets a {@link FieldType#STRING} field in {@code tx}. Declares only the length and the new bytes.
     *
     * @throws RvmException {@code ILLEGAL_ARGUMENT} if its UTF-8 form is longer than the field's capacity
     */
    public void setString(Transaction tx, Region r, long record, String value) {
        long a = at(FieldType.STRING, record);
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        if (b.length > length - 2) {
            throw new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "field '" + name + "' holds at most "
                    + (length - 2) + " UTF-8 bytes; \"" + value + "\" has " + b.length);
        }
        tx.setRange(r, a, 2 + (long) b.length);
        r.putByte(a, (byte) b.length);
        r.putByte(a + 1, (byte) (b.length >>> 8));
        r.put(a + 2, b, 0, b.length);
    }

    @Override
    public String toString() {
        return name + ":" + type + "@" + offset + "+" + length;
    }
}
