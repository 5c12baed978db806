package io.jdbcsync.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An UPDATE or DELETE with a range WHERE while another connection holds SQLite's write lock: the
 * raw driver waits (busy_timeout) and succeeds once the lock is free; the sync driver must too,
 * whether it captures with {@code RETURNING} or with a read before the write.
 */
class SqliteWriteLockWaitTest {
    private ItDatabase db;

    @BeforeEach
    void schema() throws Exception {
        db = ItDatabase.sqlite();
        try (Connection c = db.openSync(); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, owner INTEGER NOT NULL, qty INTEGER NOT NULL)");
            s.execute("CREATE TABLE lock_holder (x INTEGER)");
            s.execute("INSERT INTO item (owner, qty) VALUES (1, 0), (1, 0), (2, 0)");
        }
    }

    @AfterEach
    void drop() throws Exception {
        db.close();
    }

    private static final String COMPUTED = "UPDATE item SET qty = qty + 1 WHERE owner = 1";
    private static final String BOUND = "UPDATE item SET qty = 7 WHERE owner = 1";
    private static final String DELETE = "DELETE FROM item WHERE owner = 1";

    @ParameterizedTest(name = "in a transaction: {0}")
    @ValueSource(booleans = {false, true})
    void rawDriverWaitsForTheWriteLock(boolean inTransaction) throws Exception {
        assertEquals(2, writeWhileLocked(db.rawUrl(), COMPUTED, inTransaction));
    }

    @ParameterizedTest(name = "in a transaction: {0}")
    @ValueSource(booleans = {false, true})
    void syncDriverWaitsForTheWriteLock(boolean inTransaction) throws Exception {
        assertEquals(2, writeWhileLocked(db.syncUrl(), COMPUTED, inTransaction));
        assertEquals("item I=3 U=2", db.log().summary());
    }

    @ParameterizedTest(name = "in a transaction: {0}")
    @ValueSource(booleans = {false, true})
    void syncDriverWaitsForTheWriteLockWithBoundValues(boolean inTransaction) throws Exception {
        assertEquals(2, writeWhileLocked(db.syncUrl(), BOUND, inTransaction));
        assertEquals("item I=3 U=2", db.log().summary());
    }

    @ParameterizedTest(name = "in a transaction: {0}")
    @ValueSource(booleans = {false, true})
    void rawDriverWaitsForTheWriteLockOnDelete(boolean inTransaction) throws Exception {
        assertEquals(2, writeWhileLocked(db.rawUrl(), DELETE, inTransaction));
    }

    @ParameterizedTest(name = "in a transaction: {0}")
    @ValueSource(booleans = {false, true})
    void syncDriverWaitsForTheWriteLockOnDelete(boolean inTransaction) throws Exception {
        assertEquals(2, writeWhileLocked(db.syncUrl(), DELETE, inTransaction));
        assertEquals("item I=3 D=2", db.log().summary());
    }

    /**
     * Holds the write lock for 300 ms on one connection while another runs {@code sql} through
     * {@code url}, in autocommit or as the first statement of a transaction.
     */
    private int writeWhileLocked(String url, String sql, boolean inTransaction) throws Exception {
        try (Connection holder = db.openRaw(); Connection app = DriverManager.getConnection(url + "?busy_timeout=10000")) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeUpdate("INSERT INTO lock_holder VALUES (1)");
            }
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(300);
                    holder.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            release.start();
            try (Statement s = app.createStatement()) {
                app.setAutoCommit(!inTransaction);
                int n = s.executeUpdate(sql);
                if (inTransaction) {
                    app.commit();
                }
                return n;
            } finally {
                release.join();
            }
        }
    }
}
