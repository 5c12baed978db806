package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.FaultyLogProvider;
import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Continuous-sync scenarios between SQLite devices sharing a directory log. */
class SyncScenarioTest {
    private static final String ITEMS = "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, n INTEGER, note TEXT)";

    @AfterEach
    void noFaults() {
        FaultyLogProvider.reset(0);
    }

    private static Fleet fleet(int n) throws Exception {
        Fleet f = Fleet.sqlite(n);
        f.everywhere(ITEMS);
        return f;
    }

    private static void assertSame(Fleet f, String table) throws SQLException {
        List<String> first = f.rows(0, table, "id");
        for (int i = 1; i < f.size(); i++) {
            assertEquals(first, f.rows(i, table, "id"), table + " on device " + i);
        }
    }

    private static String value(Fleet f, int device, String sql) throws SQLException {
        try (Statement s = f.device(device).createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void updateOfARowCreatedElsewhereAndDeleteByArbitraryWhere() throws Exception {
        try (Fleet f = fleet(2)) {
            f.exec(0, "INSERT INTO item (name, n) VALUES ('a', 1), ('b', 2), ('c', 3), ('d', 4)");
            f.sync(0);
            f.sync(1);
            f.exec(1, "UPDATE item SET note = 'seen on 1' WHERE name = 'a'",
                    "DELETE FROM item WHERE n BETWEEN 2 AND 3");
            f.exec(0, "DELETE FROM item WHERE name = 'd'");
            f.syncAll();
            assertSame(f, "item");
            assertEquals(List.of("a|seen on 1"), List.of(value(f, 0, "SELECT name || '|' || note FROM item")));
            assertEquals("1", value(f, 0, "SELECT COUNT(*) FROM item"));
        }
    }

    @Test
    void updatesArrivingOutOfOrderKeepTheNewest() throws Exception {
        try (Fleet f = fleet(3)) {
            f.exec(0, "INSERT INTO item (id, name, n) VALUES (1, 'x', 0)");
            f.syncAll();
            f.exec(1, "UPDATE item SET name = 'older' WHERE id = 1");
            // Concurrent writes within one millisecond are ordered by device id, not by wall time:
            // let the clock move so that "newer" is newer.
            Thread.sleep(3);
            f.exec(2, "UPDATE item SET name = 'newer', n = 2 WHERE id = 1");
            f.exec(1, "UPDATE item SET note = 'only on 1' WHERE id = 1");
            // Device 0 gets the newer change first, then the older one.
            f.sync(2);
            f.sync(0);
            f.sync(1);
            f.sync(0);
            f.syncAll();
            assertSame(f, "item");
            assertEquals("newer|2|only on 1", value(f, 0, "SELECT name || '|' || n || '|' || note FROM item WHERE id = 1"));
        }
    }

    @Test
    void deleteWinsOverALaterUpdateItHadNotSeen() throws Exception {
        try (Fleet f = fleet(2)) {
            f.exec(0, "INSERT INTO item (id, name) VALUES (7, 'x')");
            f.syncAll();
            f.exec(0, "DELETE FROM item WHERE id = 7");
            f.exec(1, "UPDATE item SET name = 'later edit' WHERE id = 7");
            f.syncAll();
            assertSame(f, "item");
            assertEquals("0", value(f, 1, "SELECT COUNT(*) FROM item"));
        }
    }

    @Test
    void deleteThenReinsertOfTheSameKeyResurrects() throws Exception {
        try (Fleet f = fleet(2)) {
            f.exec(0, "INSERT INTO item (id, name) VALUES (5, 'first')");
            f.syncAll();
            f.exec(1, "DELETE FROM item WHERE id = 5");
            f.exec(1, "INSERT INTO item (id, name) VALUES (5, 'second life')");
            f.sync(1);
            f.syncAll();
            assertSame(f, "item");
            assertEquals("second life", value(f, 0, "SELECT name FROM item WHERE id = 5"));
        }
    }

    @Test
    void threeDeviceChain() throws Exception {
        try (Fleet f = fleet(3)) {
            f.exec(0, "INSERT INTO item (id, name, n) VALUES (1, 'from A', 1)");
            f.sync(0);
            f.sync(1);
            f.exec(1, "UPDATE item SET n = n + 1 WHERE id = 1", "INSERT INTO item (id, name) VALUES (2, 'from B')");
            f.sync(1);
            f.sync(2);
            assertEquals("from A|2", value(f, 2, "SELECT name || '|' || n FROM item WHERE id = 1"));
            assertEquals("from B", value(f, 2, "SELECT name FROM item WHERE id = 2"));
        }
    }

    @Test
    void syncsWithNothingNewCostTheSameWhateverTheHistory() throws Exception {
        try (Fleet f = new Fleet(List.of(TestDatabase.Kind.SQLITE, TestDatabase.Kind.SQLITE, TestDatabase.Kind.SQLITE), null,
                null, true)) {
            f.everywhere(ITEMS);
            for (int i = 0; i < 3; i++) {
                f.exec(i, "INSERT INTO item (name) VALUES ('first of " + i + "')");
            }
            f.syncAll();
            FaultyLogProvider.CALLS.clear();
            f.sync(0);
            long small = FaultyLogProvider.totalCalls();
            for (int i = 0; i < 30; i++) {
                f.exec(i % 3, "INSERT INTO item (name) VALUES ('h" + i + "')");
                f.sync(i % 3);
            }
            f.syncAll();
            FaultyLogProvider.CALLS.clear();
            long[] r = f.sync(0);
            assertArrayEquals(new long[] {0, 0, 0, 0}, r);
            assertEquals(small, FaultyLogProvider.totalCalls(), "log calls of a sync with nothing new " + FaultyLogProvider.CALLS);
            assertTrue(small <= 1 + 2, "one listing of devices plus one listing per remote device: " + FaultyLogProvider.CALLS);
        }
    }

    @Test
    void batchesAreBoundedInEntries() throws Exception {
        Properties p = new Properties();
        p.setProperty("sync.batch-max-entries", "10");
        try (Fleet f = new Fleet(List.of(TestDatabase.Kind.SQLITE, TestDatabase.Kind.SQLITE), null, p)) {
            f.everywhere(ITEMS);
            for (int i = 0; i < 95; i++) {
                f.exec(0, "INSERT INTO item (name) VALUES ('r" + i + "')");
            }
            assertEquals(95, f.sync(0)[0]);
            String device = value(f, 0, "SELECT value FROM _sync_state WHERE name = 'device_id'");
            try (var files = Files.list(Path.of(f.log(), "devices", device, "batches"))) {
                assertEquals(10, files.count());
            }
            assertEquals(95, f.sync(1)[2]);
            assertSame(f, "item");
        }
    }

    /**
     * A batch is written while the next one is assigned and folded: a push that fails anywhere in
     * a run of batches leaves at most two assigned, and the retries publish each batch once, in order.
     */
    @Test
    void failedWritesInARunOfBatchesAreResumedInOrder() throws Exception {
        Properties p = new Properties();
        p.setProperty("sync.batch-max-entries", "10");
        for (long seed = 1; seed <= 4; seed++) {
            try (Fleet f = new Fleet(List.of(TestDatabase.Kind.SQLITE, TestDatabase.Kind.SQLITE), null, p, true)) {
                f.everywhere(ITEMS);
                for (int i = 0; i < 95; i++) {
                    f.exec(0, "INSERT INTO item (name) VALUES ('r" + i + "')");
                }
                FaultyLogProvider.reset(seed);
                FaultyLogProvider.failBeforeWrite = 0.25;
                FaultyLogProvider.loseWriteResponse = 0.25;
                int failures = 0;
                long pushed = 0;
                while (true) {
                    try {
                        pushed += f.sync(0)[0];
                        break;
                    } catch (SQLException e) {
                        assertTrue(e.getMessage().contains("injected fault"), e.getMessage());
                        failures++;
                        assertTrue(failures < 200, "the push never got through");
                        long assigned = Long.parseLong(value(f, 0,
                                "SELECT COUNT(DISTINCT batch) FROM _sync_log WHERE batch IS NOT NULL"));
                        assertTrue(assigned <= 2, assigned + " batches assigned and not acknowledged");
                    }
                }
                FaultyLogProvider.reset(0);
                assertTrue(failures > 0, "seed " + seed + " injected no fault");
                assertEquals(0, Long.parseLong(value(f, 0, "SELECT COUNT(*) FROM _sync_log")));
                String device = value(f, 0, "SELECT value FROM _sync_state WHERE name = 'device_id'");
                try (var files = Files.list(Path.of(java.net.URI.create(f.log()).getPath(), "devices", device, "batches"))) {
                    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), files
                            .map(x -> Long.parseLong(x.getFileName().toString().replace(".batch", ""))).sorted().toList());
                }
                assertEquals(95, f.sync(1)[2]);
                assertSame(f, "item");
            }
        }
    }

