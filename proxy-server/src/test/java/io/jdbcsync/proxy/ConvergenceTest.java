package io.jdbcsync.proxy;

import io.jdbcsync.testing.TestDatabase;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Three devices, one directory shared log: two MariaDB databases each behind its own proxy (their
 * apps speak the wire protocol) and a SQLite database opened by a Java app through the driver.
 */
class ConvergenceTest {

    @Test
    void twoProxiesAndAJavaSqliteDeviceConverge() throws Exception {
        Path log = Files.createTempDirectory("shared-log");
        try (RunningProxy a = RunningProxy.start(log, c -> c);
             RunningProxy b = RunningProxy.start(log, c -> c);
             TestDatabase sqlite = TestDatabase.create(TestDatabase.Kind.SQLITE);
             Connection ca = a.connect("useServerPrepStmts=true");
             Connection cb = b.connect("");
             Connection cs = DriverManager.getConnection(sqlite.syncUrl("sync.log=" + log.toUri()))) {
            exec(ca, "CREATE TABLE note (id BIGINT PRIMARY KEY AUTO_INCREMENT, body VARCHAR(100) NOT NULL)");
            exec(cb, "CREATE TABLE note (id BIGINT PRIMARY KEY AUTO_INCREMENT, body VARCHAR(100) NOT NULL)");
            exec(cs, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");

            long fromA = insert(ca, "written on A (prepared)");
            insert(cb, "written on B");
            insert(cs, "written on the SQLite device");
            for (Connection c : List.of(ca, cb, cs, ca, cb)) {
                sync(c);
            }
            // Edits of another device's row, through the other proxy, and a delete.
            exec(cb, "UPDATE note SET body = 'A''s note, edited on B' WHERE id = " + fromA);
            exec(cs, "DELETE FROM note WHERE body = 'written on B'");
            ca.setAutoCommit(false);
            insert(ca, "in a transaction on A");
            ca.rollback();
            insert(ca, "committed on A");
            ca.commit();
            ca.setAutoCommit(true);
            for (Connection c : List.of(cb, cs, ca, cb, cs, ca)) {
                sync(c);
            }
            List<String> expected = List.of("A's note, edited on B", "committed on A", "written on the SQLite device");
            assertEquals(expected, bodies(ca));
            assertEquals(expected, bodies(cb));
            assertEquals(expected, bodies(cs));
            assertEquals(ids(ca), ids(cs));
            assertEquals(ids(cb), ids(cs));
        }
    }

    @Test
    void backgroundSyncOptionsWorkThroughTheProxy() throws Exception {
        Path log = Files.createTempDirectory("shared-log");
        String live = "sync.live=true&sync.interval=300ms";
        try (RunningProxy a = RunningProxy.start(log, live, c -> c);
             RunningProxy b = RunningProxy.start(log, live, c -> c);
             Connection ca = a.connect("");
             Connection cb = b.connect("")) {
            exec(ca, "CREATE TABLE note (id BIGINT PRIMARY KEY AUTO_INCREMENT, body VARCHAR(100) NOT NULL)");
            exec(cb, "CREATE TABLE note (id BIGINT PRIMARY KEY AUTO_INCREMENT, body VARCHAR(100) NOT NULL)");
            insert(ca, "no sync_now needed");
            // No CALL sync_now(): the driver's background sync moves it.
            for (int i = 0; i < 300 && bodies(cb).isEmpty(); i++) {
                Thread.sleep(100);
            }
            assertEquals(List.of("no sync_now needed"), bodies(cb));
        }
    }

    private static long insert(Connection c, String body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO note (body) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, body);
            ps.executeUpdate();
            ResultSet keys = ps.getGeneratedKeys();
            keys.next();
            return keys.getLong(1);
        }
    }

    private static void sync(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_now()")) {
            while (rs.next()) {
                // drain
            }
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> bodies(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT body FROM note ORDER BY body")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<Long> ids(Connection c) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM note ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }
}
