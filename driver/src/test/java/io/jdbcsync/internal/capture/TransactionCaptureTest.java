package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The log holds exactly the changes that committed: data and log rows commit or roll back together. */
class TransactionCaptureTest {
    static final String ITEM = "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(50) NOT NULL, n INTEGER)";

    private static List<String> ids(TestDatabase db) throws SQLException {
        return db.rawRows("SELECT id FROM item ORDER BY id");
    }

    /** Makes appending a log row for table {@code boom} fail, as a full disk or a lost connection would. */
    private static void failLogRowsOfBoom(TestDatabase db, Connection c) throws SQLException {
        exec(c, "CREATE TABLE boom (id BIGINT PRIMARY KEY, v INTEGER)");
        db.execRaw(db.kind() == Kind.SQLITE
                ? "CREATE TRIGGER refuse BEFORE INSERT ON _sync_log WHEN NEW.tbl = 'boom'"
                        + " BEGIN SELECT RAISE(ABORT, 'log refused'); END"
                : "CREATE TRIGGER refuse BEFORE INSERT ON _sync_log FOR EACH ROW BEGIN IF NEW.tbl = 'boom' THEN"
                        + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'log refused'; END IF; END");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void autocommitWriteIsAtomicWithItsLogRow(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM);
            failLogRowsOfBoom(db, c);
            SQLException e = assertThrows(SQLException.class, () -> exec(c, "INSERT INTO boom (id, v) VALUES (1, 1)"));
            assertTrue(e.getMessage().contains("log refused"), e.getMessage());
            assertEquals(List.of(), db.rawRows("SELECT id FROM boom"), "the insert is undone with its log row");
            exec(c, "INSERT INTO item (id, name) VALUES (1, 'a')");
            assertTrue(c.getAutoCommit());
            assertEquals(List.of("I item [1] id=1 name='a' n=NULL"), ChangeLog.lines(db));
            assertEquals(List.of("1"), ids(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void commitAndRollback(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM);
            c.setAutoCommit(false);
            exec(c, "INSERT INTO item (id, name) VALUES (1, 'a'), (2, 'b')", "UPDATE item SET n = 5 WHERE id = 2");
            assertEquals(0, ChangeLog.count(db), "nothing visible before commit");
            c.commit();
            exec(c, "INSERT INTO item (id, name) VALUES (3, 'c')", "DELETE FROM item WHERE id = 1");
            c.rollback();
            exec(c, "UPDATE item SET name = 'z' WHERE id = 2");
            c.commit();
            exec(c, "INSERT INTO item (id, name) VALUES (4, 'd')");
            c.setAutoCommit(true); // commits
            assertEquals(List.of(
                    "I item [1] id=1 name='a' n=NULL",
                    "I item [2] id=2 name='b' n=NULL",
                    "U item [2] n=5",
                    "U item [2] name='z'",
                    "I item [4] id=4 name='d' n=NULL"), ChangeLog.lines(db));
            assertEquals(List.of("1", "2", "4"), ids(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void savepoints(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM);
            c.setAutoCommit(false);
            exec(c, "INSERT INTO item (id, name) VALUES (1, 'a')");
            Savepoint first = c.setSavepoint();
            exec(c, "INSERT INTO item (id, name) VALUES (2, 'b'), (3, 'c')", "UPDATE item SET n = 1 WHERE id = 1");
            c.rollback(first);
            exec(c, "INSERT INTO item (id, name) VALUES (4, 'd')");
            Savepoint named = c.setSavepoint("kept");
            exec(c, "UPDATE item SET n = 2 WHERE id >= 1");
            c.releaseSavepoint(named);
            Savepoint dropped = c.setSavepoint("dropped");
            exec(c, "DELETE FROM item WHERE id = 4");
            c.rollback(dropped);
            c.commit();
            c.setAutoCommit(true);
            assertEquals(List.of(
                    "I item [1] id=1 name='a' n=NULL",
                    "I item [4] id=4 name='d' n=NULL",
                    "U item [1] n=2",
                    "U item [4] n=2"), ChangeLog.lines(db));
            assertEquals(List.of("1|2", "4|2"), db.rawRows("SELECT id, n FROM item ORDER BY id"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void failedStatementsInAutocommitLogNothing(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM, "CREATE UNIQUE INDEX item_name ON item (name)", "INSERT INTO item (id, name) VALUES (1, 'a')");
            assertThrows(SQLException.class, () -> exec(c, "INSERT INTO item (id, name) VALUES (1, 'dup')"));
            assertThrows(SQLException.class, () -> exec(c, "INSERT INTO item (id, name) VALUES (2, NULL)"));
            assertThrows(SQLException.class, () -> exec(c, "INSERT INTO item (id, name) VALUES (3, 'c'), (1, 'dup')"));
            assertThrows(SQLException.class, () -> exec(c, "UPDATE item SET name = NULL WHERE id = 1"));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name) VALUES (?, ?)")) {
                ps.setLong(1, 1);
                ps.setString(2, "dup");
                assertThrows(SQLException.class, ps::executeUpdate);
                ps.setLong(1, 5);
                ps.setString(2, "e");
                ps.addBatch();
                ps.setLong(1, 6);
                ps.setString(2, "a"); // unique name taken
                ps.addBatch();
                assertThrows(BatchUpdateException.class, ps::executeBatch);
            }
            assertEquals(List.of("I item [1] id=1 name='a' n=NULL"), ChangeLog.lines(db));
            assertEquals(List.of("1|a"), db.rawRows("SELECT id, name FROM item"));
            exec(c, "INSERT INTO item (id, name) VALUES (2, 'b')");
            assertEquals(2, ChangeLog.count(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void failedStatementsInsideATransactionLetItGoOn(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM);
            c.setAutoCommit(false);
            exec(c, "INSERT INTO item (id, name) VALUES (1, 'a')");
            assertThrows(SQLException.class, () -> exec(c, "INSERT INTO item (id, name) VALUES (1, 'dup')"));
            assertThrows(SQLException.class, () -> exec(c, "INSERT INTO item (id, name) VALUES (2, NULL)"));
            assertThrows(SQLException.class, () -> exec(c, "INSERT INTO item (id, name) VALUES (3, 'c'), (1, 'dup')"));
            assertThrows(SQLException.class, () -> exec(c, "UPDATE item SET name = NULL WHERE id = 1"));
            assertThrows(SQLException.class, () -> exec(c, "UPDATE item SET name = NULL WHERE id > 0"));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name) VALUES (?, ?)")) {
                ps.setLong(1, 7);
                ps.setString(2, "g");
                ps.addBatch();
                ps.setLong(1, 1);
                ps.setString(2, "dup");
                ps.addBatch();
                assertThrows(BatchUpdateException.class, ps::executeBatch);
            }
            exec(c, "INSERT INTO item (id, name) VALUES (4, 'd')");
            c.commit();
            c.setAutoCommit(true);
            assertEquals(List.of("I item [1] id=1 name='a' n=NULL", "I item [4] id=4 name='d' n=NULL"), ChangeLog.lines(db));
            assertEquals(List.of("1", "4"), ids(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void transactionWhoseLogRowFailedCannotCommit(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM);
            failLogRowsOfBoom(db, c);
            c.setAutoCommit(false);
            exec(c, "INSERT INTO item (id, name) VALUES (1, 'a')");
            // A batch runs under a savepoint: the failure undoes just the batch.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO boom (id, v) VALUES (?, 1)")) {
                ps.setLong(1, 1);
                ps.addBatch();
                ps.setLong(1, 2);
                ps.addBatch();
                assertThrows(BatchUpdateException.class, ps::executeBatch);
            }
            exec(c, "INSERT INTO item (id, name) VALUES (2, 'b')");
            c.commit();
            assertEquals(List.of("1", "2"), ids(db));
            exec(c, "INSERT INTO item (id, name) VALUES (3, 'c')");
            // A single statement ran before its log row failed: the transaction must not commit.
            assertThrows(SQLException.class, () -> exec(c, "INSERT INTO boom (id, v) VALUES (3, 3), (4, 4)"));
            SQLException e = assertThrows(SQLException.class, c::commit);
            assertTrue(e.getMessage().contains("rolled back"), e.getMessage());
            exec(c, "INSERT INTO item (id, name) VALUES (5, 'e')");
            c.commit();
            c.setAutoCommit(true);
            assertEquals(List.of(
                    "I item [1] id=1 name='a' n=NULL",
                    "I item [2] id=2 name='b' n=NULL",
                    "I item [5] id=5 name='e' n=NULL"), ChangeLog.lines(db));
            assertEquals(List.of("1", "2", "5"), ids(db));
            assertEquals(List.of(), db.rawRows("SELECT id FROM boom"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void stepsUnderSavepointsInsideATextTransaction(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync(); Statement s = c.createStatement()) {
            s.execute(ITEM);
            s.execute("CREATE TABLE src (k INTEGER, label VARCHAR(20))");
            s.execute("INSERT INTO src (k, label) VALUES (10, 'x'), (11, 'y')");
            s.execute("BEGIN");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name) VALUES (?, ?)")) {
                ps.setLong(1, 1);
                ps.setString(2, "a");
                ps.addBatch();
                ps.setLong(1, 2);
                ps.setString(2, "b");
                ps.addBatch();
                ps.executeBatch();
            }
            s.executeUpdate("INSERT INTO item (id, name) SELECT k, label FROM src");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name) VALUES (?, ?)")) {
                ps.setLong(1, 30);
                ps.setString(2, "undone");
                ps.addBatch();
                ps.setLong(1, 1);
                ps.setString(2, "dup");
                ps.addBatch();
                assertThrows(BatchUpdateException.class, ps::executeBatch);
            }
            s.execute("COMMIT");
            assertTrue(c.getAutoCommit());
            s.executeUpdate("INSERT INTO item (id, name) VALUES (3, 'c')");
            // Visible to another connection: committed, not left in an open transaction.
            assertEquals(List.of("1", "2", "3", "10", "11"), ids(db));
            assertEquals(5, ChangeLog.count(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void transactionControlAsSqlText(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync(); Statement s = c.createStatement()) {
            s.execute(ITEM);
            s.execute(kind == Kind.SQLITE ? "BEGIN" : "START TRANSACTION");
            s.executeUpdate("INSERT INTO item (id, name) VALUES (1, 'a'), (2, 'b')");
            s.executeUpdate("UPDATE item SET n = n + 1 WHERE id > 0");
            assertEquals(0, ChangeLog.count(db));
            s.execute("COMMIT");
            s.execute("BEGIN");
            s.executeUpdate("INSERT INTO item (id, name) VALUES (3, 'c')");
            s.executeUpdate("DELETE FROM item WHERE id = 1");
            s.execute("ROLLBACK");
            s.execute("BEGIN");
            s.executeUpdate("INSERT INTO item (id, name) VALUES (4, 'd')");
            s.execute("SAVEPOINT sp");
            s.executeUpdate("INSERT INTO item (id, name) VALUES (5, 'e'), (6, 'f')");
            s.execute("ROLLBACK TO SAVEPOINT sp");
            assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO item (id, name) VALUES (7, 'g'), (4, 'dup')"));
            s.executeUpdate("INSERT INTO item (id, name) VALUES (8, 'h')");
            s.execute("COMMIT");
            assertTrue(c.getAutoCommit());
            s.executeUpdate("INSERT INTO item (id, name) VALUES (9, 'i')");
            assertEquals(List.of(
                    "I item [1] id=1 name='a' n=NULL",
                    "I item [2] id=2 name='b' n=NULL",
                    "U item [1] n=NULL",
                    "U item [2] n=NULL",
                    "I item [4] id=4 name='d' n=NULL",
                    "I item [8] id=8 name='h' n=NULL",
                    "I item [9] id=9 name='i' n=NULL"), ChangeLog.lines(db));
            assertEquals(List.of("1", "2", "4", "8", "9"), ids(db));
            if (kind == Kind.MARIADB) {
                s.execute("SET autocommit = 0");
                s.executeUpdate("INSERT INTO item (id, name) VALUES (20, 't')");
                s.execute("ROLLBACK");
                s.execute("SET autocommit = 1");
            } else {
                s.execute("BEGIN IMMEDIATE TRANSACTION");
                s.executeUpdate("INSERT INTO item (id, name) VALUES (20, 't')");
                s.execute("ROLLBACK TRANSACTION");
            }
            s.execute("BEGIN");
            s.executeUpdate("INSERT INTO item (id, name) VALUES (21, 'u')");
            s.execute(kind == Kind.MARIADB ? "COMMIT WORK" : "END TRANSACTION");
            assertEquals(List.of("1", "2", "4", "8", "9", "21"), ids(db));
            assertEquals(8, ChangeLog.count(db));
        }
    }
}
