package io.jdbcsync.internal.capture;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.schema.ColumnInfo;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.value.ValueCodec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes keys and rows of one table for the log. Every value is what the database stored, in the
 * dialect's log form ({@link Dialect#logged}: on SQLite its storage class, on MariaDB the value
 * canonical for the column's kind and fitted to it), so a value logs the same whether the app
 * bound it, wrote it as a literal or the database computed it, and every device agrees on it.
 * Values the app bound reach here only through {@link Dialect#asStored}, or read back.
 */
public final class RowCodec {

    private RowCodec() {
    }

    /** The encoded key of a full row given in table column order. */
    public static byte[] keyOfRow(Dialect dialect, TableInfo table, Object[] row) {
        int[] pk = table.primaryKeyPositions();
        Object[] key = new Object[pk.length];
        for (int i = 0; i < pk.length; i++) {
            key[i] = row[pk[i]];
        }
        return key(dialect, table, key);
    }

    /** The encoded key from key values in primary-key order. */
    public static byte[] key(Dialect dialect, TableInfo table, Object[] keyValues) {
        int[] pk = table.primaryKeyPositions();
        Object[] canonical = new Object[keyValues.length];
        for (int i = 0; i < keyValues.length; i++) {
            ColumnInfo c = table.columns().get(pk[i]);
            canonical[i] = dialect.logged(keyValues[i], c);
        }
        return ValueCodec.encodeKey(canonical);
    }

    /** A full row's encoded key and encoded row (all columns in table order). */
    record KeyAndRow(byte[] key, byte[] row) {
    }

    /**
     * {@link #keyOfRow} and {@link #fullRow} of the same row, each value brought to its log form
     * once (a batched insert logs every row this way).
     */
    static KeyAndRow keyAndRow(Dialect dialect, TableInfo table, Object[] row) {
        List<ColumnInfo> columns = table.columns();
        List<String> names = new ArrayList<>(row.length);
        Object[] logged = new Object[row.length];
        for (int i = 0; i < row.length; i++) {
            ColumnInfo c = columns.get(i);
            names.add(c.name());
            logged[i] = dialect.logged(row[i], c);
        }
        int[] pk = table.primaryKeyPositions();
        Object[] key = new Object[pk.length];
        for (int i = 0; i < pk.length; i++) {
            key[i] = logged[pk[i]];
        }
        return new KeyAndRow(ValueCodec.encodeKey(key), ValueCodec.encodeRow(names, Arrays.asList(logged)));
    }

    /** Every column of a full row in table order. */
    public static byte[] fullRow(Dialect dialect, TableInfo table, Object[] row) {
        List<String> names = new ArrayList<>(row.length);
        List<Object> values = new ArrayList<>(row.length);
        for (int i = 0; i < row.length; i++) {
            ColumnInfo c = table.columns().get(i);
            names.add(c.name());
            values.add(dialect.logged(row[i], c));
        }
        return ValueCodec.encodeRow(names, values);
    }

    /** The named columns of {@code table} with their values. */
    static byte[] columns(Dialect dialect, TableInfo table, List<String> names, List<Object> values) {
        List<Object> canonical = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            ColumnInfo c = table.column(names.get(i));
            canonical.add(dialect.logged(values.get(i), c));
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
