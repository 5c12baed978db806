package io.jdbcsync.internal.initial;

import io.jdbcsync.internal.capture.RowCodec;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.jdbc.ScalarQueries;
import io.jdbcsync.internal.merge.VersionStore;
import io.jdbcsync.internal.schema.TableInfo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which keys of a chunk the clone target holds already (a row, or version metadata of one, say a
 * delete): those are merged by the conflict rules instead of copied. On an empty target both reads
 * find nothing.
 */
final class TargetRows {

    private TargetRows() {
    }

    static Set<Adoption.RowKey> held(Connection c, Dialect d, TableInfo t, List<byte[]> keys) throws SQLException {
        Set<Adoption.RowKey> out = new HashSet<>();
        if (keys.isEmpty()) {
            return out;
        }
        // The chunk is a key range of the source: the target's rows in that range, by one range read.
        Object[] low = io.jdbcsync.internal.value.ValueCodec.decodeKey(keys.get(0));
        Object[] high = io.jdbcsync.internal.value.ValueCodec.decodeKey(keys.get(keys.size() - 1));
        StringBuilder sql = new StringBuilder("SELECT ");
        StringBuilder keyList = new StringBuilder();
        int[] pk = t.primaryKeyPositions();
        for (int i = 0; i < pk.length; i++) {
            keyList.append(i == 0 ? "" : ", ").append(d.quote(t.columns().get(pk[i]).name()));
            sql.append(i == 0 ? "" : ", ").append(d.selectColumn(t.columns().get(pk[i])));
        }
        String marks = "?, ".repeat(t.primaryKey().size() - 1) + "?";
        sql.append(" FROM ").append(d.quote(t.name())).append(" WHERE (").append(keyList).append(") >= (")
                .append(marks).append(") AND (").append(keyList).append(") <= (").append(marks).append(")");
        Set<Adoption.RowKey> wanted = new HashSet<>();
        for (byte[] k : keys) {
            wanted.add(new Adoption.RowKey(k));
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int n = pk.length;
            KeyRange.bindKey(ps, 1, d, t, low);
            KeyRange.bindKey(ps, n + 1, d, t, high);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] key = new Object[n];
                    for (int i = 0; i < n; i++) {
                        key[i] = d.read(rs, i + 1, t.columns().get(pk[i]));
                    }
                    Adoption.RowKey k = new Adoption.RowKey(RowCodec.key(d, t, key));
                    if (wanted.contains(k)) {
                        out.add(k);
                    }
                }
            }
        }
        for (Adoption.RowKey k : SourceVersions.read(c, t.name(), keys).keySet()) {
            out.add(k);
        }
        return out;
    }

    /** True when any synced table holds a row, or any row has version metadata (say a delete). */
    static boolean holdsAny(Connection c, Dialect d, io.jdbcsync.internal.schema.Schema schema) throws SQLException {
        if (VersionStore.anyVersion(c)) {
            return true;
        }
        for (TableInfo t : schema.tables()) {
            if (t.synced() && t.hasPrimaryKey() && ScalarQueries.anyRow(c, "SELECT 1 FROM " + d.quote(t.name()))) {
                return true;
            }
        }
        return false;
    }

    
}
