package io.jdbcsync.internal.engine;

import io.jdbcsync.SyncClient;
import io.jdbcsync.SyncListener;
import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interval and live sync, the app's handle, and a clean stop. */
class BackgroundSyncTest {

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean waitFor(Connection c, String sql, long expected) throws Exception {
        for (int i = 0; i < 200; i++) {
            if (count(c, sql) == expected) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static long syncThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("jdbc-sync-")).count();
    }

    @Test
    void liveAndIntervalSyncPropagateWithoutBeingAskedAndStopCleanly() throws Exception {
        long before = syncThreads();
        Properties p = new Properties();
        p.setProperty("sync.live", "true");
        p.setProperty("sync.live-delay-ms", "50");
        p.setProperty("sync.interval", "200ms");
        try (Fleet f = new Fleet(List.of(TestDatabase.Kind.SQLITE, TestDatabase.Kind.SQLITE), null, p)) {
            f.everywhere("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
            List<Set<String>> applied = new CopyOnWriteArrayList<>();
            f.device(1).unwrap(SyncClient.class).addListener(new SyncListener() {
                @Override
                public void remoteChangesApplied(Set<String> tables) {
                    applied.add(tables);
                }
            });
            f.exec(0, "INSERT INTO item (name) VALUES ('live')");
            assertTrue(waitFor(f.device(1), "SELECT COUNT(*) FROM item", 1), "change reached device 1 in the background");
            // Listeners run once the sync has released its lock, just after the rows are visible.
            for (int i = 0; i < 200 && applied.stream().noneMatch(t -> t.contains("item")); i++) {
                Thread.sleep(50);
            }
            assertTrue(applied.stream().anyMatch(t -> t.contains("item")), "listener heard about item: " + applied);
            assertTrue(syncThreads() >= before + 2);
        }
        for (int i = 0; i < 100 && syncThreads() > before; i++) {
            Thread.sleep(20);
        }
        assertEquals(before, syncThreads(), "background threads stopped with the last connection");
        assertEquals(0, Engines.running());
    }

    @Test
    void syncClientHandleAndUnreachableLogDoNotBlockTheApp() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.SQLITE)) {
            Properties p = new Properties();
            p.setProperty("sync.log", "/nonexistent-parent-dir/for/sure/log");
            p.setProperty("sync.interval", "100ms");
            try (Connection c = DriverManager.getConnection(db.syncUrl(), p)) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
                    for (int i = 0; i < 20; i++) {
                        s.executeUpdate("INSERT INTO item (name) VALUES ('offline " + i + "')");
                    }
                }
                SyncClient client = c.unwrap(SyncClient.class);
                assertTrue(c.isWrapperFor(SyncClient.class));
                SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, client::syncNow);
                assertTrue(e.getMessage().contains("sync failed"), e.getMessage());
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
                    rs.next();
                    assertEquals(20, rs.getLong("pending_changes"));
                    assertFalse(rs.getString("last_error").isEmpty());
                    assertEquals(client.deviceId(), rs.getString("device_id"));
                }
            }
        }
    }
}
