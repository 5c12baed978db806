package io.jdbcsync.keys;

import io.jdbcsync.capture.UncapturableWriteException;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Database sequences and ORM id counter tables hand out the same values on every device: the
 * driver refuses sequence values and reports both kinds at connect and in {@code CALL sync_keys()}.
 */
class SequencesTest {

    private static Map<String, String[]> keys(Connection c) throws SQLException {
        Map<String, String[]> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_keys()")) {
            while (rs.next()) {
                out.put(rs.getString("table_name"), new String[] {rs.getString("strategy"), rs.getString("problem")});
            }
        }
        return out;
    }

    @Test
    void mariaDbSequenceValuesAreRefusedClearlyAndReported() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-seq");
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB)) {
            db.execRaw("CREATE TABLE person (id BIGINT PRIMARY KEY, name VARCHAR(40))",
                    "CREATE SEQUENCE person_seq START WITH 1 INCREMENT BY 50");
            try (Connection c = DriverManager.getConnection(db.syncUrl("sync.log=" + log))) {
                for (String sql : new String[] {"SELECT NEXT VALUE FOR person_seq", "select nextval(person_seq)",
                    "SELECT NEXTVAL ( person_seq ) AS v"}) {
                    SQLException e = assertThrows(SQLException.class, () -> {
                        try (Statement s = c.createStatement()) {
                            s.executeQuery(sql);
                        }
                    }, sql);
                    assertInstanceOf(UncapturableWriteException.class, e);
                    assertEquals("0A000", e.getSQLState());
                    assertTrue(e.getMessage().contains("sequence") && e.getMessage().contains("IDENTITY"), e.getMessage());
                }
                try (PreparedStatement ps = c.prepareStatement("select next value for person_seq")) {
                    assertThrows(UncapturableWriteException.class, ps::executeQuery);
                }
                try (Statement s = c.createStatement()) {
                    UncapturableWriteException e = assertThrows(UncapturableWriteException.class,
                            () -> s.executeUpdate("INSERT INTO person (id, name) VALUES (NEXT VALUE FOR person_seq, 'x')"));
                    assertTrue(e.getMessage().contains("sequence"), e.getMessage());
                    s.execute("CREATE TABLE audit_note (n BIGINT, note VARCHAR(20))");
                    // A table that is not synced (no primary key) may take sequence values.
                    s.executeUpdate("INSERT INTO audit_note (n, note) VALUES (NEXT VALUE FOR person_seq, 'kept')");
                }
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT 'NEXT VALUE FOR person_seq' AS text, 1 AS nextval_count")) {
                    assertTrue(rs.next(), "a string or a column name is no sequence use");
                }
                String[] row = keys(c).get("person_seq");
                assertTrue(row != null && row[0].startsWith("sequence"), String.valueOf(row == null ? null : row[0]));
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT NEXT VALUE FOR person_seq")) {
                    throw new AssertionError("refused above, and nothing changed since");
                } catch (UncapturableWriteException expected) {
                    // still refused
                }
            }
            try (Connection c = DriverManager.getConnection(db.syncUrl("sync.log=" + log + "&sync.on-uncapturable=pass"));
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT NEXT VALUE FOR person_seq")) {
                assertTrue(rs.next());
                assertEquals(51, rs.getLong(1), "passed through to the database on request (after the audit note's 1)");
            }
        }
    }

    @Test
    void ormCounterTablesAreReportedAtConnect() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-seq");
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE)) {
            // What Hibernate creates for GenerationType.SEQUENCE on SQLite: one row, no primary key.
            db.execRaw("CREATE TABLE person (id BIGINT PRIMARY KEY, name TEXT)",
                    "CREATE TABLE person_SEQ (next_val BIGINT)", "INSERT INTO person_SEQ VALUES (1)");
            try (Connection c = DriverManager.getConnection(db.syncUrl("sync.log=" + log))) {
                Map<String, String[]> keys = keys(c);
                assertTrue(keys.get("person_SEQ")[0].contains("ORM id counter"), keys.get("person_SEQ")[0]);
                assertTrue(keys.get("person_SEQ")[1].contains("IDENTITY"));
                assertEquals("time-ordered 63-bit", keys.get("person")[0]);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
                    rs.next();
                    assertTrue(rs.getString("unsynced_tables").contains("person_SEQ"));
                }
            }
        }
    }
}
