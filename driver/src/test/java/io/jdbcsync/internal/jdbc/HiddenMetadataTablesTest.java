package io.jdbcsync.internal.jdbc;

import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DatabaseMetaData lists the app's schema as the underlying driver would without sync. */
class HiddenMetadataTablesTest {

    @ParameterizedTest
    @EnumSource(Kind.class)
    void driverTablesAreNotListed(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE parent (id INTEGER PRIMARY KEY, name VARCHAR(20))",
                    "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER, FOREIGN KEY (parent_id) REFERENCES parent (id))",
                    "CREATE INDEX child_parent ON child (parent_id)",
                    "INSERT INTO parent (id, name) VALUES (1, 'a')");
            assertFalse(db.rawRows(kind == Kind.SQLITE ? "SELECT name FROM sqlite_master WHERE name LIKE '\\_sync\\_%' ESCAPE '\\'"
                    : "SHOW TABLES LIKE '\\_sync\\_%'").isEmpty(), "the driver's tables exist");
            DatabaseMetaData md = c.getMetaData();
            String cat = c.getCatalog();
            assertEquals(List.of("child", "parent"), sorted(names(md.getTables(cat, null, "%", null), "TABLE_NAME")));
            assertEquals(List.of("child", "parent"), distinct(names(md.getColumns(cat, null, "%", "%"), "TABLE_NAME")));
            assertTrue(names(md.getTables(cat, null, "_sync_log", null), "TABLE_NAME").isEmpty());
            assertTrue(names(md.getColumns(cat, null, "_sync_state", "%"), "TABLE_NAME").isEmpty());
            assertTrue(names(md.getPrimaryKeys(cat, null, "_sync_state"), "TABLE_NAME").isEmpty());
            assertTrue(names(md.getIndexInfo(cat, null, "_sync_row", false, false), "TABLE_NAME").isEmpty());
            assertEquals(List.of("parent"), names(md.getPrimaryKeys(cat, null, "parent"), "TABLE_NAME"));
            assertEquals(List.of("parent"), names(md.getImportedKeys(cat, null, "child"), "PKTABLE_NAME"));
            assertEquals(List.of("child"), names(md.getExportedKeys(cat, null, "parent"), "FKTABLE_NAME"));
            assertFalse(names(md.getIndexInfo(cat, null, "child", false, false), "INDEX_NAME").isEmpty());
            try (ResultSet rs = md.getTables(cat, null, "parent", null)) {
                assertTrue(rs.next());
                assertEquals("parent", rs.getString(3).toLowerCase(Locale.ROOT));
                assertFalse(rs.next());
            }
        }
    }

    /** sqlite-jdbc lists automatic indexes as system tables; those of the driver's tables are hidden too. */
    @Test
    void sqliteAutomaticIndexesOfDriverTablesAreNotListed() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id INTEGER PRIMARY KEY, code TEXT UNIQUE)",
                    "INSERT INTO item (id, code) VALUES (1, 'a')");
            assertFalse(db.rawRows("SELECT name FROM sqlite_master WHERE name LIKE 'sqlite\\_autoindex\\_\\_sync\\_%' ESCAPE '\\'")
                    .isEmpty(), "the driver's tables have automatic indexes");
            List<String> all = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, null, null, null)) {
                while (rs.next()) {
                    all.add(rs.getString("TABLE_NAME"));
                }
            }
            assertTrue(all.stream().noneMatch(n -> n.toLowerCase(Locale.ROOT).contains("_sync_")), all.toString());
            assertTrue(all.contains("sqlite_autoindex_item_1"), "the app's own automatic index is listed as raw: " + all);
            assertTrue(all.contains("item"), all.toString());
        }
    }

    private static List<String> names(ResultSet rs, String column) throws SQLException {
        List<String> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                String n = rs.getString(column);
                if (n != null && !n.startsWith("sqlite_")) {
                    out.add(n.toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    private static List<String> sorted(List<String> names) {
        names.sort(null);
        return names;
    }

    private static List<String> distinct(List<String> names) {
        return sorted(new ArrayList<>(new java.util.TreeSet<>(names)));
    }
}
