package io.jdbcsync.internal.device;

import io.jdbcsync.internal.dialect.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code _sync_state} name/value table: device identity, format version, persisted clock; and
 * what opening a device reads of the other metadata tables (the clock values they hold, whether
 * the database has synced). Values are checked when read, so a hand-edited table gives a clear
 * error instead of a wrong result.
 */
public final class MetadataStore {
    /**
     * Version of the metadata tables' layout; a database written by a newer layout is refused.
     * 2: {@code _sync_log} may hold packed rows (op {@code P}, see {@code PackedChanges}); a format 1
     * database is raised to 2 when opened, so a driver that reads only format 1 refuses it.
     */
    static final int FORMAT = 2;

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
        return Math.max(number(c, "SELECT MAX(hlc) FROM _sync_log"), number(c, "SELECT MAX(hlc) FROM _sync_row"));
    }

    /** The least clock value in the change log and the row versions (0 when both are empty). */
    static long oldestStamp(Connection c) throws SQLException {
        return Math.min(number(c, "SELECT MIN(hlc) FROM _sync_log"), number(c, "SELECT MIN(hlc) FROM _sync_row"));
    }

    /** True when the database has pulled from the shared log or holds row versions. */
    static boolean hasHistory(Connection c) throws SQLException {
        return number(c, "SELECT COUNT(*) FROM _sync_cursor") > 0 || number(c, "SELECT COUNT(*) FROM _sync_row") > 0;
    }

    private static long number(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    static boolean exists(Connection c) throws SQLException {
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
}
