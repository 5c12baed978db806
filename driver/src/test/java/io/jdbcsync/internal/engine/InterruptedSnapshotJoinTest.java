package io.jdbcsync.internal.engine;

import io.jdbcsync.internal.compact.Manifest;
import io.jdbcsync.internal.log.DirectorySharedLog;
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
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bulk join killed (SIGKILL) in the middle of a snapshot's parts, after which another device
 * publishes a newer snapshot (rows of the loaded parts updated and deleted, new rows): the join
 * resumes from the newer snapshot's first part, the primary keys guarding what was loaded, and the
 * device ends identical to one that integrated every change one by one, with no conflict recorded;
 * its later syncs pull only what is newer. Device a writes, b follows change by change, the
 * newcomer joins in a JVM of its own.
 */
class InterruptedSnapshotJoinTest {
    private static final int ROWS = 80_000; // 16 parts of 5,000
    private static final String TABLE = "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(40), qty INTEGER, note VARCHAR(100))";

    @Test
    void aJoinKilledMidSnapshotResumesFromANewerSnapshot() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        Properties p = new Properties();
        p.setProperty("sync.log", log.toString());
        p.setProperty("sync.snapshot-every", "0"); // snapshots only when this test compacts
        try (LogDirectory removed = () -> deleteTree(log);
             TestDatabase da = TestDatabase.create(Kind.SQLITE); TestDatabase db = TestDatabase.create(Kind.SQLITE);
             TestDatabase dn = TestDatabase.create(Kind.SQLITE);
             Connection a = da.openSync(p); Connection b = db.openSync(p)) {
            exec(a, TABLE);
            exec(b, TABLE);
            insert(a, 1, ROWS);
            sync(a);
            sync(b);
            compactKeepingTheNewestBatch(a, b);
            assertEquals(1, snapshot(log).number());
            int parts = snapshot(log).parts().size();
            assertTrue(parts >= 16, "parts: " + parts);

            String url = dn.syncUrl("journal_mode=WAL&sync.log=" + log + "&sync.snapshot-every=0");
            try (Connection n = DriverManager.getConnection(url)) {
                exec(n, TABLE);
            }
            int done = killMidJoin(url, dn, parts);
            long loaded = count(dn, "SELECT COUNT(*) FROM item");
            System.out.printf("join killed after %d of %d parts, %d rows loaded%n", done, parts, loaded);
            assertTrue(done >= 2 && done < parts, "killed mid-join: " + done + " of " + parts + " parts");
            assertTrue(loaded >= 2 * 5000L && loaded < ROWS, "rows loaded before the kill: " + loaded);

            // Rows of the loaded parts change and go, new rows arrive; a publishes snapshot 2.
            exec(a, "UPDATE item SET qty = -id, note = 'changed' WHERE id <= 1000",
                    "DELETE FROM item WHERE id > 1000 AND id <= 1100");
            insert(a, ROWS + 1, 500);
            sync(a);
            sync(b);
            compactKeepingTheNewestBatch(a, b);
            assertEquals(2, snapshot(log).number());

            try (Connection n = DriverManager.getConnection(url)) {
                sync(n);
                sync(b);
                assertEquals(rows(db), rows(dn));
                assertEquals(versions(db), versions(dn));
                assertEquals(ROWS + 500 + 2 - 100, count(dn, "SELECT COUNT(*) FROM item"));
                assertEquals(0, count(dn, "SELECT COUNT(*) FROM _sync_conflict"), "no conflict from rows loaded twice");
                assertNull(state(dn, "snapshot.join"), "join checkpoint removed");
                // Later syncs integrate only what is newer.
                exec(a, "UPDATE item SET qty = 7 WHERE id <= 10");
                sync(a);
                long[] later = sync(n);
                assertEquals(10, later[1], "pulled after the join");
                assertEquals(0, sync(n)[1], "nothing new");
                sync(b);
                assertEquals(rows(db), rows(dn));
                assertEquals(versions(db), versions(dn));
            }
        }
    }

    /** Starts the newcomer's sync in a child JVM and kills it (SIGKILL) once it has committed two parts or more (the parts of a transaction); the parts done. */
    private static int killMidJoin(String url, TestDatabase dn, int parts) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), JoiningDevice.class.getName(), url);
        Path output = dn.dir().resolve("joining-device.txt");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try (Connection watch = DriverManager.getConnection(dn.rawUrl() + "&journal_mode=WAL&busy_timeout=30000")) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (System.nanoTime() < deadline && child.isAlive()) {
                String checkpoint = state(watch, "snapshot.join");
                if (checkpoint != null && Integer.parseInt(checkpoint.split("\t")[1]) >= 2) {
                    child.destroyForcibly(); // SIGKILL
                    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
                    return Integer.parseInt(state(watch, "snapshot.join").split("\t")[1]);
                }
                Thread.sleep(2);
            }
        }
        child.destroyForcibly();
        throw new AssertionError("the join ended or stalled before its third part (alive: " + child.isAlive() + "):\n"
                + Files.readString(output));
    }

    /** Removes the shared log's directory when the test ends. */
    private interface LogDirectory extends AutoCloseable {
        @Override
        void close() throws java.io.IOException;
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void compactKeepingTheNewestBatch(Connection a, Connection b) throws SQLException {
        // Compaction keeps each device's newest batch: one more, that both have, so the rest folds.
        exec(a, "INSERT INTO item (id, name, qty, note) VALUES (" + (ROWS + 1000 + count(a, "SELECT COUNT(*) FROM item"))
                + ", 'last', 0, 'last')");
        sync(a);
        sync(b);
        exec(a, "CALL sync_compact()");
    }

    private static Manifest snapshot(Path log) throws Exception {
        try (DirectorySharedLog l = new DirectorySharedLog(log)) {
            return Manifest.latest(l, null).orElseThrow();
        }
    }

    private static void insert(Connection c, int from, int n) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name, qty, note) VALUES (?, ?, ?, ?)")) {
            for (int i = from; i < from + n; i++) {
                ps.setLong(1, i);
                ps.setString(2, "item " + i);
                ps.setInt(3, i % 1000);
                ps.setString(4, "a note of some length for row " + i);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
    }

    private static long[] sync(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_now()")) {
            rs.next();
            return new long[] {rs.getLong("pushed"), rs.getLong("pulled")};
        }
    }

    private static void exec(Connection c, String... sql) throws SQLException {
        TestDatabase.exec(c, sql);
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(TestDatabase d, String sql) throws SQLException {
        return Long.parseLong(d.rawRows(sql).get(0));
    }

    private static String state(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM _sync_state WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static String state(TestDatabase d, String name) throws SQLException {
        try (Connection c = d.openRaw()) {
            return state(c, name);
        }
    }

    private static List<String> rows(TestDatabase d) throws SQLException {
        return d.rawRows("SELECT id, name, qty, note FROM item ORDER BY id");
    }

    private static List<String> versions(TestDatabase d) throws SQLException {
        return d.versions();
    }
}
