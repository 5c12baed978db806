package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A new device's schema looks empty until the app's first DDL (migration tools check that), and
 * migration tools' history tables are not synced.
 */
class NewDeviceSetUpTest {

    private static List<String> driverTables(TestDatabase db) throws SQLException {
        return db.rawRows(db.kind() == Kind.SQLITE
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '\\_sync\\_%' ESCAPE '\\' ORDER BY name"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE '\\_sync\\_%'");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void emptyDatabaseStaysEmptyUntilTheFirstDdl(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "SELECT 1");
            assertTrue(driverTables(db).isEmpty(), "a new device's schema looks empty");
            String id = c.unwrap(io.jdbcsync.SyncClient.class).deviceId();
            try (Connection second = db.openSync()) {
                assertEquals(id, second.unwrap(io.jdbcsync.SyncClient.class).deviceId());
            }
            exec(c, "CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50))",
                    "INSERT INTO flyway_schema_history (installed_rank, version) VALUES (1, '1')");
            assertFalse(driverTables(db).isEmpty());
            exec(c, "CREATE TABLE item (id INTEGER PRIMARY KEY, name VARCHAR(20))",
                    "INSERT INTO item (id, name) VALUES (1, 'a')",
                    "CREATE TABLE DATABASECHANGELOG (id VARCHAR(50) PRIMARY KEY)",
                    "INSERT INTO DATABASECHANGELOG (id) VALUES ('x')");
            List<Object[]> log = db.logRows();
            assertEquals(1, log.size());
            assertEquals("item", log.get(0)[1]);
            assertEquals(List.of(id), db.rawRows("SELECT value FROM _sync_state WHERE name = 'device_id'"));
        }
    }

    /** A connection opened while another one of this process is half-way through the set-up takes the same identity. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void connectionOpenedDuringSetUpJoinsTheSameDevice(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection first = db.openSync()) {
            String id = first.unwrap(io.jdbcsync.SyncClient.class).deviceId();
            // The state table exists but holds no identity yet, as between the two steps of a set-up.
            db.execRaw(kind == Kind.SQLITE
                    ? "CREATE TABLE _sync_state (name TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID"
                    : "CREATE TABLE _sync_state (name VARCHAR(64) NOT NULL PRIMARY KEY, value TEXT NOT NULL)");
            try (Connection second = db.openSync()) {
                assertEquals(id, second.unwrap(io.jdbcsync.SyncClient.class).deviceId());
            }
            exec(first, "CREATE TABLE item (id INTEGER PRIMARY KEY, name VARCHAR(20))", "INSERT INTO item (id, name) VALUES (1, 'a')");
            assertEquals(List.of(id), db.rawRows("SELECT value FROM _sync_state WHERE name = 'device_id'"));
            assertEquals(1, db.logRows().size());
        }
    }

    @Test
    void setUpInARolledBackTransactionIsDoneAgain() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE); Connection c = db.openSync()) {
            c.setAutoCommit(false);
            exec(c, "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO item (id, name) VALUES (1, 'a')");
            c.rollback();
            assertTrue(driverTables(db).isEmpty());
            exec(c, "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO item (id, name) VALUES (2, 'b')");
            c.commit();
            c.setAutoCommit(true);
            assertEquals(1, db.logRows().size());
        }
    }

    @Test
    void migrationToolTablesAreSyncedOnlyWhenNamed() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE);
             Connection c = java.sql.DriverManager.getConnection(db.syncUrl("sync.tables=flyway_schema_history"))) {
            exec(c, "CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50))",
                    "INSERT INTO flyway_schema_history (installed_rank, version) VALUES (1, '1')");
            assertEquals(1, db.logRows().size());
        }
    }
}
