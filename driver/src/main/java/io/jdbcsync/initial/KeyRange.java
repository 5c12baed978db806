package io.jdbcsync.initial;

import io.jdbcsync.dialect.Dialect;
import io.jdbcsync.schema.TableInfo;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Reads of a table in primary-key order after a given key (keyset paging: each chunk is an index seek). */
final class KeyRange {

    private KeyRange() {
    }

    /** Every column in table order, rows after the bound key (when {@code after}), at most {@code limit} (0: all). */
    static String select(Dialect d, TableInfo t, boolean after, int limit) {
        StringBuilder sb = new StringBuilder("SELECT ");
        for (int i = 0; i < t.columns().size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(d.quote(t.columns().get(i).name()));
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

    private static String keyList(Dialect d, TableInfo t) {
        StringBuilder sb = new StringBuilder();
        for (String k : t.primaryKey()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(d.quote(k));
        }
        return sb.toString();
    }

    static void bindAfter(PreparedStatement ps, Dialect d, TableInfo t, Object[] key) throws SQLException {
        int[] pk = t.primaryKeyPositions();
        for (int i = 0; i < pk.length; i++) {
            d.bind(ps, i + 1, key[i], t.columns().get(pk[i]).kind());
        }
    }
}
