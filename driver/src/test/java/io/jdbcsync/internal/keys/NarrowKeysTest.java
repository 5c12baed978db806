package io.jdbcsync.internal.keys;

import io.jdbcsync.internal.log.SharedLogs;
import io.jdbcsync.spi.SharedLog;
import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys of INT, MEDIUMINT, SMALLINT and TINYINT columns come from blocks claimed through the shared log. */
class NarrowKeysTest {

    private static List<Kind> mariadb(int n) {
        return Collections.nCopies(n, Kind.MARIADB);
    }

    /** Inserts rows, reading each generated key with getInt as an ORM with Integer ids does. */
    private static List<Integer> insert(Connection c, String table, String prefix, int rows, int syncEvery) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (name) VALUES (?)",
                Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < rows; i++) {
                ps.setString(1, prefix + i);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    assertTrue(keys.next());
                    ids.add(keys.getInt(1));
                }
                if (syncEvery > 0 && i % syncEvery == syncEvery - 1) {
                    try (Statement s = c.createStatement()) {
                        s.execute("CALL sync_now()");
                    }
                }
            }
        }
        return ids;
    }

    private static List<Long> ids(Connection c, String table) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void devicesInsertingConcurrentlyGetDistinctIntKeysThatFit(int devices) throws Exception {
        try (Fleet fleet = new Fleet(mariadb(devices), null, null)) {
            fleet.everywhere("CREATE TABLE item (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL)");
            int rows = 1200; // beyond one block of 1024, so each device also moves to a spare block
            ExecutorService pool = Executors.newFixedThreadPool(devices);
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                Connection c = fleet.device(d);
                String prefix = "d" + d + "-";
                results.add(pool.submit(() -> insert(c, "item", prefix, rows, 400)));
            }
            Set<Integer> issued = new HashSet<>();
            for (Future<List<Integer>> f : results) {
                for (int id : f.get()) {
                    assertTrue(id > 0, "positive: " + id);
                    assertTrue(issued.add(id), "issued twice: " + id);
                }
            }
            pool.shutdown();
            fleet.syncAll();
            List<Long> first = ids(fleet.device(0), "item");
            assertEquals(devices * rows, first.size());
            for (int d = 1; d < devices; d++) {
                assertEquals(fleet.rows(0, "item", "id"), fleet.rows(d, "item", "id"));
            }
            assertEquals(issued.size(), new HashSet<>(first).size());
        }
    }

    /** Moves the log directory away (every request fails) and back. */
    private static final class Outage implements AutoCloseable {
        private final Path log;
        private final Path away;

        Outage(String log) throws Exception {
            this.log = Path.of(log);
            this.away = this.log.resolveSibling(this.log.getFileName() + "-away");
            Files.move(this.log, away);
            Files.writeString(this.log, "not a directory");
        }

        @Override
        public void close() throws Exception {
            Files.delete(log);
            Files.move(away, log);
        }
    }

    @Test
    void anOfflineDeviceInsertsFromItsSpareBlocksThenSaysClearlyWhenTheyRunOut() throws Exception {
        try (Fleet fleet = new Fleet(mariadb(2), null, null)) {
            // SMALLINT: 32767 ids in blocks of 256; a device holds its current block and 2 spares.
            fleet.everywhere("CREATE TABLE item (id SMALLINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL)");
            fleet.syncAll();
            List<Integer> online = insert(fleet.device(0), "item", "on-", 10, 0);
            List<Integer> offline;
            try (Outage outage = new Outage(fleet.log())) {
                offline = insert(fleet.device(1), "item", "off-", 768, 0);
                SQLException e = assertThrows(SQLException.class, () -> insert(fleet.device(1), "item", "x-", 1, 0));
                assertEquals("55000", e.getSQLState());
                assertTrue(e.getMessage().contains("item") && e.getMessage().contains("cannot be reached")
                        && e.getMessage().contains("sync.key-spare-blocks"), e.getMessage());
                assertEquals(768, ids(fleet.device(1), "item").size(), "the refused insert left nothing behind");
            }
            insert(fleet.device(1), "item", "back-", 5, 0);
            fleet.syncAll();
            Set<Integer> all = new HashSet<>(online);
            all.addAll(offline);
            assertEquals(online.size() + offline.size(), all.size());
            assertEquals(783, ids(fleet.device(0), "item").size());
            assertEquals(fleet.rows(0, "item", "id"), fleet.rows(1, "item", "id"));
        }
    }

    @Test
    void aDeviceThatNeverReachedItsLogRefusesTheFirstInsertNeedingABlock() throws Exception {
        Path notADirectory = Files.createTempFile("jdbc-sync-unreachable", ".log");
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB);
             Connection c = DriverManager.getConnection(db.syncUrl("sync.log=" + notADirectory))) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE item (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL)");
            }
            SQLException e = assertThrows(SQLException.class, () -> insert(c, "item", "a", 1, 0));
            assertEquals("55000", e.getSQLState());
            assertTrue(e.getMessage().contains("holds no free block") && e.getMessage().contains("item"), e.getMessage());
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO item (id, name) VALUES (5, 'explicit keys need no block')");
            }
            assertEquals(List.of(5L), ids(c, "item"));
        } finally {
            Files.deleteIfExists(notADirectory);
        }
    }

    @Test
    void anExhaustedKeySpaceIsAClearErrorNeverACollision() throws Exception {
        try (Fleet fleet = new Fleet(mariadb(2), null, null)) {
            fleet.everywhere("CREATE TABLE item (id TINYINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL)");
            List<Integer> ids = new ArrayList<>(insert(fleet.device(0), "item", "a", 100, 0));
            ids.addAll(insert(fleet.device(1), "item", "b", 20, 0));
            SQLException e = null;
            for (int i = 0; i < 127 && e == null; i++) {
                try {
                    ids.addAll(insert(fleet.device(i % 2), "item", "c", 1, 0));
                } catch (SQLException failed) {
                    e = failed;
                }
            }
            assertTrue(e instanceof KeySpaceExhaustedException, String.valueOf(e));
            assertEquals("22003", e.getSQLState());
            assertTrue(e.getMessage().contains("item.id") && e.getMessage().contains("Widen"), e.getMessage());
            assertEquals(ids.size(), new HashSet<>(ids).size(), "no id was issued twice");
            assertTrue(ids.stream().allMatch(id -> id >= 1 && id <= 127), ids.toString());
            fleet.syncAll();
            assertEquals(ids.size(), ids(fleet.device(0), "item").size());
            assertEquals(fleet.rows(0, "item", "id"), fleet.rows(1, "item", "id"));
            // Sync goes on; the status tells what is wrong.
            try (Statement s = fleet.device(1).createStatement(); ResultSet rs = s.executeQuery("CALL sync_keys()")) {
                assertTrue(rs.next());
                assertEquals("item", rs.getString("table_name"));
                assertTrue(rs.getString("problem").contains("Widen"), rs.getString("problem"));
            }
        }
    }

    @Test
    void aDeviceRestoredFromABackupDoesNotReuseItsBlocks() throws Exception {
        Properties compact = new Properties();
        compact.setProperty("sync.keys", "compact");
        try (Fleet fleet = new Fleet(List.of(Kind.SQLITE), null, compact)) {
            try (SharedLog log = SharedLogs.open(fleet.log(), Map.of())) {
                // Small blocks, so a few inserts move the device through several of them.
                assertTrue(log.putObjectIfAbsent("keys/t.item/grid", "4".getBytes(StandardCharsets.UTF_8)));
            }
            fleet.everywhere("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
            insert(fleet.device(0), "item", "before-", 2, 0);
            fleet.sync(0);
            Path file = Path.of(fleet.database(0).rawUrl().substring("jdbc:sqlite:".length()).replaceAll("\\?.*", ""));
            Path backup = file.resolveSibling("backup.db");
            try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = raw.createStatement()) {
                s.execute("VACUUM INTO '" + backup + "'");
            }
            Set<Integer> afterBackup = new HashSet<>(insert(fleet.device(0), "item", "after-", 30, 3));
            fleet.sync(0);
            fleet.device(0).close();
            Files.copy(backup, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            fleet.reopen(0);
            try {
                fleet.sync(0);
            } catch (SQLException expected) {
                // The restored device's push is refused (its batches were written before); keys were checked first.
            }
            List<Integer> restored = insert(fleet.device(0), "item", "restored-", 10, 0);
            int highest = afterBackup.stream().mapToInt(Integer::intValue).max().orElseThrow();
            for (int id : restored) {
                assertFalse(afterBackup.contains(id), "reused " + id + " from " + afterBackup);
                assertTrue(id > highest, id + " above " + highest);
            }
        }
    }

    @Test
    void aDatabaseSetUpBeforeKeyBlocksOpensReadOnly() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE)) {
            try (Connection c = db.openSync(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
                s.execute("INSERT INTO item (id, name) VALUES (1, 'a')");
            }
            db.execRaw("DROP TABLE _sync_key_block"); // as an older version left it
            java.util.Properties readOnly = new java.util.Properties();
            readOnly.setProperty("open_mode", "1");
            readOnly.setProperty("sync.keys", "compact");
            try (Connection c = db.openSync(readOnly); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name FROM item")) {
                assertTrue(rs.next());
                assertEquals("a", rs.getString(1));
            }
        }
    }

    @Test
    void aRestartedAppResumesItsRecordedBlocksEvenOffline() throws Exception {
        try (Fleet fleet = new Fleet(mariadb(1), null, null)) {
            fleet.everywhere("CREATE TABLE item (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL)");
            fleet.sync(0); // claims the current block and the spares, recorded in the database
            List<Integer> first = insert(fleet.device(0), "item", "a", 5, 0);
            assertEquals(List.of(1, 2, 3, 4, 5), first);
            List<Integer> after;
            try (Outage outage = new Outage(fleet.log())) {
                fleet.reopen(0); // a new process: the last connection closed, the device is read afresh
                after = insert(fleet.device(0), "item", "b", 5, 0);
            }
            assertEquals(List.of(6, 7, 8, 9, 10), after, "the recorded block goes on where the table stops");
            try (Statement s = fleet.device(0).createStatement(); ResultSet rs = s.executeQuery("CALL sync_keys()")) {
                assertTrue(rs.next());
                assertEquals(3, rs.getLong("blocks_held"));
                assertEquals(3 * 1024 - 10, rs.getLong("ids_left"));
            }
        }
    }
}
