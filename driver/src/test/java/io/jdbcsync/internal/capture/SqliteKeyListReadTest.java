package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A SQLite range UPDATE or DELETE on a single integer key reads the keys it changes as one text
 * ({@code group_concat}) instead of a row per key. SQLite keeps text, reals and blobs in an
 * INTEGER column that is not the rowid: such keys, and blobs whose bytes spell digits, must be
 * logged as stored, through the read of a row per key.
 */
class SqliteKeyListReadTest {

    @Test
    void rangeWritesLogTheKeysTheyChange() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id INTEGER PRIMARY KEY, qty INT)");
            db.execRaw("INSERT INTO item (id, qty) VALUES (-9223372036854775808, 0), (-2, 0), (3, 0), (4, 0),"
                    + " (9223372036854775807, 0), (10, 0)");
            int before = ChangeLog.read(db).size();
            exec(c, "UPDATE item SET qty = 5 WHERE id < 5 OR id > 9");
            assertEquals(List.of("U item [-9223372036854775808] qty=5", "U item [-2] qty=5", "U item [3] qty=5",
                    "U item [4] qty=5", "U item [10] qty=5", "U item [9223372036854775807] qty=5"), lines(db, before));
            before = ChangeLog.read(db).size();
            exec(c, "DELETE FROM item WHERE id BETWEEN -5 AND 3");
            assertEquals(List.of("D item [-2]", "D item [3]"), lines(db, before));
            before = ChangeLog.read(db).size();
            exec(c, "DELETE FROM item WHERE id BETWEEN 100 AND 200");
            assertEquals(List.of(), lines(db, before));
            assertEquals(List.of("-9223372036854775808|5", "4|5", "10|5", "9223372036854775807|5"),
                    db.rawRows("SELECT id, qty FROM item ORDER BY id"));
        }
    }

    @Test
    void keysThatAreNoIntegersAreLoggedAsStored() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE odd (id INT PRIMARY KEY, qty INT)");
            try (Connection raw = db.openRaw(); PreparedStatement ps = raw.prepareStatement("INSERT INTO odd VALUES (?, 0)")) {
                for (Object id : new Object[] {1L, new byte[] {'1', '2'}, "a,b", 2.5, "7x", 8L}) {
                    ps.setObject(1, id);
                    ps.executeUpdate();
                }
            }
            int before = ChangeLog.read(db).size();
            exec(c, "UPDATE odd SET qty = 1 WHERE qty = 0");
            assertEquals(sorted(List.of("U odd [1] qty=1", "U odd [2.5d] qty=1", "U odd [8] qty=1", "U odd ['7x'] qty=1",
                    "U odd ['a,b'] qty=1", "U odd [x'3132'] qty=1")), sorted(lines(db, before)));
            before = ChangeLog.read(db).size();
            exec(c, "DELETE FROM odd WHERE qty = 1");
            assertEquals(6, lines(db, before).size());
            assertEquals(List.of(), db.rawRows("SELECT id FROM odd"));
        }
    }

    /** Keys too many for one text of the connection's length limit are read a row each. */
    @Test
    void aListPastTheLengthLimitIsReadRowByRow() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id INTEGER PRIMARY KEY, qty INT)");
            db.execRaw("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)"
                    + " INSERT INTO item SELECT 100000 + i, 0 FROM n");
            c.unwrap(org.sqlite.SQLiteConnection.class).getDatabase().limit(0, 1_000); // SQLITE_LIMIT_LENGTH
            int before = ChangeLog.read(db).size();
            exec(c, "UPDATE item SET qty = 2 WHERE id > 100100");
            List<String> logged = lines(db, before);
            assertEquals(400, logged.size());
            assertEquals("U item [100101] qty=2", logged.get(0));
            assertEquals("U item [100500] qty=2", logged.get(399));
        }
    }

    /** Only the rowid's alias is a key that holds nothing but integers: as SQLite itself shows. */
    @Test
    void theRowidAliasIsTheKeyOfOnlyIntegers() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE)) {
            db.execRaw("CREATE TABLE a (id INTEGER PRIMARY KEY, v INT)", "CREATE TABLE b (id INT PRIMARY KEY, v INT)",
                    "CREATE TABLE w (id INTEGER PRIMARY KEY, v INT) WITHOUT ROWID",
                    "CREATE TABLE d (id INTEGER PRIMARY KEY DESC, v INT)",
                    "CREATE TABLE e (id INTEGER, v INT, PRIMARY KEY (id DESC))",
                    "CREATE TABLE lower_case (id integer primary key, v INT)");
            io.jdbcsync.internal.dialect.Dialect dialect = io.jdbcsync.internal.dialect.Dialect.forUrl("jdbc:sqlite:");
            List<Boolean> told = new java.util.ArrayList<>();
            List<Boolean> shown = new java.util.ArrayList<>();
            try (Connection raw = db.openRaw()) {
                for (String table : List.of("a", "b", "w", "d", "e", "lower_case")) {
                    told.add(dialect.keyOnlyIntegers(raw, table, "id"));
                    boolean refused;
                    try (java.sql.Statement s = raw.createStatement()) {
                        s.executeUpdate("INSERT INTO " + table + " (id) VALUES ('text')");
                        refused = false;
                    } catch (SQLException mismatch) {
                        refused = true;
                    }
                    shown.add(refused);
                }
            }
            assertEquals(shown, told);
            assertEquals(List.of(true, false, false, false, true, true), told);
        }
    }

    private static List<String> lines(TestDatabase db, int from) throws SQLException {
        List<ChangeLog.Change> changes = ChangeLog.read(db);
        return changes.subList(from, changes.size()).stream().map(ChangeLog.Change::toString).toList();
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().sorted().toList();
    }
}