    @Test
    void lostWriteResponseIsRecognisedAsOurOwnBatch() throws Exception {
        try (Fleet f = new Fleet(List.of(TestDatabase.Kind.SQLITE, TestDatabase.Kind.SQLITE), null, null, true)) {
            f.everywhere(ITEMS);
            f.exec(0, "INSERT INTO item (name) VALUES ('once')");
            FaultyLogProvider.loseWriteResponse = 1;
            SQLException e = assertThrows(SQLException.class, () -> f.sync(0));
            assertTrue(e.getMessage().contains("injected fault"), e.getMessage());
            assertTrue(value(f, 0, "CALL sync_status()") != null);
            FaultyLogProvider.reset(0);
            assertEquals(1, f.sync(0)[0]);
            assertEquals(0, f.sync(0)[0]);
            f.sync(1);
            assertEquals("1", value(f, 1, "SELECT COUNT(*) FROM item"));
        }
    }

    @Test
    void corruptBatchIsRefusedAndOtherDevicesStillSync() throws Exception {
        try (Fleet f = fleet(3)) {
            f.exec(0, "INSERT INTO item (id, name) VALUES (1, 'from 0')");
            f.exec(1, "INSERT INTO item (id, name) VALUES (2, 'from 1')");
            f.sync(0);
            f.sync(1);
            String device0 = value(f, 0, "SELECT value FROM _sync_state WHERE name = 'device_id'");
            Path batch = Path.of(f.log(), "devices", device0, "batches", String.format("%020d.batch", 1));
            byte[] bytes = Files.readAllBytes(batch);
            bytes[bytes.length / 2] ^= 0x5A;
            Files.write(batch, bytes);
            SQLException e = assertThrows(SQLException.class, () -> f.sync(2));
            assertTrue(e.getMessage().contains(device0) && e.getMessage().contains("checksum"), e.getMessage());
            assertEquals("from 1", value(f, 2, "SELECT name FROM item WHERE id = 2"));
            assertEquals("0", value(f, 2, "SELECT COUNT(*) FROM item WHERE id = 1"));
            try (Statement s = f.device(2).createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
                rs.next();
                assertNotNull(rs.getString("last_error"));
                assertTrue(rs.getString("last_error").contains(device0));
            }
        }
    }

