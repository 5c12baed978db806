package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compaction folds what everybody has into a snapshot; storage follows the data set; new devices start from it. */
class CompactionTest {

    private static long logBytes(Path root, String sub) throws Exception {
        Path p = root.resolve(sub);
        if (!Files.exists(p)) {
            return 0;
        }
        try (var files = Files.walk(p)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static Object[] compact(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_compact()")) {
            rs.next();
            return new Object[] {rs.getLong("snapshot"), rs.getLong("rows"), rs.getLong("batches_folded"), rs.getString("retired")};
        }
    }

    @Test
    void storageFollowsTheDataSetAndNewDevicesStartFromTheSnapshot() throws Exception {
        Properties p = new Properties();
        p.setProperty("sync.batch-max-entries", "100");
        try (Fleet f = new Fleet(List.of(TestDatabase.Kind.SQLITE, TestDatabase.Kind.SQLITE), null, p)) {
            f.everywhere("CREATE TABLE item (id INTEGER PRIMARY KEY, n INTEGER, note TEXT)");
            try (Statement s = f.device(0).createStatement()) {
                for (int i = 1; i <= 100; i++) {
                    s.executeUpdate("INSERT INTO item (id, n, note) VALUES (" + i + ", 0, 'row " + i + "')");
                }
            }
            f.syncAll();
            Path log = Path.of(f.log());
            java.util.Random random = new java.util.Random(7);
            long[] before = new long[2];
            long[] after = new long[2];
            Object[] r = null;
            int rounds = 0;
            for (int phase = 0; phase < 2; phase++) {
                // 1,000 updates (phase 0), then 2,000 more (phase 1), to the same 100 rows.
                for (int k = 0; k < (phase == 0 ? 10 : 20); k++, rounds++) {
                    int d = rounds % 2;
                    try (Statement s = f.device(d).createStatement()) {
                        for (int i = 1; i <= 100; i++) {
                            s.executeUpdate("UPDATE item SET n = n + 1, note = '" + Long.toString(random.nextLong(), 36)
                                    + "' WHERE id = " + i);
                        }
                    }
                    f.sync(d);
                }
                f.syncAll();
                before[phase] = logBytes(log, "devices") + logBytes(log, "objects");
                r = compact(f.device(phase));
                after[phase] = logBytes(log, "devices") + logBytes(log, "objects");
                System.out.printf("%d updates to 100 rows: shared log %d bytes before compaction, %d after (snapshot %s,"
                        + " %s rows, %s batches folded)%n", rounds * 100, before[phase], after[phase], r[0], r[1], r[2]);
                assertEquals(100L, r[1]);
            }
            assertTrue(before[1] > 2 * before[0], "history grows: " + before[0] + " -> " + before[1]);
            assertTrue(after[1] < after[0] * 1.3, "compacted size follows the data set: " + after[0] + " -> " + after[1]);
            // Compacting again with nothing new does nothing.
            assertEquals(-1L, compact(f.device(1))[0]);
            // A new device starts from the snapshot plus the batches after it.
            try (TestDatabase fresh = TestDatabase.create(TestDatabase.Kind.SQLITE)) {
                Properties q = new Properties();
                q.setProperty("sync.log", f.log());
                try (Connection c = DriverManager.getConnection(fresh.syncUrl(), q); Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, n INTEGER, note TEXT)");
                    s.executeQuery("CALL sync_now()").close();
                    List<String> expected = f.rows(0, "item", "id");
                    List<String> got = new java.util.ArrayList<>();
                    try (ResultSet rs = s.executeQuery("SELECT id, n, note FROM item ORDER BY id")) {
                        while (rs.next()) {
                            got.add(rs.getLong(1) + "|" + rs.getLong(2) + "|" + rs.getString(3));
                        }
                    }
                    assertEquals(expected, got);
                }
            }
            // Old devices keep syncing across the compaction.
            f.exec(1, "UPDATE item SET note = 'after' WHERE id = 1");
            f.syncAll();
            assertEquals(f.rows(0, "item", "id"), f.rows(1, "item", "id"));
        }
    }

    @Test
    void aSilentDeviceHoldsCompactionBackUntilRetired() throws Exception {
        try (Fleet f = Fleet.sqlite(3)) {
            f.everywhere("CREATE TABLE item (id INTEGER PRIMARY KEY, n INTEGER)");
            f.sync(2); // device 2 publishes its progress once, then goes silent
            for (int i = 0; i < 5; i++) {
                f.exec(0, "INSERT INTO item (n) VALUES (" + i + ")");
                f.sync(0);
                f.sync(1);
            }
            Object[] held = compact(f.device(0));
            assertEquals(-1L, held[0], "device 2 has integrated nothing: nothing can be compacted");
            String silent;
            try (Statement s = f.device(2).createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
                rs.next();
                silent = rs.getString("device_id");
            }
            f.exec(0, "CALL sync_retire('" + silent + "')");
            Object[] r = compact(f.device(0));
            assertTrue((Long) r[0] > 0);
            assertTrue(((String) r[3]).contains(silent));
            // The retired device can still come back and catch up from the snapshot.
            f.sync(2);
            assertEquals(f.rows(0, "item", "id"), f.rows(2, "item", "id"));
        }
    }
}
