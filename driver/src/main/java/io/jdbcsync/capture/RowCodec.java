package io.jdbcsync.capture;

import io.jdbcsync.schema.ColumnInfo;
import io.jdbcsync.schema.TableInfo;
import io.jdbcsync.value.ValueCodec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes keys and rows of one table for the log. Keys and values are canonical for their column's
 * kind and fitted to the column (a DECIMAL(10,2) keeps 19.999 as 20.00), so a value logs the same
 * whether the app bound it, wrote it as a literal or the database computed it (a SQLite date read
 * back as epoch milliseconds, a boolean as 1), and every device agrees on them.
 */
public final class RowCodec {

    private RowCodec() {
    }

    /** The encoded key of a full row given in table column order. */
    public static byte[] keyOfRow(TableInfo table, Object[] row) {
        int[] pk = table.primaryKeyPositions();
        Object[] key = new Object[pk.length];
        for (int i = 0; i < pk.length; i++) {
            key[i] = row[pk[i]];
        }
        return key(table, key);
    }

    /** The encoded key from key values in primary-key order. */
    public static byte[] key(TableInfo table, Object[] keyValues) {
        int[] pk = table.primaryKeyPositions();
        Object[] canonical = new Object[keyValues.length];
        for (int i = 0; i < keyValues.length; i++) {
            ColumnInfo c = table.columns().get(pk[i]);
            canonical[i] = c.fit(ValueCodec.canonical(keyValues[i], c.kind()));
        }
        return ValueCodec.encodeKey(canonical);
    }

    /** Every column of a full row in table order. */
    public static byte[] fullRow(TableInfo table, Object[] row) {
        List<String> names = new ArrayList<>(row.length);
        List<Object> values = new ArrayList<>(row.length);
        for (int i = 0; i < row.length; i++) {
            ColumnInfo c = table.columns().get(i);
            names.add(c.name());
            values.add(c.fit(ValueCodec.canonical(row[i], c.kind())));
        }
        return ValueCodec.encodeRow(names, values);
    }

    /** The named columns of {@code table} with their values. */
    static byte[] columns(TableInfo table, List<String> names, List<Object> values) {
        List<Object> canonical = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            ColumnInfo c = table.column(names.get(i));
            canonical.add(c.fit(ValueCodec.canonical(values.get(i), c.kind())));
        }
        return ValueCodec.encodeRow(names, canonical);
    }

    /** A byte[] key usable in hash maps. */
    record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