    @Test
    void foreignKeysDoNotStallWhenChildrenArriveFirst() throws Exception {
        try (Fleet f = Fleet.sqlite(3)) {
            f.everywhere("CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT)",
                    "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id), v TEXT)");
            for (int i = 0; i < 3; i++) {
                f.exec(i, "PRAGMA foreign_keys = ON");
            }
            f.exec(0, "INSERT INTO parent (id, name) VALUES (1, 'p')");
            f.sync(0);
            f.sync(1);
            f.exec(1, "INSERT INTO child (id, parent_id, v) VALUES (10, 1, 'c')");
            f.sync(1);
            // Device 2 sees device 1's child; device 0's parent batch is listed after or before it:
            // either way both apply.
            f.sync(2);
            assertEquals("1", value(f, 2, "SELECT COUNT(*) FROM child"));
            assertEquals("1", value(f, 2, "SELECT COUNT(*) FROM parent"));
        }
    }

    @Test
    void uniqueCollisionResolvesTheSameWayEverywhereAndKeepsTheLoser() throws Exception {
        try (Fleet f = Fleet.sqlite(3)) {
            f.everywhere("CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, color TEXT)");
            f.exec(1, "INSERT INTO tag (name, color) VALUES ('home', 'blue')");
            // Claims made within one millisecond tie and are ordered by key bytes, not by wall
            // time: let the clock move so that the red claim is the newer one.
            Thread.sleep(3);
            f.exec(2, "INSERT INTO tag (name, color) VALUES ('home', 'red')");
            f.sync(2);
            f.sync(1);
            f.syncAll();
            assertSame(f, "tag");
            assertEquals("blue", value(f, 0, "SELECT color FROM tag WHERE name = 'home'"));
            for (int i = 0; i < 3; i++) {
                try (Statement s = f.device(i).createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
                    rs.next();
                    assertEquals(i == 0 ? 1 : 1, rs.getLong("conflicts"), "device " + i);
                }
            }
            // The displaced row's content is kept.
            assertEquals("1", value(f, 2, "SELECT COUNT(*) FROM _sync_conflict WHERE active = 1"));
            // When the winner goes away, the loser comes back, on every device.
            f.exec(0, "DELETE FROM tag WHERE name = 'home'");
            f.syncAll();
            assertSame(f, "tag");
            assertEquals("red", value(f, 1, "SELECT color FROM tag WHERE name = 'home'"));
        }
    }

