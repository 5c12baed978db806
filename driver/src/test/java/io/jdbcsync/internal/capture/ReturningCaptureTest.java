package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** INSERT/UPDATE/DELETE ... RETURNING on synced tables returns what was stored, and is logged. */
class ReturningCaptureTest {

    @ParameterizedTest
    @EnumSource(Kind.class)
    void insertReturningGivesTheStoredKey(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id " + db.autoKey() + ", name VARCHAR(20), qty INT DEFAULT 7)");
            List<String> returned = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("insert into item (name, qty) values (?, ?) returning id, name, qty")) {
                ps.setString(1, "a");
                ps.setInt(2, 3);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    returned.add(rs.getLong("id") + "|" + rs.getString("name") + "|" + rs.getInt(3));
                    assertFalse(rs.next());
                }
                ps.setString(1, "b");
                ps.setInt(2, 4);
                assertTrue(ps.execute());
                try (ResultSet rs = ps.getResultSet()) {
                    assertTrue(rs.next());
                    returned.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getInt(3));
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("INSERT INTO item (name) VALUES ('c') RETURNING id, qty")) {
                assertTrue(rs.next());
                returned.add(rs.getLong(1) + "|c|" + rs.getInt(2));
            }
            assertEquals(db.rawRows("SELECT id, name, qty FROM item ORDER BY name"), returned);
            // Keys are the driver's time-ordered ids, not 1, 2, 3.
            assertTrue(Long.parseLong(returned.get(0).split("\\|")[0]) > 1_000_000);
            assertEquals(3, db.logRows().size());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void deleteReturningGivesTheRowsBeforeTheyGo(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id INTEGER PRIMARY KEY, name VARCHAR(20))",
                    "INSERT INTO item (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
            List<String> gone = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM item WHERE id >= ? RETURNING id, name");
                 ResultSet rs = bind(ps, 2).executeQuery()) {
                while (rs.next()) {
                    gone.add(rs.getInt(1) + "|" + rs.getString(2));
                }
            }
            gone.sort(null);
            assertEquals(List.of("2|b", "3|c"), gone);
            assertEquals(List.of("1"), db.rawRows("SELECT id FROM item"));
            assertEquals(List.of("I", "I", "I", "D", "D"), ops(db));
        }
    }

    @Test
    void sqliteUpdateReturningGivesTheStoredValues() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id INTEGER PRIMARY KEY, qty INT)", "INSERT INTO item (id, qty) VALUES (1, 1), (2, 2)");
            try (PreparedStatement ps = c.prepareStatement("UPDATE item SET qty = qty * 10 WHERE id = ? RETURNING id, qty");
                 ResultSet rs = bind(ps, 2).executeQuery()) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt("id"));
                assertEquals(20, rs.getInt("qty"));
                assertFalse(rs.next());
            }
            assertEquals(List.of("I", "I", "U"), ops(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void returningOnAnUnsyncedTableIsTheDatabases(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE scratch (x INT)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO scratch (x) VALUES (?) RETURNING x");
                 ResultSet rs = bind(ps, 5).executeQuery()) {
                assertTrue(rs.next());
                assertEquals(5, rs.getInt(1));
            }
        }
    }

    /** MariaDB has no UPDATE ... RETURNING: the driver does not accept what the database refuses. */
    @Test
    void mariaDbUpdateReturningFailsAsTheDatabaseMakesItFail() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id INTEGER PRIMARY KEY, qty INT)", "INSERT INTO item (id, qty) VALUES (1, 1)");
            String sql = "UPDATE item SET qty = 5 WHERE id = 1 RETURNING id, qty";
            SQLException raw;
            try (Connection r = db.openRaw(); Statement s = r.createStatement()) {
                raw = assertThrows(SQLException.class, () -> s.executeQuery(sql));
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                assertEquals(raw.getErrorCode(), assertThrows(SQLException.class, ps::executeQuery).getErrorCode());
            }
            assertEquals(List.of("1"), db.rawRows("SELECT qty FROM item"));
            assertEquals(List.of("I"), ops(db));
        }
    }

    @Test
    void returningWithAConflictClauseIsRefusedAtPrepare() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
            SQLException e = assertThrows(SQLException.class,
                    () -> c.prepareStatement("INSERT OR IGNORE INTO item (id, name) VALUES (?, ?) RETURNING id"));
            assertNotEquals(-1, e.getMessage().indexOf("RETURNING"), e.getMessage());
        }
    }

    private static PreparedStatement bind(PreparedStatement ps, int value) throws SQLException {
        ps.setInt(1, value);
        return ps;
    }

    private static List<String> ops(TestDatabase db) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Object[] row : db.logRows()) {
            out.add((String) row[0]);
        }
        return out;
    }
}
