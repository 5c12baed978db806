package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scheduled compaction that fails after a sync whose push and pull succeeded: the sync still
 * reports success, the failure is logged with its cause and shown by {@code sync_status()}, and a
 * later sync compacts once the log can take the snapshot.
 */
class ScheduledCompactionFailureTest {

    private static String status(Fleet f, int device, String column) throws SQLException {
        try (Statement s = f.device(device).createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
            rs.next();
            return rs.getString(column);
        }
    }

    private static void insert(Fleet f, int from, int n) throws SQLException {
        for (int i = from; i < from + n; i++) {
            f.exec(0, "INSERT INTO item (id, note) VALUES (" + i + ", 'row " + i + "')");
        }
    }

    @Test
    void aFailedCompactionDoesNotFailTheSyncIsShownAndIsRetried() throws Exception {
        Properties p = new Properties();
        p.setProperty("sync.snapshot-every", "10");
        try (Fleet f = new Fleet(List.of(Kind.SQLITE, Kind.SQLITE), null, p)) {
            f.everywhere("CREATE TABLE item (id BIGINT PRIMARY KEY, note VARCHAR(40))");
            // A file where the snapshots folder goes: no snapshot can be written (even by root).
            Path snapshots = Path.of(f.log(), "objects", "snapshots");
            Files.createDirectories(snapshots.getParent());
            Files.writeString(snapshots, "in the way");
            insert(f, 1, 5);
            f.sync(0);
            f.sync(1); // b has a's first batch: a compaction can fold it
            insert(f, 6, 5);

            long[][] result = new long[1][];
            String log = OperatorLogTest.stderrOf(() -> result[0] = f.sync(0));
            assertArrayEquals(new long[] {5, 0, 0, 0}, result[0], "the push succeeded and says so");
            assertTrue(log.contains("WARN io.jdbcsync.internal.engine.Engine - scheduled compaction of device ")
                    && log.contains("; caused by java.nio.file.FileSystemException: ") && log.contains("Not a directory"), log);
            String error = status(f, 0, "compaction_error");
            assertTrue(error != null && error.contains("compaction failed") && error.contains("caused by "), error);
            assertNull(status(f, 0, "last_error"), "the sync itself did not fail");

            Files.delete(snapshots);
            Thread.sleep(1_100); // the first retry waits a second
            f.sync(0);
            assertNull(status(f, 0, "compaction_error"), "cleared by the compaction that succeeded");
            try (Stream<Path> published = Files.list(snapshots)) {
                assertEquals(1, published.count(), "one snapshot");
            }
        }
    }
}
