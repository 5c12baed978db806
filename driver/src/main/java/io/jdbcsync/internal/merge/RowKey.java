package io.jdbcsync.internal.merge;

import java.util.Arrays;

/** A row of a table by its encoded primary key, usable as a map key. */
public record RowKey(String table, byte[] key) {
    @Override
    public boolean equals(Object o) {
        return o instanceof RowKey k && table.equals(k.table) && Arrays.equals(key, k.key);
    }

    @Override
    public int hashCode() {
        return table.hashCode() * 31 + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return table + Arrays.toString(key);
    }
}
