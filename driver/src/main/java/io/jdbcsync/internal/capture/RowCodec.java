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
        return key(dialect, table, keyValues(table, row));
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

    /** A full row in table column order, each value in its log form. */
    static Object[] loggedRow(Dialect dialect, TableInfo table, Object[] row) {
        List<ColumnInfo> columns = table.columns();
        Object[] logged = new Object[row.length];
        for (int i = 0; i < row.length; i++) {
            logged[i] = dialect.logged(row[i], columns.get(i));
        }
        return logged;
    }

    /** {@link #loggedRow} in place: returns {@code row}, each value brought to its log form. */
    static Object[] toLoggedRow(Dialect dialect, TableInfo table, Object[] row) {
        List<ColumnInfo> columns = table.columns();
        for (int i = 0; i < row.length; i++) {
            row[i] = dialect.logged(row[i], columns.get(i));
        }
        return row;
    }

    /** The key values of a full row in table column order. */
    static Object[] keyValues(TableInfo table, Object[] row) {
        int[] pk = table.primaryKeyPositions();
        Object[] key = new Object[pk.length];
        for (int i = 0; i < pk.length; i++) {
            key[i] = row[pk[i]];
        }
        return key;
    }

    /** A full row's encoded key and encoded row (all columns in table order). */
    record KeyAndRow(byte[] key, byte[] row) {
    }

    /** {@link #keyOfRow} and {@link #fullRow} of the same row, each value brought to its log form once. */
    static KeyAndRow keyAndRow(Dialect dialect, TableInfo table, Object[] row) {
        Object[] logged = loggedRow(dialect, table, row);
        return new KeyAndRow(ValueCodec.encodeKey(keyValues(table, logged)),
                ValueCodec.encodeRow(table.columnNames(), Arrays.asList(logged)));
    }

    /**
     * Brings a row of key values (in primary-key order) then values of {@code columns} to their
     * log form, in place; returns the key's positions in it.
     */
    static int[] toLogged(Dialect dialect, TableInfo table, List<ColumnInfo> columns, Object[] row) {
        int keys = table.primaryKey().size();
        for (int i = 0; i < keys; i++) {
            row[i] = dialect.logged(row[i], table.primaryKeyColumn(i));
        }
        for (int i = 0; i < columns.size(); i++) {
            row[keys + i] = dialect.logged(row[keys + i], columns.get(i));
        }
        return keys < FIRST_POSITIONS.length ? FIRST_POSITIONS[keys] : java.util.stream.IntStream.range(0, keys).toArray();
    }

    /** {0}, {0, 1}, ...: the key's positions at the front of a row (shared, never written to). */
    private static final int[][] FIRST_POSITIONS = {{}, {0}, {0, 1}, {0, 1, 2}, {0, 1, 2, 3}};

    /** The named columns of {@code table}. */
    static List<ColumnInfo> columnsNamed(TableInfo table, List<String> names) {
        List<ColumnInfo> columns = new ArrayList<>(names.size());
        for (String name : names) {
            columns.add(table.column(name));
        }
        return columns;
    }

    /** Every column of a full row in table order. */
    public static byte[] fullRow(Dialect dialect, TableInfo table, Object[] row) {
        return ValueCodec.encodeRow(table.columnNames(), Arrays.asList(loggedRow(dialect, table, row)));
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
