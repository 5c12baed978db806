package io.jdbcsync.internal.jdbc;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Transactions begun by SAVEPOINT (SQLite), and CALL sync_now() inside a transaction. */
class SavepointAndSyncInTransactionTest {
    static final String ITEM = "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)";

    @Test
    void aSavepointOutsideATransactionBeginsOneAndItsWritesAreCaptured() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.SQLITE); Connection c = db.openSync()) {
            exec(c, ITEM);
            exec(c, "SAVEPOINT outer_sp", "INSERT INTO item (id, name) VALUES (1, 'a')",
                    "SAVEPOINT inner_sp", "INSERT INTO item (id, name) VALUES (2, 'b')", "RELEASE inner_sp",
                    "UPDATE item SET name = 'c' WHERE id = 1", "RELEASE SAVEPOINT outer_sp");
            assertEquals(List.of("1|c", "2|b"), db.rawRows("SELECT id, name FROM item ORDER BY id"));
            assertEquals(3, ChangeLog.count(db));
            // Released: autocommit writes work again and commit on their own.
            exec(c, "INSERT INTO item (id, name) VALUES (3, 'd')");
            assertEquals(4, ChangeLog.count(db));

            exec(c, "SAVEPOINT \"Quoted\"", "INSERT INTO item (id, name) VALUES (4, 'e')", "ROLLBACK");
            assertEquals(List.of("1", "2", "3"), db.rawRows("SELECT id FROM item ORDER BY id"));
            assertEquals(4, ChangeLog.count(db));

            exec(c, "savepoint s1", "INSERT INTO item (id, name) VALUES (5, 'f')", "ROLLBACK TO s1",
                    "INSERT INTO item (id, name) VALUES (6, 'g')", "release S1");
            assertEquals(List.of("1", "2", "3", "6"), db.rawRows("SELECT id FROM item ORDER BY id"));
            assertEquals(5, ChangeLog.count(db));
        }
    }

    @Test
    void syncNowInsideAnOpenSqliteTransactionIsRefusedAtOnce() throws Exception {
        try (Fleet f = Fleet.sqlite(2)) {
            f.everywhere(ITEM);
            Connection c = f.device(0);
            for (String begin : new String[] {"BEGIN", "SAVEPOINT sp", null}) {
                if (begin == null) {
                    c.setAutoCommit(false);
                } else {
                    exec(c, begin);
                }
                exec(c, "INSERT INTO item (id, name) VALUES (" + (begin == null ? 1 : begin.length()) + ", 'x')");
                SQLException e = assertThrows(SQLException.class, () -> f.sync(0));
                assertEquals("25000", e.getSQLState(), e.getMessage());
                assertTrue(e.getMessage().contains("inside an open transaction"), e.getMessage());
                if (begin == null) {
                    c.commit();
                    c.setAutoCommit(true);
                } else {
                    exec(c, begin.startsWith("SAVEPOINT") ? "RELEASE sp" : "COMMIT");
                }
            }
            assertEquals(3, f.sync(0)[0]);
            f.sync(1);
            assertEquals(3, f.rows(1, "item", "id").size());
        }
    }

    @Test
    void syncNowInsideAMariaDbTransactionStillRuns() throws Exception {
        try (Fleet f = new Fleet(List.of(TestDatabase.Kind.MARIADB), null, null)) {
            f.everywhere("CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))");
            Connection c = f.device(0);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT COUNT(*) FROM item");
            }
            f.sync(0);
            c.commit();
            c.setAutoCommit(true);
        }
    }
}