    @Test
    void changesForATableOrColumnNotHereYetWaitForTheSchema() throws Exception {
        try (Fleet f = fleet(2)) {
            f.exec(0, "ALTER TABLE item ADD COLUMN color TEXT",
                    "CREATE TABLE extra (id INTEGER PRIMARY KEY, v TEXT)",
                    "INSERT INTO item (id, name, color) VALUES (1, 'x', 'green')",
                    "INSERT INTO extra (id, v) VALUES (1, 'e')");
            f.sync(0);
            f.sync(1);
            assertEquals("x", value(f, 1, "SELECT name FROM item WHERE id = 1"));
            try (Statement s = f.device(1).createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
                rs.next();
                assertEquals(2, rs.getLong("parked_changes"));
            }
            f.exec(1, "ALTER TABLE item ADD COLUMN color TEXT", "CREATE TABLE extra (id INTEGER PRIMARY KEY, v TEXT)");
            f.sync(1);
            assertEquals("green", value(f, 1, "SELECT color FROM item WHERE id = 1"));
            assertEquals("e", value(f, 1, "SELECT v FROM extra WHERE id = 1"));
        }
    }

    @Test
    void rolledBackAndFailedWritesNeverReachOtherDevices() throws Exception {
        try (Fleet f = fleet(2)) {
            f.device(0).setAutoCommit(false);
            f.exec(0, "INSERT INTO item (id, name) VALUES (1, 'kept')");
            var sp = f.device(0).setSavepoint();
            f.exec(0, "INSERT INTO item (id, name) VALUES (2, 'undone')");
            f.device(0).rollback(sp);
            f.device(0).commit();
            f.device(0).setAutoCommit(true);
            assertThrows(SQLException.class, () -> f.exec(0, "INSERT INTO item (id, name) VALUES (1, 'duplicate')"));
            f.syncAll();
            assertEquals(List.of("1|kept|null|null"), f.rows(1, "item", "id"));
        }
    }
}
