package io.jdbcsync.merge;

import io.jdbcsync.clock.Hlc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Rows that lost a unique-constraint collision, kept whole in {@code _sync_conflict} so nothing a
 * user wrote is lost and an app can show them.
 */
final class ConflictLog {
    private final Connection c;
    private final Hlc clock;

    ConflictLog(Connection c, Hlc clock) {
        this.c = c;
        this.clock = clock;
    }

    void record(String table, byte[] loserKey, byte[] winnerKey, byte[] row, String reason, Version loser)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO _sync_conflict"
                + " (id, tbl, pk, winner_pk, data, reason, hlc, device, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, clock.now());
            ps.setString(2, table);
            ps.setBytes(3, loserKey);
            ps.setBytes(4, winnerKey);
            ps.setBytes(5, row);
            ps.setString(6, reason);
            ps.setLong(7, loser.hlc());
            ps.setString(8, loser.device());
            ps.setString(9, Instant.now().toString());
            ps.executeUpdate();
        }
    }
}
