package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.clock.Hlc;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.jdbc.ScalarQueries;
import io.jdbcsync.internal.value.ValueCodec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows that lost a unique-value collision, kept whole in {@code _sync_conflict} so nothing a user
 * wrote is lost and an app can show them. An active entry is a row currently out of its table; it
 * goes back in when the value it wants is free again (its winner was deleted or changed), which is
 * what makes the outcome independent of the order changes arrive in. Every statement on that
 * table is here (the static methods serve initial sync, status and the conflict report).
 */
public final class ConflictLog {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConflictLog.class);
    private final Connection c;
    private final Hlc clock;
    /** Keys of the active entries, read once per transaction: usually none, so lookups cost nothing. */
    private java.util.Set<RowKey> activeKeys;
    /** Rows with same-key records, read once per transaction: deletes usually have none to settle. */
    private java.util.Set<RowKey> sameKeyRows;
    /** Rows with concurrent-edit records, read once per transaction, for the same reason. */
    private java.util.Set<RowKey> concurrentEditRows;

    /** An active displaced row. */
    record Displaced(long id, String table, byte[] key, byte[] row) { }

    ConflictLog(Connection c, Hlc clock) {
        this.c = c;
        this.clock = clock;
    }

    /** Forgets what was read, at the start of a transaction. */
    void reset() {
        activeKeys = null;
        sameKeyRows = null;
        concurrentEditRows = null;
    }

    private java.util.Set<RowKey> sameKeyRows() throws SQLException {
        if (sameKeyRows == null) {
            sameKeyRows = rowsWhere("reason = ?", SAME_KEY);
        }
        return sameKeyRows;
    }

    private java.util.Set<RowKey> concurrentEditRows() throws SQLException {
        if (concurrentEditRows == null) {
            concurrentEditRows = rowsWhere("reason LIKE ?", ConcurrentEdits.REASON_START + "%");
        }
        return concurrentEditRows;
    }

    private java.util.Set<RowKey> rowsWhere(String condition, String reason) throws SQLException {
        java.util.Set<RowKey> rows = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tbl, pk FROM _sync_conflict WHERE " + condition)) {
            ps.setString(1, reason);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new RowKey(rs.getString(1), rs.getBytes(2)));
                }
            }
        }
        return rows;
    }

    private java.util.Set<RowKey> activeKeys() throws SQLException {
        if (activeKeys == null) {
            activeKeys = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT tbl, pk FROM _sync_conflict WHERE active = 1");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    activeKeys.add(new RowKey(rs.getString(1), rs.getBytes(2)));
                }
            }
        }
        return activeKeys;
    }

    void record(String table, byte[] loserKey, byte[] winnerKey, byte[] row, String reason, Version loser)
            throws SQLException {
        deactivate(table, loserKey);
        activeKeys().add(new RowKey(table, loserKey));
        insert(table, loserKey, winnerKey, row, reason, loser, true);
    }

    /** Why a row is in the conflicts table after losing to a newer insert of the same key. */
    static final String SAME_KEY = "the same key was inserted again, by a newer insert, with no delete in between";

    /**
     * Keeps a row that lost to a newer insert of the same key (settled at once: the winner is in the
     * table). Recorded once per losing version, whatever how often the changes arrive.
     */
    boolean recordSameKey(String table, byte[] key, byte[] row, Version loser) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM _sync_conflict WHERE tbl = ? AND pk = ?"
                + " AND hlc = ? AND device = ? AND reason = ?")) {
            ps.setString(1, table);
            ps.setBytes(2, key);
            ps.setLong(3, loser.hlc());
            ps.setString(4, loser.device());
            ps.setString(5, SAME_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        recordSettled(table, key, row, SAME_KEY, loser);
        sameKeyRows().add(new RowKey(table, key));
        return true;
    }

    /** Forgets same-key losses of inserts older than a delete of the row: it was deleted after them. */
    void settleSameKey(String table, byte[] key, Version delete) throws SQLException {
        if (!sameKeyRows().contains(new RowKey(table, key))) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM _sync_conflict WHERE tbl = ? AND pk = ?"
                + " AND reason = ? AND (hlc < ? OR (hlc = ? AND device < ?))")) {
            ps.setString(1, table);
            ps.setBytes(2, key);
            ps.setString(3, SAME_KEY);
            ps.setLong(4, delete.hlc());
            ps.setLong(5, delete.hlc());
            ps.setString(6, delete.device());
            ps.executeUpdate();
        }
    }

    /**
     * Keeps a column value that lost a concurrent edit (settled: the winner is in the table), once
     * per losing version and column, however often the changes arrive. True if newly recorded.
     */
    boolean recordConcurrentEdit(String table, byte[] key, String column, Object value, Version loser, Version winner)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT data, reason FROM _sync_conflict WHERE tbl = ? AND pk = ?"
                + " AND hlc = ? AND device = ? AND active = 0")) {
            ps.setString(1, table);
            ps.setBytes(2, key);
            ps.setLong(3, loser.hlc());
            ps.setString(4, loser.device());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (ConcurrentEdits.is(rs.getString(2))
                            && column.equalsIgnoreCase(ValueCodec.decodeRow(rs.getBytes(1)).columns().get(0))) {
                        return false;
                    }
                }
            }
        }
        recordSettled(table, key, ValueCodec.encodeRow(List.of(column), java.util.Collections.singletonList(value)),
                ConcurrentEdits.reason(column, winner), loser);
        concurrentEditRows().add(new RowKey(table, key));
        return true;
    }

    /**
     * Forgets the concurrent-edit losses of a row a delete removes: the delete wins over both
     * edits, and a device that had the delete first never compared them ({@link LostUpdates} lists
     * what the delete made lose), so every device lists the same.
     */
    void settleConcurrentEdits(String table, byte[] key) throws SQLException {
        if (!concurrentEditRows().remove(new RowKey(table, key))) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM _sync_conflict WHERE tbl = ? AND pk = ?"
                + " AND active = 0 AND reason LIKE ?")) {
            ps.setString(1, table);
            ps.setBytes(2, key);
            ps.setString(3, ConcurrentEdits.REASON_START + "%");
            ps.executeUpdate();
        }
    }

    /** Keeps a version of a row that lost and needs nothing more (active = 0): only for the user to see. */
    void recordSettled(String table, byte[] key, byte[] row, String reason, Version loser) throws SQLException {
        insert(table, key, key, row, reason, loser, false);
    }

    private void insert(String table, byte[] key, byte[] winnerKey, byte[] row, String reason, Version loser, boolean active)
            throws SQLException {
        long id = clock.now();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO _sync_conflict"
                + " (id, tbl, pk, winner_pk, data, reason, hlc, device, recorded_at, active)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, table);
            ps.setBytes(3, key);
            ps.setBytes(4, winnerKey);
            ps.setBytes(5, row);
            ps.setString(6, reason);
            ps.setLong(7, loser.hlc());
            ps.setString(8, loser.device());
            ps.setString(9, Instant.now().toString());
            ps.setInt(10, active ? 1 : 0);
            ps.executeUpdate();
        }
        if (LOG.isInfoEnabled()) {
            LOG.info("conflict {} in {}: the version of device {} at {} lost ({}); kept in _sync_conflict,"
                    + " CALL sync_conflicts() shows it", id, table, loser.device(), Hlc.format(loser.hlc()), reason);
        }
    }

    /** Marks the active entry of a row as settled (back in its table, or deleted since). */
    void deactivate(String table, byte[] key) throws SQLException {
        activeKeys().remove(new RowKey(table, key));
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE _sync_conflict SET active = 0 WHERE tbl = ? AND pk = ? AND active = 1")) {
            ps.setString(1, table);
            ps.setBytes(2, key);
            ps.executeUpdate();
        }
    }

    /** The active entry of a displaced row, or null. */
    Displaced activeFor(String table, byte[] key) throws SQLException {
        if (!activeKeys().contains(new RowKey(table, key))) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, tbl, pk, data FROM _sync_conflict WHERE tbl = ? AND pk = ? AND active = 1")) {
            ps.setString(1, table);
            ps.setBytes(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Displaced(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getBytes(4)) : null;
            }
        }
    }

    /** Replaces the kept content of a displaced row (it received an update while out of its table). */
    void updateRow(long id, byte[] row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE _sync_conflict SET data = ? WHERE id = ?")) {
            ps.setBytes(1, row);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /**
     * The lower-case names of the tables with a row kept active: from the keys read once per
     * transaction (as {@link #activeFor} reads them), so a transaction of many batches asks once.
     */
    java.util.Set<String> activeTables() throws SQLException {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (RowKey k : activeKeys()) {
            out.add(k.table().toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }

    List<Displaced> active() throws SQLException {
        List<Displaced> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, tbl, pk, data FROM _sync_conflict WHERE active = 1 ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Displaced(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getBytes(4)));
            }
        }
        return out;
    }

    /** One row of {@code _sync_conflict}, as stored. */
    public record Kept(long id, String table, byte[] key, byte[] winnerKey, String reason, byte[] row, String device,
                       long hlc, String recordedAt, boolean active) {
    }

    /** Every kept row, oldest or newest first. */
    public static List<Kept> all(Connection c, boolean newestFirst) throws SQLException {
        List<Kept> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, tbl, pk, winner_pk, reason, data, device, hlc, recorded_at,"
                + " active FROM _sync_conflict ORDER BY id" + (newestFirst ? " DESC" : ""));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Kept(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getBytes(4), rs.getString(5),
                        rs.getBytes(6), rs.getString(7), rs.getLong(8), rs.getString(9), rs.getInt(10) != 0));
            }
        }
        return out;
    }

    /** How many rows are out of their table (active entries). */
    public static long activeCount(Connection c) throws SQLException {
        return ScalarQueries.number(c, "SELECT COUNT(*) FROM _sync_conflict WHERE active = 1");
    }

    /** True when a row of this table (its lower-case name) is kept. */
    public static boolean anyFor(Connection c, String lowerTable) throws SQLException {
        return ScalarQueries.anyRow(c, "SELECT 1 FROM _sync_conflict WHERE LOWER(tbl) = ? LIMIT 1", lowerTable);
    }

    /** The source's select and the target's insert (same columns) that copy the kept rows to another device. */
    public static String[] cloneCopy(Dialect target) {
        return new String[] {"SELECT id, tbl, pk, winner_pk, data, reason, hlc, device, recorded_at, active FROM _sync_conflict",
                target.insertIgnorePrefix() + "_sync_conflict (id, tbl, pk, winner_pk, data, reason, hlc, device, recorded_at,"
                        + " active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
    }
}
