package io.jdbcsync.internal.initial;

import io.jdbcsync.internal.capture.ChangeLogTable;
import io.jdbcsync.internal.device.MetadataStore;
import io.jdbcsync.internal.merge.VersionStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

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
        Map<String, long[]> cursors = MetadataStore.cursors(c);
        String next = MetadataStore.get(c, "next_batch");
        long own = next == null ? 0 : Long.parseLong(next.trim()) - 1;
        OptionalLong assigned = ChangeLogTable.firstAssignedBatch(c);
        if (assigned.isPresent()) {
            own = Math.min(own, assigned.getAsLong() - 1);
        }
        long max = Math.max(VersionStore.newestStamp(c), ChangeLogTable.newestStamp(c));
        for (long[] cursor : cursors.values()) {
            max = Math.max(max, cursor[1]);
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
