package io.jdbcsync.capture;

import io.jdbcsync.schema.ColumnInfo;
import io.jdbcsync.schema.TableInfo;
import io.jdbcsync.value.ValueCodec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Encodes keys and rows of one table for the log: keys canonical, so every device agrees on them. */
final class RowCodec {

    private RowCodec() {
    }

    /** The encoded key of a full row given in table column order. */
    static byte[] keyOfRow(TableInfo table, Object[] row) {
        int[] pk = table.primaryKeyPositions();
        Object[] key = new Object[pk.length];
        for (int i = 0; i < pk.length; i++) {
            key[i] = row[pk[i]];
        }
        return key(table, key);
    }

    /** The encoded key from key values in primary-key order. */
    static byte[] key(TableInfo table, Object[] keyValues) {
        int[] pk = table.primaryKeyPositions();
        Object[] canonical = new Object[keyValues.length];
        for (int i = 0; i < keyValues.length; i++) {
            canonical[i] = ValueCodec.canonical(keyValues[i], table.columns().get(pk[i]).kind());
        }
        return ValueCodec.encodeKey(canonical);
    }

    /** Every column of a full row in table order. */
    static byte[] fullRow(TableInfo table, Object[] row) {
        List<String> names = new ArrayList<>(row.length);
        for (ColumnInfo c : table.columns()) {
            names.add(c.name());
        }
        return ValueCodec.encodeRow(names, Arrays.asList(row));
    }

    static byte[] columns(List<String> names, List<Object> values) {
        return ValueCodec.encodeRow(names, values);
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
