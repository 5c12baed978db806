package io.jdbcsync.internal.device;

import io.jdbcsync.internal.capture.ChangeLogTable;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.jdbc.ScalarQueries;
import io.jdbcsync.internal.merge.VersionStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code _sync_state} name/value table (device identity, format version, persisted clock,
 * checkpoints) and the {@code _sync_cursor} table (per other device: the last batch integrated and
 * its newest clock value); and what opening a device asks of the other metadata tables' stores.
 * Values are checked when read, so a hand-edited table gives a clear error instead of a wrong result.
 */
public final class MetadataStore {
    /**
     * Version of the metadata tables' layout; a database written by a newer layout is refused.
     * 2: {@code _sync_log} may hold packed rows (op {@code P}, see {@code PackedChanges}); a format 1
     * database is raised to 2 when opened, so a driver that reads only format 1 refuses it.
     * 3: packed log rows may have their column names once per row (header layout byte 2), and
     * versions of rows whose whole history is one insert may be in {@code _sync_pack} (see
     * {@code InsertPacks}); an older database gets the table and is raised to 3 when opened, so a
     * driver that reads neither refuses it instead of misreading it. Older layouts are still read.
     * 4: packed log rows are written in the layout with runs (header layout byte 3: runs of clock
     * steps, keys written as "the previous plus one", runs of such changes with the same data).
     */
    static final int FORMAT = 4;

    private MetadataStore() {
    }

    /** Creates the metadata tables if needed and returns the state rows. */
    static Map<String, String> open(Connection c, Dialect dialect) throws SQLException {
        Map<String, String> state = exists(c) ? read(c) : Map.of();
        String format = state.get("format");
        if (format == null || !format.equals(Integer.toString(FORMAT))) {
            if (format != null && parseFormat(format) > FORMAT) {
                throw damaged("format", format, "this database was set up by a newer jdbc-sync (format " + format
                        + "; this driver reads format " + FORMAT + ")");
            }
            try (Statement s = c.createStatement()) {
                for (String ddl : dialect.metadataDdl()) {
                    s.execute(ddl);
                }
            }
            if (format == null) {
                insertIfAbsent(c, dialect, "format", Integer.toString(FORMAT));
            } else {
                put(c, dialect, "format", Integer.toString(FORMAT));
            }
            state = read(c);
        }
        return state;
    }

    /** True when the metadata tables exist with a device identity; false also when that cannot be read. */
    static boolean isSetUp(Connection c) {
        try {
            return exists(c) && read(c).containsKey("device_id");
        } catch (SQLException e) {
            return false;
        }
    }

    /** True when the database holds no table besides the database's own (a new device). */
    static boolean schemaIsEmpty(Connection c, Dialect dialect) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (!dialect.isInternalTable(name)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The greatest clock value in the change log and the row versions (0 when both are empty). */
    static long newestStamp(Connection c) throws SQLException {
        return Math.max(ChangeLogTable.newestStamp(c), VersionStore.newestStamp(c));
    }

    /** The least clock value in the change log and the row versions (0 when both are empty). */
    static long oldestStamp(Connection c) throws SQLException {
        return Math.min(ChangeLogTable.oldestStamp(c), VersionStore.oldestStamp(c));
    }

    /** True when the database has pulled from the shared log or holds row versions. */
    static boolean hasHistory(Connection c) throws SQLException {
        return ScalarQueries.anyRow(c, "SELECT 1 FROM _sync_cursor") || VersionStore.anyVersion(c);
    }

    /** True when the metadata tables exist (the database was set up for sync). */
    public static boolean exists(Connection c) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, "_sync_state", new String[] {"TABLE"})) {
            return rs.next();
        }
    }

    private static int parseFormat(String format) throws SQLException {
        try {
            return Integer.parseInt(format.trim());
        } catch (NumberFormatException e) {
            throw damaged("format", format, "not a number");
        }
    }

    static Map<String, String> read(Connection c) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, value FROM _sync_state")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    /** Stores {@code value} under {@code name} unless a value is there; returns the value that is there now. */
    static String insertIfAbsent(Connection c, Dialect dialect, String name, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.insertIgnorePrefix() + "_sync_state (name, value) VALUES (?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, value);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM _sync_state WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : value;
            }
        }
    }

    public static void put(Connection c, Dialect dialect, String name, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.upsertPrefix() + "_sync_state (name, value) VALUES (?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, value);
            ps.executeUpdate();
        }
    }

    public static String get(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM _sync_state WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static long longValue(Map<String, String> state, String name) throws SQLException {
        String v = state.get(name);
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw damaged(name, v, "not a number");
        }
    }

    static SQLException damaged(String name, String value, String why) {
        return new SQLException("jdbc-sync metadata table _sync_state is damaged: " + name + " = '" + value + "': " + why
                + ". Restore it from a backup or remove the _sync_ tables to set the device up again.", "XX001");
    }

    /** Removes a state value. */
    public static void remove(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM _sync_state WHERE name = ?")) {
            ps.setString(1, name);
            ps.executeUpdate();
        }
    }

    /**
     * Writes the device's identity row over itself: serialises with the other writers of this
     * device's pushes (and takes SQLite's write lock) before anything is read.
     */
    public static void lockDevice(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE _sync_state SET value = value WHERE name = 'device_id'");
        }
    }

    /** Per other device, in device order: {batches integrated, newest clock value integrated}. */
    public static Map<String, long[]> cursors(Connection c) throws SQLException {
        Map<String, long[]> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT device, sequence, hlc FROM _sync_cursor ORDER BY device")) {
            while (rs.next()) {
                out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
            }
        }
        return out;
    }

    /** Batches of {@code device} integrated here (0: none). */
    public static long cursor(Connection c, String device) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sequence FROM _sync_cursor WHERE device = ?")) {
            ps.setString(1, device);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Stores these cursors ({batches integrated, newest clock value} per device) over the ones stored. */
    public static void putCursors(Connection c, Dialect dialect, Map<String, long[]> cursors) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.upsertPrefix() + "_sync_cursor (device, sequence, hlc) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, long[]> e : cursors.entrySet()) {
                ps.setString(1, e.getKey());
                ps.setLong(2, e.getValue()[0]);
                ps.setLong(3, e.getValue()[1]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
