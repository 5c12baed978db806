package io.jdbcsync.internal.keys;

import io.jdbcsync.internal.capture.UncapturableWriteException;
import io.jdbcsync.testing.Fleet;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Database sequences and ORM id counter tables hand out the same values on every device: the
 * driver answers {@code NEXT VALUE FOR} from its key blocks, refuses other uses of sequence
 * values, and reports counter tables at connect and in {@code CALL sync_keys()}.
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

    private static long nextValue(Connection c, String sql, boolean prepared) throws SQLException {
        if (prepared) {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getLong(1);
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    @Test
    void mariaDbSequencesAnswerFromBlocksKeepingWholeIncrementsApart() throws Exception {
        try (Fleet fleet = new Fleet(List.of(Kind.MARIADB, Kind.MARIADB), null, null)) {
            fleet.everywhere("CREATE TABLE person (id BIGINT PRIMARY KEY, name VARCHAR(40))",
                    "CREATE SEQUENCE person_seq START WITH 1 INCREMENT BY 50");
            // The database's own sequence handed out values before sync: block values go above them.
            long before;
            try (Connection raw = fleet.database(0).openRaw(); Statement s = raw.createStatement();
                 ResultSet rs = s.executeQuery("SELECT NEXT VALUE FOR person_seq")) {
                rs.next();
                before = rs.getLong(1);
            }
            String[] forms = {"SELECT NEXT VALUE FOR person_seq", "select nextval(person_seq)",
                "SELECT NEXTVAL ( person_seq ) AS v", "select next value for `person_seq` from dual;"};
            List<Long> values = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                values.add(nextValue(fleet.device(i % 2), forms[i % forms.length], i % 3 == 0));
            }
            Collections.sort(values);
            for (int i = 1; i < values.size(); i++) {
                // Hibernate's pooled optimizer uses v-49..v, pooled-lo v..v+49: neither may overlap another value's.
                assertTrue(values.get(i) - values.get(i - 1) >= 99, values.toString());
            }
            assertTrue(values.get(0) - 49 > before + 49, "above the database's own values: " + values.get(0));
            for (String sql : new String[] {"SELECT NEXT VALUE FOR person_seq + 1", "SELECT id, NEXTVAL(person_seq) FROM person"}) {
                UncapturableWriteException e = assertThrows(UncapturableWriteException.class,
                        () -> nextValue(fleet.device(0), sql, false), sql);
                assertEquals("0A000", e.getSQLState());
                assertTrue(e.getMessage().contains("sequence") && e.getMessage().contains("IDENTITY"), e.getMessage());
            }
            try (Statement s = fleet.device(0).createStatement()) {
                UncapturableWriteException e = assertThrows(UncapturableWriteException.class,
                        () -> s.executeUpdate("INSERT INTO person (id, name) VALUES (NEXT VALUE FOR person_seq, 'x')"));
                assertTrue(e.getMessage().contains("sequence"), e.getMessage());
                s.execute("CREATE TABLE audit_note (n BIGINT, note VARCHAR(20))");
                // A table that is not synced (no primary key) may take the database's own values.
                s.executeUpdate("INSERT INTO audit_note (n, note) VALUES (NEXT VALUE FOR person_seq, 'kept')");
                assertTrue(s.executeQuery("SELECT COUNT(*) FROM audit_note").next());
            }
            try (Statement s = fleet.device(0).createStatement(); ResultSet rs = s.executeQuery("CALL sync_keys()")) {
                boolean listed = false;
                while (rs.next()) {
                    listed |= rs.getString("table_name").equals("person_seq")
                            && rs.getString("strategy").contains("answered from blocks");
                }
                assertTrue(listed);
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
                // Taking an id from it is refused: both devices would hand out 1, 2, 3.
                SQLException e = assertThrows(SQLException.class,
                        () -> c.createStatement().executeUpdate("UPDATE person_SEQ SET next_val = 51 WHERE next_val = 1"));
                assertTrue(e.getMessage().contains("collide") && e.getMessage().contains("IDENTITY"), e.getMessage());
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT next_val FROM person_SEQ")) {
                    rs.next();
                    assertEquals(1, rs.getLong(1), "the refused update did not run");
                }
            }
        }
    }
}
