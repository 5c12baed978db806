package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.util.List;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * MariaDB: an autocommit UPDATE or DELETE by key goes with its log row and the commit in one text,
 * one round trip, with the same outcome as the step-by-step capture; the several statements per
 * text this needs stay the driver's own. A range DELETE reads its keys from its own RETURNING.
 */
class OneRoundTripWriteTest {

    /** {@code SET autocommit} statements the server ran for this session (the step-by-step capture sends two per write). */
    private static long autocommitSwitches(Connection c) throws SQLException {
        return status(c, "Com_set_option");
    }

    private static long status(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE '" + name + "'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    @Test
    void updatesAndDeletesByKeyAreLoggedInOneText() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL, qty INT NOT NULL)",
                    "INSERT INTO item (id, name, qty) VALUES (1, 'a', 1), (2, 'b', 2)");
            long before = autocommitSwitches(c);
            try (PreparedStatement ps = c.prepareStatement("UPDATE item SET name = ?, qty = ? WHERE id = ?")) {
                ps.setString(1, "renamed");
                ps.setInt(2, 7);
                ps.setLong(3, 1);
                assertEquals(1, ps.executeUpdate());
                ps.setLong(3, 99);
                assertEquals(0, ps.executeUpdate(), "no such row: nothing changed, nothing logged");
            }
            try (Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("DELETE FROM item WHERE id = 2; -- gone"));
            }
            assertEquals(before, autocommitSwitches(c), "no SET autocommit round trips");
            assertEquals(List.of("1|renamed|7"), db.rawRows("SELECT id, name, qty FROM item"));
            assertEquals(List.of(
                    "I item [1] id=1 name='a' qty=1", "I item [2] id=2 name='b' qty=2",
                    "U item [1] name='renamed' qty=7", "D item [2]"), ChangeLog.lines(db));
            assertEquals(List.of("0"), rows(c, "SELECT @@in_transaction"));
        }
    }

    /**
     * A connection that prepares on the server ({@code useServerPrepStmts}, as the proxy's backend
     * does): a plain statement's write and its log row still go in one text, and no text is
     * prepared on the server (each would cost a prepare, an execute and a close).
     */
    @Test
    void plainStatementWritesStayOneTextWhenTheConnectionPreparesOnTheServer() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB);
             Connection c = DriverManager.getConnection(db.syncUrl("useServerPrepStmts=true"))) {
            exec(c, "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL)");
            try (Statement s = c.createStatement()) {
                // The first write loads the table's schema and key range (prepared once, kept).
                assertEquals(1, s.executeUpdate("INSERT INTO item (id, name) VALUES (1, 'n1')"));
            }
            long switches = autocommitSwitches(c);
            long prepares = status(c, "Com_stmt_prepare");
            try (Statement s = c.createStatement()) {
                for (int i = 2; i <= 3; i++) {
                    assertEquals(1, s.executeUpdate("INSERT INTO item (id, name) VALUES (" + i + ", 'n" + i + "')"));
                }
                assertEquals(1, s.executeUpdate("UPDATE item SET name = 'renamed' WHERE id = 2"));
                assertEquals(1, s.executeUpdate("DELETE FROM item WHERE id = 3"));
            }
            assertEquals(switches, autocommitSwitches(c), "no SET autocommit round trips");
            assertEquals(prepares, status(c, "Com_stmt_prepare"), "nothing prepared on the server");
            assertEquals(List.of("1|n1", "2|renamed"), db.rawRows("SELECT id, name FROM item ORDER BY id"));
            assertEquals(List.of("I item [1] id=1 name='n1'", "I item [2] id=2 name='n2'", "I item [3] id=3 name='n3'",
                    "U item [2] name='renamed'", "D item [3]"), ChangeLog.lines(db));
        }
    }

    /** An app's own negative key goes through the same key wrapper as generated ones, and stays negative. */
    @Test
    void negativeKeysTheAppGivesAreStored() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE big (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL)",
                    "CREATE TABLE small (id INT NOT NULL PRIMARY KEY, v INT NOT NULL)");
            for (String table : List.of("big", "small")) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, v) VALUES (?, ?)")) {
                    for (long id : new long[] {-5, -2_067_657_329, 7}) {
                        ps.setLong(1, id);
                        ps.setInt(2, 1);
                        assertEquals(1, ps.executeUpdate(), table + " " + id);
                    }
                }
                try (Statement s = c.createStatement()) {
                    assertEquals(1, s.executeUpdate("INSERT INTO " + table + " (id, v) VALUES (-9, 2)"));
                }
                assertEquals(List.of("-2067657329", "-9", "-5", "7"), db.rawRows("SELECT id FROM " + table + " ORDER BY id"));
            }
            assertEquals(8, ChangeLog.count(db));
        }
    }

    @Test
    void aSingleRowInsertIsLoggedInOneTextWithTheKeyItWasGiven() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE event (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, kind VARCHAR(20) NOT NULL)");
            long before = autocommitSwitches(c);
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO event (kind) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, "click");
                assertEquals(1, ps.executeUpdate());
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            assertEquals(before, autocommitSwitches(c), "no SET autocommit round trips");
            assertEquals(List.of(Long.toString(id)), rows(c, "SELECT LAST_INSERT_ID()"));
            assertEquals(List.of(id + "|click"), db.rawRows("SELECT id, kind FROM event"));
            assertEquals(List.of("I event [" + id + "] id=" + id + " kind='click'"), ChangeLog.lines(db));
            assertThrows(SQLException.class, () -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO event (id, kind) VALUES (" + id + ", 'again')");
                }
            });
            assertEquals(List.of("0"), rows(c, "SELECT @@in_transaction"));
            assertEquals(1, ChangeLog.count(db));
        }
    }

    /** A range DELETE learns its keys from {@code DELETE ... RETURNING}: no locking read before it. */
    @Test
    void aRangeDeleteReadsNothingBeforeItRuns() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB); Connection c = db.openSync()) {
            assertEquals(0, selectsOfRangeWrite(c, "DELETE FROM item WHERE qty BETWEEN ? AND ?"));
            assertEquals(List.of("1", "4"), db.rawRows("SELECT id FROM item ORDER BY id"));
            assertEquals(List.of("D item [2]", "D item [3]"), ChangeLog.lines(db).subList(4, 6));
        }
    }

    /**
     * The SELECTs the server ran for one write of rows 2 and 3 (bound as its two parameters) of
     * {@code item(id, qty)} holding rows 1 to 4 with qty = id.
     */
    private static long selectsOfRangeWrite(Connection c, String sql) throws SQLException {
        exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, qty INT NOT NULL)",
                "INSERT INTO item (id, qty) VALUES (1, 1), (2, 2), (3, 3), (4, 4)");
        long selects = status(c, "Com_select");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, 2);
            ps.setInt(2, 3);
            assertEquals(2, ps.executeUpdate());
        }
        return status(c, "Com_select") - selects;
    }

    /**
     * A range {@code SET qty = qty + 1} on an INT column: MariaDB has no UPDATE ... RETURNING, so
     * the locking read computes the new values; nothing is read back after the write.
     */
    @Test
    void aRangeIncrementComputesItsValuesInTheLockingRead() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB); Connection c = db.openSync()) {
            assertEquals(1, selectsOfRangeWrite(c, "UPDATE item SET qty = qty + 1 WHERE id BETWEEN ? AND ?"),
                    "the locking read only, no read-back");
            assertEquals(List.of("1|1", "2|3", "3|4", "4|4"), db.rawRows("SELECT id, qty FROM item ORDER BY id"));
            assertEquals(List.of("U item [2] qty=3", "U item [3] qty=4"), ChangeLog.lines(db).subList(4, 6));
        }
    }

    @Test
    void aFailingWriteLeavesNoTransactionAndNoLogRow() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL UNIQUE)",
                    "INSERT INTO item (id, name) VALUES (1, 'a'), (2, 'b')");
            int logged = ChangeLog.count(db);
            assertThrows(SQLException.class, () -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE item SET name = 'b' WHERE id = 1");
                }
            });
            assertEquals(List.of("0"), rows(c, "SELECT @@in_transaction"));
            assertEquals(logged, ChangeLog.count(db));
            assertEquals(List.of("1|a", "2|b"), db.rawRows("SELECT id, name FROM item ORDER BY id"));
            try (Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("UPDATE item SET name = 'c' WHERE id = 1"));
            }
            assertEquals(logged + 1, ChangeLog.count(db));
        }
    }

    /**
     * A one-row write whose statement changes two rows (a key that is not unique in the database):
     * the text stops before its COMMIT, so neither the rows nor a log row are committed.
     */
    @Test
    void aWriteThatChangesSeveralRowsCommitsNothing() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB)) {
            try (Connection c = db.openSync()) {
                exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, qty INT NOT NULL)",
                        "INSERT INTO item (id, qty) VALUES (1, 5), (2, 5)");
            }
            int logged = ChangeLog.count(db);
            try (Connection raw = DriverManager.getConnection(db.rawUrl() + (db.rawUrl().indexOf('?') < 0 ? "?" : "&")
                    + "allowMultiQueries=true")) {
                SQLException e = assertThrows(SQLException.class, () -> OneTripWrite.run(raw::prepareStatement, raw,
                        "UPDATE item SET qty = ? WHERE qty = 5", ps -> {
                            ps.setInt(1, 9);
                            return 1;
                        }, 1L << 40, "item", io.jdbcsync.internal.log.Op.UPDATE, new byte[] {1}, new byte[] {2}));
                assertEquals("XX000", e.getSQLState());
                assertEquals(List.of("0"), rows(raw, "SELECT @@in_transaction"));
                // The same text with a write of one row commits both.
                assertEquals(1, OneTripWrite.run(raw::prepareStatement, raw, "UPDATE item SET qty = ? WHERE id = 1", ps -> {
                    ps.setInt(1, 7);
                    return 1;
                }, 1L << 40, "item", io.jdbcsync.internal.log.Op.UPDATE, new byte[] {1}, new byte[] {2}));
            }
            assertEquals(List.of("1|7", "2|5"), db.rawRows("SELECT id, qty FROM item ORDER BY id"));
            assertEquals(logged + 1, ChangeLog.count(db), "only the one-row write was logged");
        }
    }

    @Test
    void severalStatementsInOneTextStayRefusedUnlessTheAppAsks() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB)) {
            try (Connection c = db.openSync(); Statement s = c.createStatement()) {
                SQLSyntaxErrorException e = assertThrows(SQLSyntaxErrorException.class, () -> s.execute("SELECT 1; SELECT 2"));
                assertEquals("42000", e.getSQLState());
                exec(c, "CREATE TABLE note (id BIGINT, txt VARCHAR(20))");
                assertThrows(SQLSyntaxErrorException.class,
                        () -> s.executeUpdate("INSERT INTO note VALUES (1, 'a'); INSERT INTO note VALUES (2, 'b')"));
                assertEquals(List.of(), db.rawRows("SELECT id FROM note"));
                assertThrows(SQLSyntaxErrorException.class, () -> c.prepareStatement("SELECT 1; SELECT 2").executeQuery());
            }
            try (Connection c = DriverManager.getConnection(db.syncUrl("allowMultiQueries=true"));
                 Statement s = c.createStatement()) {
                s.execute("SELECT 1; SELECT 2");
                s.getMoreResults();
                try (ResultSet rs = s.getResultSet()) {
                    rs.next();
                    assertEquals(2, rs.getInt(1));
                }
            }
        }
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            java.util.List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
