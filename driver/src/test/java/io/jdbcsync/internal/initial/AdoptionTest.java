package io.jdbcsync.internal.initial;

import io.jdbcsync.SyncClient;
import io.jdbcsync.internal.engine.Engine;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rows that existed before sync was switched on reach every other device at the first sync. */
class AdoptionTest {

    private static String customers(Kind k) {
        return k == Kind.SQLITE
                ? "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL, notes TEXT, photo BLOB, balance DECIMAL(12,2))"
                : "CREATE TABLE customer (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, notes LONGTEXT, photo LONGBLOB,"
                + " balance DECIMAL(12,2))";
    }

    private static String url(TestDatabase db, Path log) {
        return db.syncUrl("sync.log=" + java.net.URLEncoder.encode(log.toString(), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void fill(TestDatabase db, int from, int to, byte[] blob, String longText) throws SQLException {
        try (Connection c = db.openRaw()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customer (id, name, notes, photo, balance) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = from; i <= to; i++) {
                    ps.setLong(1, i);
                    ps.setString(2, "customer " + i);
                    ps.setString(3, i == 7 ? longText : "note " + i);
                    ps.setBytes(4, i == 8 ? blob : null);
                    ps.setBigDecimal(5, new java.math.BigDecimal(i + ".25"));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void syncNow(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_now()")) {
            rs.next();
        }
    }

    @Test
    void existingMariaDbRowsReachANewSqliteDeviceAtTheFirstSync() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        byte[] blob = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(blob);
        String text = "x".repeat(40_000) + "é".repeat(40_000);
        try (TestDatabase maria = TestDatabase.create(Kind.MARIADB); TestDatabase lite = TestDatabase.create(Kind.SQLITE)) {
            maria.execRaw(customers(Kind.MARIADB));
            fill(maria, 1, 3000, blob, text);
            lite.execRaw(customers(Kind.SQLITE));
            try (Connection m = DriverManager.getConnection(url(maria, log))) {
                syncNow(m);
                try (Statement s = m.createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
                    rs.next();
                    assertEquals("done", rs.getString("adoption"));
                    assertEquals(3000, rs.getLong("adopted_rows"));
                    assertEquals(0, rs.getLong("pending_changes"));
                    // The contract: the earlier columns keep their names and places.
                    assertEquals("device_id", rs.getMetaData().getColumnLabel(1));
                    assertEquals("shared_log", rs.getMetaData().getColumnLabel(9));
                }
                // A second sync adopts nothing again.
                try (Statement s = m.createStatement(); ResultSet rs = s.executeQuery("CALL sync_now()")) {
                    rs.next();
                    assertEquals(0, rs.getLong("pushed"));
                }
            }
            try (Connection l = DriverManager.getConnection(url(lite, log))) {
                syncNow(l);
                assertEquals(3000, scalar(l, "SELECT COUNT(*) FROM customer"));
                try (Statement s = l.createStatement();
                     ResultSet rs = s.executeQuery("SELECT notes, photo, balance FROM customer WHERE id IN (7, 8) ORDER BY id")) {
                    rs.next();
                    assertEquals(text, rs.getString(1));
                    rs.next();
                    assertArrayEquals(blob, rs.getBytes(2));
                    assertEquals("8.25", rs.getBigDecimal(3).setScale(2).toPlainString());
                }
                // The new device had nothing of its own to adopt, and nothing it received goes back.
                try (Statement s = l.createStatement(); ResultSet rs = s.executeQuery("CALL sync_now()")) {
                    rs.next();
                    assertEquals(0, rs.getLong("pushed"));
                }
            }
        }
    }

    @Test
    void adoptionInterruptedMidWayResumesWithEveryRowExactlyOnce() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase a = TestDatabase.create(Kind.SQLITE); TestDatabase b = TestDatabase.create(Kind.SQLITE)) {
            a.execRaw(customers(Kind.SQLITE));
            fill(a, 1, 12_000, null, "");
            b.execRaw(customers(Kind.SQLITE));
            long pushed;
            try (Connection c = DriverManager.getConnection(url(a, log))) {
                Engine engine = (Engine) c.unwrap(SyncClient.class);
                int[] chunks = {0};
                RuntimeException crash = assertThrows(IllegalStateException.class, () -> engine.adopt((table, scanned, total, rows) -> {
                    if (++chunks[0] == 2) {
                        throw new IllegalStateException("crash in the middle of chunk 2");
                    }
                }));
                assertTrue(crash.getMessage().contains("chunk 2"));
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
                    rs.next();
                    assertEquals("running customer", rs.getString("adoption"));
                    assertEquals(5000, rs.getLong("adopted_rows"));
                }
            }
            try (Connection c = DriverManager.getConnection(url(a, log))) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_now()")) {
                    rs.next();
                    pushed = rs.getLong("pushed");
                }
                assertEquals(7000, pushed, "the resumed run adopts only what the first did not");
                assertEquals(12_000, scalar(c, "SELECT (SELECT COUNT(*) FROM _sync_row)"
                        + " + (SELECT COALESCE(SUM(n), 0) FROM _sync_pack)"), "one version per row, packed or not");
            }
            try (Connection c = DriverManager.getConnection(url(b, log))) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_now()")) {
                    rs.next();
                    assertEquals(12_000, rs.getLong("pulled"));
                }
                assertEquals(12_000, scalar(c, "SELECT COUNT(*) FROM customer"));
                assertEquals(12_000L * 12_001 / 2, scalar(c, "SELECT SUM(id) FROM customer"));
            }
        }
    }

    @Test
    void twoDevicesAdoptingOneKeyConvergeOnTheGreaterDeviceIdAndKeepTheLoser() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase a = TestDatabase.create(Kind.SQLITE); TestDatabase b = TestDatabase.create(Kind.MARIADB)) {
            a.execRaw(customers(Kind.SQLITE));
            b.execRaw(customers(Kind.MARIADB));
            fill(a, 1, 10, null, "");
            fill(b, 1, 10, null, "");
            a.execRaw("UPDATE customer SET name = 'from a' WHERE id = 3");
            b.execRaw("UPDATE customer SET name = 'from b' WHERE id = 3");
            try (Connection ca = DriverManager.getConnection(url(a, log));
                 Connection cb = DriverManager.getConnection(url(b, log))) {
                String ida = ca.unwrap(SyncClient.class).deviceId();
                String idb = cb.unwrap(SyncClient.class).deviceId();
                syncNow(ca);
                syncNow(cb);
                // Then a real edit on a: it beats any adoption.
                try (Statement s = ca.createStatement()) {
                    s.executeUpdate("UPDATE customer SET notes = 'edited' WHERE id = 5");
                }
                for (int round = 0; round < 2; round++) {
                    syncNow(ca);
                    syncNow(cb);
                }
                String winner = ida.compareTo(idb) > 0 ? "from a" : "from b";
                String loser = winner.equals("from a") ? "from b" : "from a";
                for (Connection c : List.of(ca, cb)) {
                    try (Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT name FROM customer WHERE id = 3")) {
                        rs.next();
                        assertEquals(winner, rs.getString(1));
                    }
                    try (Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT notes FROM customer WHERE id = 5")) {
                        rs.next();
                        assertEquals("edited", rs.getString(1));
                    }
                    // Only row 3 differed at adoption: its losing version is kept, settled; identical rows are not.
                    try (Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT data, active FROM _sync_conflict")) {
                        assertTrue(rs.next(), "the losing adoption is kept");
                        assertEquals(loser, io.jdbcsync.internal.value.ValueCodec.decodeRow(rs.getBytes(1)).values().get(1));
                        assertEquals(0, rs.getInt(2));
                        assertTrue(!rs.next(), () -> {
                            try {
                                return "one conflict only, also " + io.jdbcsync.internal.value.ValueCodec.decodeRow(rs.getBytes(1));
                            } catch (SQLException e) {
                                return e.toString();
                            }
                        });
                    }
                }
            }
        }
    }

    @Test
    void rowsEditedThroughTheDriverBeforeTheFirstSyncArriveWhole() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase a = TestDatabase.create(Kind.SQLITE); TestDatabase b = TestDatabase.create(Kind.SQLITE)) {
            a.execRaw(customers(Kind.SQLITE));
            b.execRaw(customers(Kind.SQLITE));
            fill(a, 1, 50, null, "");
            try (Connection ca = DriverManager.getConnection(url(a, log));
                 Connection cb = DriverManager.getConnection(url(b, log))) {
                // Captured before adoption: an update and a delete of pre-existing rows, and a new row.
                try (Statement s = ca.createStatement()) {
                    s.executeUpdate("UPDATE customer SET name = 'edited' WHERE id = 10");
                    s.executeUpdate("DELETE FROM customer WHERE id = 11");
                    s.executeUpdate("INSERT INTO customer (id, name) VALUES (100, 'new')");
                }
                syncNow(ca);
                syncNow(cb);
                syncNow(cb);
                assertEquals(50, scalar(cb, "SELECT COUNT(*) FROM customer"));
                try (Statement s = cb.createStatement(); ResultSet rs = s.executeQuery("SELECT name, notes FROM customer WHERE id = 10")) {
                    rs.next();
                    assertEquals("edited", rs.getString(1));
                    assertEquals("note 10", rs.getString(2));
                }
                assertEquals(0, scalar(cb, "SELECT COUNT(*) FROM customer WHERE id = 11"));
                assertEquals(1, scalar(cb, "SELECT COUNT(*) FROM customer WHERE id = 100"));
                assertEquals(0, scalar(cb, "SELECT COUNT(*) FROM _sync_pending"), "nothing left parked");
            }
        }
    }
}
