package io.jdbcsync.internal.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Metadata rows without the driver's own tables: schema validators, diff and migration tools see
 * the app's schema as it would be without sync. The rows pass through as the underlying driver
 * gives them (same columns, types and getters); rows naming a {@code _sync_} table are skipped.
 */
final class HiddenTables {
    static final String PREFIX = "_sync_";
    /**
     * SQLite names the index behind a UNIQUE or PRIMARY KEY constraint {@code sqlite_autoindex_<table>_<n>},
     * and sqlite-jdbc lists those indexes among the tables ("SYSTEM TABLE").
     */
    private static final String AUTOINDEX_PREFIX = "sqlite_autoindex_" + PREFIX;

    private HiddenTables() {
    }

    static boolean isHidden(String table) {
        return startsWith(table, PREFIX) || startsWith(table, AUTOINDEX_PREFIX);
    }

    private static boolean startsWith(String name, String prefix) {
        return name != null && name.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /** {@code rows} without the rows whose {@code tableColumns} name one of the driver's tables. */
    static ResultSet filter(ResultSet rows, String... tableColumns) {
        return rows == null ? null : new VisibleRows(rows, tableColumns);
    }

    /** The rows of {@code raw} that name no driver table; everything else is {@code raw}'s. */
    private static final class VisibleRows extends ForwardingResultSet {
        private final String[] tableColumns;

        VisibleRows(ResultSet raw, String[] tableColumns) {
            super(raw);
            this.tableColumns = tableColumns;
        }

        @Override
        public boolean next() throws SQLException {
            while (raw.next()) {
                if (!hidden()) {
                    return true;
                }
            }
            return false;
        }

        private boolean hidden() throws SQLException {
            for (String column : tableColumns) {
                if (isHidden(raw.getString(column))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return "metadata rows without " + PREFIX + " tables: " + raw;
        }
    }
}
