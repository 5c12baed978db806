package io.jdbcsync.internal.initial;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.merge.LoggedValues;
import io.jdbcsync.internal.schema.TableInfo;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads of a table in primary-key order after a given key (keyset paging: each chunk is an index
 * seek), every value exactly as stored, as capture reads it.
 */
final class KeyRange {

    private KeyRange() {
    }

    /**
     * Every column in table order (each through {@link Dialect#selectColumn}), rows after the bound
     * key (when {@code after}), at most {@code limit} (0: all).
     */
    static String select(Dialect d, TableInfo t, boolean after, int limit) {
        int[] all = new int[t.columns().size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return select(d, t, all, after, limit);
    }

    /** As {@link #select}, the key columns only (in primary-key order). */
    static String selectKeys(Dialect d, TableInfo t, boolean after, int limit) {
        return select(d, t, t.primaryKeyPositions(), after, limit);
    }

    /** The columns at {@code positions}, in key order, after the bound key (when {@code after}), at most {@code limit}. */
    private static String select(Dialect d, TableInfo t, int[] positions, boolean after, int limit) {
        StringBuilder sb = new StringBuilder("SELECT ");
        for (int i = 0; i < positions.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(d.selectColumn(t.columns().get(positions[i])));
        }
        sb.append(" FROM ").append(d.quote(t.name()));
        String keys = keyList(d, t);
        if (after) {
            sb.append(" WHERE (").append(keys).append(") > (").append("?, ".repeat(t.primaryKey().size() - 1)).append("?)");
        }
        sb.append(" ORDER BY ").append(keys);
        if (limit > 0) {
            sb.append(" LIMIT ").append(limit);
        }
        return sb.toString();
    }

    /** The key values of a {@link #selectKeys}, as the database stores them (primary-key order). */
    static List<Object[]> keys(PreparedStatement ps, Dialect d, TableInfo t, int expected) throws SQLException {
        List<Object[]> out = new ArrayList<>(expected);
        int[] pk = t.primaryKeyPositions();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Object[] key = new Object[pk.length];
                for (int i = 0; i < pk.length; i++) {
                    key[i] = d.read(rs, i + 1, t.columns().get(pk[i]));
                }
                out.add(key);
            }
        }
        return out;
    }

    private static String keyList(Dialect d, TableInfo t) {
        StringBuilder sb = new StringBuilder();
        for (String k : t.primaryKey()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(d.quote(k));
        }
        return sb.toString();
    }

    /**
     * Binds key values in their log form from parameter {@code from} on, as integration binds them
     * (on MariaDB a TIMESTAMP as UTC text: the connection's session zone must be UTC).
     */
    static void bindKey(PreparedStatement ps, int from, Dialect d, TableInfo t, Object[] key) throws SQLException {
        int[] pk = t.primaryKeyPositions();
        for (int i = 0; i < pk.length; i++) {
            LoggedValues.bind(d, ps, from + i, key[i], t.columns().get(pk[i]));
        }
    }

    static void bindAfter(PreparedStatement ps, Dialect d, TableInfo t, Object[] key) throws SQLException {
        bindKey(ps, 1, d, t, key);
    }

    /** The rows of a {@link #select}, each value as the database stores it (table column order). */
    static List<Object[]> rows(PreparedStatement ps, Dialect d, TableInfo t, int expected) throws SQLException {
        List<Object[]> out = new ArrayList<>(expected);
        try (ResultSet rs = ps.executeQuery()) {
            int n = t.columns().size();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    row[i] = d.read(rs, i + 1, t.columns().get(i));
                }
                out.add(row);
            }
        }
        return out;
    }
}
