package io.jdbcsync.internal.initial;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A device's sync position, read inside the snapshot its rows are copied from: how far it
 * integrated every other device (cursor: batch sequence and clock), how many of its own batches
 * its version metadata holds, and the newest clock value it recorded.
 *
 * @param ownBatches the source's own batches whose changes are in its version metadata (unpushed
 *                   or unacknowledged changes are not: the copy receives them again, idempotently)
 */
record Position(Map<String, long[]> cursors, long ownBatches, long maxHlc) {

    static Position read(Connection c, String device) throws SQLException {
        Map<String, long[]> cursors = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT device, sequence, hlc FROM _sync_cursor ORDER BY device")) {
            while (rs.next()) {
                cursors.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
            }
        }
        long next = 1;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT value FROM _sync_state WHERE name = 'next_batch'")) {
            if (rs.next()) {
                next = Long.parseLong(rs.getString(1).trim());
            }
        }
        long own = next - 1;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MIN(batch) FROM _sync_log WHERE batch IS NOT NULL")) {
            rs.next();
            long assigned = rs.getLong(1);
            if (!rs.wasNull()) {
                own = Math.min(own, assigned - 1);
            }
        }
        long max = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT MAX(hlc) FROM _sync_row UNION ALL SELECT MAX(hlc) FROM _sync_cursor UNION ALL SELECT MAX(hlc) FROM _sync_log")) {
            while (rs.next()) {
                max = Math.max(max, rs.getLong(1));
            }
        }
        return new Position(cursors, own, max);
    }

    String encode() {
        StringBuilder sb = new StringBuilder().append(ownBatches).append(' ').append(maxHlc);
        cursors.forEach((d, v) -> sb.append(' ').append(d).append(':').append(v[0]).append(':').append(v[1]));
        return sb.toString();
    }

    static Position decode(String s) throws SQLException {
        try {
            String[] parts = s.trim().split(" ");
            Map<String, long[]> cursors = new LinkedHashMap<>();
            for (int i = 2; i < parts.length; i++) {
                String[] c = parts[i].split(":");
                cursors.put(c[0], new long[] {Long.parseLong(c[1]), Long.parseLong(c[2])});
            }
            return new Position(cursors, Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (RuntimeException e) {
            throw new SQLException("jdbc-sync metadata table _sync_state is damaged: clone.position = '" + s + "'", "XX001", e);
        }
    }
}
