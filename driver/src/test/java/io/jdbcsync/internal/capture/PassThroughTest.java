package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Statements that touch no synced table reach the database as they are and log nothing. */
class PassThroughTest {

    private static List<String> status(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(md.getColumnLabel(i));
        }
        assertEquals(List.of("device_id", "pending_changes", "synced_tables", "unsynced_tables"), columns.subList(0, 4));
        assertTrue(rs.next());
        List<String> row = List.of(rs.getString("device_id"), Long.toString(rs.getLong("pending_changes")),
                rs.getString("synced_tables"), rs.getString("unsynced_tables"));
        assertFalse(rs.next());
        assertTrue(row.get(0).matches("[a-z0-9]{16}"), row.get(0));
        return row.subList(1, 4);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void tableWithoutPrimaryKeyIsNotSynced(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            // The counter column gets the database's own numbering: the statements run unchanged.
            String counter = kind == Kind.SQLITE ? "seq INTEGER" : "seq BIGINT AUTO_INCREMENT UNIQUE";
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))",
                    "CREATE TABLE audit (" + counter + ", msg VARCHAR(20))");
            exec(c, "INSERT INTO audit (msg) VALUES ('a'), ('b')", "UPDATE audit SET msg = 'c' WHERE msg = 'b'",
                    "DELETE FROM audit WHERE msg = 'a'");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit (msg) VALUES (?)")) {
                ps.setString(1, "d");
                ps.addBatch();
                ps.setString(1, "e");
                ps.addBatch();
                ps.executeBatch();
                ps.setString(1, "f");
                assertEquals(1, ps.executeUpdate());
            }
            // Joined with a synced table that it only reads.
            exec(c, "INSERT INTO item (id, name) VALUES (1, 'c')");
            exec(c, kind == Kind.SQLITE
                    ? "UPDATE audit SET msg = item.name || 'c' FROM item WHERE item.name = audit.msg"
                    : "UPDATE audit JOIN item ON item.name = audit.msg SET audit.msg = CONCAT(item.name, 'c')");
            assertEquals(List.of("I item [1] id=1 name='c'"), ChangeLog.lines(db));
            assertEquals(List.of("cc", "d", "e", "f"), db.rawRows("SELECT msg FROM audit ORDER BY msg"));
            if (kind == Kind.SQLITE) {
                assertEquals(List.of(), db.rawRows("SELECT seq FROM audit WHERE seq IS NOT NULL"));
            } else {
                assertEquals(List.of(), db.rawRows("SELECT seq FROM audit WHERE seq > 100"), "AUTO_INCREMENT's own numbers");
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
                assertEquals(List.of("1", "item", "audit"), status(rs));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void excludedAndUnselectedTablesAreNotSynced(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Properties p = new Properties();
            p.setProperty("sync.exclude", "cache");
            try (Connection c = db.openSync(p)) {
                exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))",
                        "CREATE TABLE cache (id " + db.autoKey() + ", v VARCHAR(20))",
                        "INSERT INTO cache (v) VALUES ('x')", "INSERT INTO cache (v) VALUES ('y')",
                        "UPDATE cache SET v = 'z' WHERE id = 1", "INSERT INTO item (id, name) VALUES (1, 'a')");
                assertEquals(List.of("1|z", "2|y"), db.rawRows("SELECT id, v FROM cache ORDER BY id"),
                        "the database's own key numbering: the insert ran unchanged");
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
                    assertEquals(List.of("1", "item", "cache"), status(rs));
                }
            }
            assertEquals(List.of("I item [1] id=1 name='a'"), ChangeLog.lines(db));
        }
        try (TestDatabase db = TestDatabase.create(kind);
             Connection c = DriverManager.getConnection(db.syncUrl("sync.tables=item"))) {
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))",
                    "CREATE TABLE other (id BIGINT PRIMARY KEY, name VARCHAR(20))",
                    "INSERT INTO other (id, name) VALUES (1, 'o')", "INSERT INTO item (id, name) VALUES (1, 'i')");
            assertEquals(List.of("I item [1] id=1 name='i'"), ChangeLog.lines(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readsAndOtherStatementsLogNothing(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO item (id, name) VALUES (1, 'a')");
            // Reads the SQL parser would not understand still run: reads are never parsed.
            String exotic = kind == Kind.SQLITE
                    ? "SELECT name FROM item WHERE name GLOB 'a*' AND id IN (SELECT value FROM json_each('[1]'))"
                    : "SELECT name FROM item WHERE name = _utf8mb4'a' COLLATE utf8mb4_general_ci LOCK IN SHARE MODE";
            try (Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery(exotic)) {
                    assertTrue(rs.next());
                    assertEquals("a", rs.getString(1));
                }
                assertTrue(s.execute("WITH x AS (SELECT id FROM item) SELECT COUNT(*) FROM x"));
                try (ResultSet rs = s.getResultSet()) {
                    assertTrue(rs.next());
                    assertEquals(1, rs.getInt(1));
                }
                s.execute(kind == Kind.SQLITE ? "PRAGMA foreign_keys = ON" : "SET @x = 1");
                s.execute(kind == Kind.SQLITE ? "SELECT * FROM item INDEXED BY sqlite_autoindex_item_1" : "SELECT * FROM item FOR UPDATE");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM item WHERE id = ?")) {
                ps.setLong(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals("a", rs.getString(1));
                }
            }
            assertEquals(1, ChangeLog.count(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void unparseableWriteToAnUnsyncedTablePasses(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))", "CREATE TABLE notes (body VARCHAR(20))");
            // Valid for the database, beyond the SQL parser the capture uses.
            exec(c, kind == Kind.SQLITE
                    ? "INSERT INTO notes (body) SELECT 'n' WHERE 'n' GLOB 'n*'"
                    : "INSERT INTO notes (body) VALUES (_utf8mb4'n')");
            assertEquals(List.of("n"), db.rawRows("SELECT body FROM notes"));
            assertEquals(0, ChangeLog.count(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void statusThroughEveryKindOfStatement(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE b_item (id BIGINT PRIMARY KEY)", "CREATE TABLE a_item (id BIGINT PRIMARY KEY)",
                    "CREATE TABLE loose (v INTEGER)", "INSERT INTO a_item (id) VALUES (1), (2)");
            List<String> expected = List.of("2", "a_item,b_item", "loose");
            try (Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("CALL sync_status()")) {
                    assertEquals(expected, status(rs));
                }
                assertTrue(s.execute("call SYNC_STATUS"));
                try (ResultSet rs = s.getResultSet()) {
                    assertEquals(expected, status(rs));
                }
                try (ResultSet rs = s.executeQuery("{call sync_status()}")) {
                    assertEquals(expected, status(rs));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("CALL sync_status()")) {
                try (ResultSet rs = ps.executeQuery()) {
                    assertEquals(expected, status(rs));
                }
                assertTrue(ps.execute());
                try (ResultSet rs = ps.getResultSet()) {
                    assertEquals(expected, status(rs));
                }
            }
            for (String sql : new String[] {"CALL sync_status()", "{call sync_status()}", "{ call sync_status }"}) {
                try (CallableStatement cs = c.prepareCall(sql)) {
                    try (ResultSet rs = cs.executeQuery()) {
                        assertEquals(expected, status(rs), sql);
                    }
                }
            }
            assertEquals(2, ChangeLog.count(db));
        }
    }
}
