package io.jdbcsync.internal.merge;

import java.util.Arrays;

/**
 * A row of a table by its encoded primary key, usable as a map key. The hash is computed once:
 * a sync puts each key in several maps, for every changed row.
 */
public final class RowKey {
    private final String table;
    private final byte[] key;
    private final int hash;

    public RowKey(String table, byte[] key) {
        this.table = table;
        this.key = key;
        // Keys of one table differ in a few low bytes: mixed, so hash maps do not pile them into few buckets.
        int h = (table.hashCode() * 31 + Arrays.hashCode(key)) * 0x9E3779B9;
        this.hash = h ^ (h >>> 15);
    }

    public String table() {
        return table;
    }

    public byte[] key() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowKey k && hash == k.hash && table.equals(k.table) && Arrays.equals(key, k.key);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return table + Arrays.toString(key);
    }
}
