package io.jdbcsync.internal.engine;

import io.jdbcsync.internal.compact.Manifest;
import io.jdbcsync.internal.log.DirectorySharedLog;
import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With no option set, a device publishes a snapshot by itself once 100,000 log entries went through
 * it, and a device that joins later starts from that snapshot: the folded batches are gone.
 */
class SnapshotByDefaultTest {
    private static final int ROWS = 100_000;

    @Test
    void aDevicePublishesASnapshotOnTheDefaultAndANewcomerJoinsFromIt() throws Exception {
        try (Fleet f = new Fleet(List.of(Kind.SQLITE, Kind.SQLITE), null, null)) {
            f.everywhere("CREATE TABLE item (id BIGINT PRIMARY KEY, note VARCHAR(40))");
            Connection a = f.device(0);
            a.setAutoCommit(false);
            try (PreparedStatement ps = a.prepareStatement("INSERT INTO item (id, note) VALUES (?, ?)")) {
                for (int i = 1; i <= ROWS - 1; i++) {
                    ps.setLong(1, i);
                    ps.setString(2, "row " + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            a.commit();
            a.setAutoCommit(true);
            f.sync(0);
            assertTrue(snapshot(f).isEmpty(), "99,999 entries: below the default threshold");
            f.exec(0, "INSERT INTO item (id, note) VALUES (" + ROWS + ", 'last')");
            f.sync(0);
            Manifest m = snapshot(f).orElseThrow(() -> new AssertionError("no snapshot at 100,000 entries"));
            assertEquals(1, m.number());
            assertTrue(m.cuts().values().stream().allMatch(c -> c > 0), "batches folded: " + m.cuts());
            try (DirectorySharedLog log = new DirectorySharedLog(Path.of(f.log()))) {
                String device = m.cuts().keySet().iterator().next();
                assertTrue(log.listBatches(device, 0, 1).get(0) > m.cut(device), "folded batches deleted");
            }
            long[] joined = f.sync(1);
            assertEquals(ROWS, joined[1], "the newcomer pulled the snapshot and the batch after it");
            assertEquals(f.rows(0, "item", "id"), f.rows(1, "item", "id"));
        }
    }

    private static Optional<Manifest> snapshot(Fleet f) throws Exception {
        try (DirectorySharedLog log = new DirectorySharedLog(Path.of(f.log()))) {
            return Manifest.latest(log, null);
        }
    }
}
