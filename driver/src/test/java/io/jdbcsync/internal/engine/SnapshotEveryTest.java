package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code sync.snapshot-every}: devices publish snapshots by themselves as the log grows, one device
 * per threshold (the others find its snapshot and count again), and a device that joins later
 * starts from the snapshot, the folded batches being gone.
 */
class SnapshotEveryTest {

    private static String state(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT value FROM _sync_state WHERE name = '" + name + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void insert(Connection c, int from, int n) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (int i = from; i < from + n; i++) {
                s.executeUpdate("INSERT INTO item (id, note) VALUES (" + i + ", 'row " + i + "')");
            }
        }
    }

    @Test
    void devicesPublishSnapshotsAsTheLogGrowsAndNewcomersStartFromThem() throws Exception {
        Properties p = new Properties();
        p.setProperty("sync.batch-max-entries", "50");
        p.setProperty("sync.snapshot-every", "500");
        // a, b: in the group from the start; late: joins at the end.
        try (Fleet f = new Fleet(List.of(Kind.SQLITE, Kind.SQLITE, Kind.MARIADB), null, p)) {
            f.everywhere("CREATE TABLE item (id BIGINT PRIMARY KEY, note VARCHAR(40))");
            Connection a = f.device(0);
            Connection b = f.device(1);
            insert(a, 1, 300);
            f.sync(0);
            f.sync(1);
            assertEquals("300", state(a, "snapshot.entries"), "below the threshold: counted, nothing published");
            assertEquals(null, state(a, "snapshot.seen"));
            insert(a, 301, 300);
            f.sync(0); // 600 entries seen: a publishes what every device has (b holds a's first 6 batches)
            assertEquals("1", state(a, "snapshot.seen"));
            assertEquals("0", state(a, "snapshot.entries"));
            f.sync(1); // b crosses the threshold too, finds a's snapshot and counts again instead of compacting
            assertEquals("1", state(b, "snapshot.seen"));
            assertEquals("0", state(b, "snapshot.entries"));
            // The newcomer can only get the first 300 rows from the snapshot: their batches are gone.
            long[] joined = f.sync(2);
            assertEquals(600, joined[1]);
            assertEquals(f.rows(0, "item", "id"), f.rows(2, "item", "id"));
            assertEquals(600, f.rows(2, "item", "id").size());
        }
    }
}
