package io.jdbcsync.internal.jdbc;

import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Read-only connections read without the driver's tables; their writes fail as the underlying driver's do. */
class ReadOnlyConnectionTest {

    private static final String INSERT = "INSERT INTO t (id, x) VALUES (2, 'b')";

    /** {@code setUp}: whether a writable sync connection set up the driver's tables first. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sqliteReadOnlyConfig(boolean setUp) throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE)) {
            prepare(db, setUp);
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            Properties p = config.toProperties();
            SQLException rawError;
            try (Connection c = DriverManager.getConnection(db.rawUrl(), p)) {
                rawError = writeFails(c);
            }
            try (Connection c = DriverManager.getConnection(db.syncUrl(), p)) {
                assertReadsAndRefusesWrites(c, rawError);
            }
            assertEquals(setUp, hasSyncTables(db));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sqliteReadOnlyUri(boolean setUp) throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE)) {
            prepare(db, setUp);
            String file = db.dir().resolve(db.rawUrl().substring(db.rawUrl().lastIndexOf('/') + 1).replaceAll("\\?.*", ""))
                    .toString();
            SQLException rawError;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro")) {
                rawError = writeFails(c);
            }
            try (Connection c = DriverManager.getConnection("jdbc:sync:sqlite:file:" + file + "?mode=ro")) {
                assertReadsAndRefusesWrites(c, rawError);
                // Inside a transaction as well.
                c.setAutoCommit(false);
                assertEquals(rawError.getErrorCode(), assertThrows(SQLException.class, () -> exec(c, INSERT)).getErrorCode());
                c.rollback();
            }
            assertEquals(setUp, hasSyncTables(db));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void mariaDbUserWhoMayOnlyRead(boolean setUp) throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB)) {
            prepare(db, setUp);
            String user = "ro_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            String database = db.rawUrl().substring(TestDatabase.MARIADB_SERVER.length(), db.rawUrl().indexOf('?'));
            db.execRaw("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw'", "CREATE USER '" + user + "'@'localhost' IDENTIFIED BY 'pw'",
                    "GRANT SELECT ON " + database + ".* TO '" + user + "'@'%'",
                    "GRANT SELECT ON " + database + ".* TO '" + user + "'@'localhost'");
            try {
                String url = TestDatabase.MARIADB_SERVER + database + "?user=" + user + "&password=pw";
                SQLException rawError;
                try (Connection c = DriverManager.getConnection(url)) {
                    rawError = writeFails(c);
                }
                try (Connection c = DriverManager.getConnection("jdbc:sync:" + url.substring("jdbc:".length()))) {
                    assertReadsAndRefusesWrites(c, rawError);
                }
                assertEquals(setUp, hasSyncTables(db));
            } finally {
                db.execRaw("DROP USER '" + user + "'@'%'", "DROP USER '" + user + "'@'localhost'");
            }
        }
    }

    /** A user who may write the app's tables but not create the driver's: writes are refused, not let through. */
    @Test
    void mariaDbUserWhoCannotCreateTheDriverTablesCannotWriteUnlogged() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB)) {
            prepare(db, false);
            String user = "rw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            String database = db.rawUrl().substring(TestDatabase.MARIADB_SERVER.length(), db.rawUrl().indexOf('?'));
            db.execRaw("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw'", "CREATE USER '" + user + "'@'localhost' IDENTIFIED BY 'pw'",
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON " + database + ".* TO '" + user + "'@'%'",
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON " + database + ".* TO '" + user + "'@'localhost'");
            try {
                String url = "jdbc:sync:" + TestDatabase.MARIADB_SERVER.substring("jdbc:".length()) + database + "?user=" + user + "&password=pw";
                try (Connection c = DriverManager.getConnection(url)) {
                    SQLException e = assertThrows(SQLException.class, () -> exec(c, INSERT));
                    assertTrue(e.getMessage().contains("cannot set up the jdbc-sync tables"), e.getMessage());
                }
                assertEquals(List.of("1"), db.rawRows("SELECT id FROM t"));
            } finally {
                db.execRaw("DROP USER '" + user + "'@'%'", "DROP USER '" + user + "'@'localhost'");
            }
        }
    }

    private static void prepare(TestDatabase db, boolean setUp) throws SQLException {
        db.execRaw("CREATE TABLE t (id INTEGER PRIMARY KEY, x VARCHAR(10))", "INSERT INTO t (id, x) VALUES (1, 'a')");
        if (setUp) {
            try (Connection c = db.openSync()) {
                exec(c, "SELECT 1");
            }
        }
    }

    private static SQLException writeFails(Connection c) {
        return assertThrows(SQLException.class, () -> exec(c, INSERT));
    }

    private static void assertReadsAndRefusesWrites(Connection c, SQLException rawError) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT x FROM t WHERE id = 1")) {
            assertTrue(rs.next());
            assertEquals("a", rs.getString(1));
        }
        SQLException e = writeFails(c);
        assertEquals(rawError.getErrorCode(), e.getErrorCode(), e.getMessage());
        SQLException update = assertThrows(SQLException.class, () -> exec(c, "UPDATE t SET x = 'z' WHERE id = 1"));
        assertEquals(rawError.getErrorCode(), update.getErrorCode(), update.getMessage());
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            assertTrue(rs.next());
            assertEquals(1, rs.getInt(1));
        }
    }

    private static boolean hasSyncTables(TestDatabase db) throws SQLException {
        return !db.rawRows(db.kind() == Kind.SQLITE ? "SELECT name FROM sqlite_master WHERE name = '_sync_state'"
                : "SHOW TABLES LIKE '\\_sync\\_state'").isEmpty();
    }

    @Test
    void sharedCacheInMemoryDatabaseIsOneDevice() throws Exception {
        String url = "jdbc:sync:sqlite:file:memdb" + UUID.randomUUID().toString().replace("-", "") + "?mode=memory&cache=shared";
        try (Connection a = DriverManager.getConnection(url); Connection b = DriverManager.getConnection(url)) {
            exec(a, "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT)", "INSERT INTO t (id, x) VALUES (1, 'a')");
            exec(b, "INSERT INTO t (id, x) VALUES (2, 'b')");
            try (Statement s = a.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM _sync_log")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt(1));
            }
            assertEquals(a.unwrap(io.jdbcsync.SyncClient.class).deviceId(), b.unwrap(io.jdbcsync.SyncClient.class).deviceId());
        }
        // A private in-memory database is a database of its own for each connection.
        try (Connection a = DriverManager.getConnection("jdbc:sync:sqlite::memory:");
             Connection b = DriverManager.getConnection("jdbc:sync:sqlite::memory:")) {
            assertFalse(a.unwrap(io.jdbcsync.SyncClient.class).deviceId().equals(b.unwrap(io.jdbcsync.SyncClient.class).deviceId()));
        }
    }
}
