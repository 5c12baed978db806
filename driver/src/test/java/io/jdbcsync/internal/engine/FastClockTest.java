package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A device whose clock runs ahead by more than {@code sync.max-clock-drift-ms}: its changes wait on
 * the other devices until their clocks catch up, so a later local write there orders after a
 * fast change it has applied, and every device ends identical.
 */
class FastClockTest {

    /** The fast device runs in its own JVM under faketime; the others' "later" runs are too. */
    @Test
    void deviceTwoHoursAheadUnderFaketime() throws Exception {
        assertTrue(faketimeInstalled(), "faketime is not installed (Debian package 'faketime'); this test needs it");
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase fast = TestDatabase.create(TestDatabase.Kind.SQLITE);
             TestDatabase slow = TestDatabase.create(TestDatabase.Kind.SQLITE)) {
            String fastUrl = fast.syncUrl("sync.log=" + log);
            String slowUrl = slow.syncUrl("sync.log=" + log);
            run(null, slowUrl, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)",
                    "INSERT INTO t (id, v) VALUES (1, 'orig')", "CALL sync_now()");
            List<String> f = run("+2h", fastUrl, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", "CALL sync_now()",
                    "UPDATE t SET v = 'fast' WHERE id = 1", "CALL sync_now()");
            assertTrue(f.contains("ROW 1|fast"), f.toString());

            // The slow device, at the real time: the fast change waits; its own later write shows.
            List<String> s = run(null, slowUrl, "CALL sync_now()", "UPDATE t SET v = 'later' WHERE id = 1", "CALL sync_now()");
            assertTrue(s.contains("ROW 1|later"), s.toString());
            assertTrue(s.contains("PARKED 1"), "the change from the future waits: " + s);
            f = run("+2h", fastUrl, "CALL sync_now()");
            assertTrue(f.contains("ROW 1|fast"), "the fast change is newer than 'later': " + f);

            // Three hours on, the slow device's clock has passed the fast change: it applies there too.
            s = run("+3h", slowUrl, "CALL sync_now()");
            f = run("+3h", fastUrl, "CALL sync_now()");
            assertEquals(rows(f), rows(s), "devices differ: fast " + f + ", slow " + s);
            assertEquals(List.of("ROW 1|fast"), rows(s));
            assertTrue(s.contains("PARKED 0"), s.toString());
        }
    }

    private static List<String> rows(List<String> out) {
        return out.stream().filter(l -> l.startsWith("ROW ")).toList();
    }

    private static boolean faketimeInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "faketime"))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@link ClockDevice} in a new JVM, under {@code faketime -f offset} when given. */
    private static List<String> run(String offset, String url, String... sql) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (offset != null) {
            cmd.addAll(List.of("faketime", "-f", offset));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ClockDevice.class.getName(), url));
        cmd.addAll(List.of(sql));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "device process did not end");
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "device process failed: " + text);
        return text.lines().toList();
    }

    /**
     * In one JVM: a device whose stored clock is ahead by more than the allowed drift stamps its
     * writes in the future; the others park them until their wall clock is close enough.
     */
    @Test
    void deviceAheadInProcess() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        long drift = 1000;
        long ahead = 4000;
        try (TestDatabase fastDb = TestDatabase.create(TestDatabase.Kind.SQLITE);
             TestDatabase slowDb = TestDatabase.create(TestDatabase.Kind.SQLITE);
             TestDatabase thirdDb = TestDatabase.create(TestDatabase.Kind.SQLITE)) {
            String opts = "sync.log=" + log + "&sync.max-clock-drift-ms=" + drift;
            long fastFrom = System.currentTimeMillis() + ahead;
            try (Connection fast = DriverManager.getConnection(fastDb.syncUrl(opts));
                 Connection slow = DriverManager.getConnection(slowDb.syncUrl(opts));
                 Connection third = DriverManager.getConnection(thirdDb.syncUrl(opts))) {
                for (Connection c : List.of(fast, slow, third)) {
                    exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
                }
                exec(slow, "INSERT INTO t (id, v) VALUES (1, 'orig')", "CALL sync_now()");
                exec(fast, "CALL sync_now()");
                exec(third, "CALL sync_now()");
            }
            // The fast device's clock resumes from its stored value: as if its wall clock ran ahead.
            try (Connection raw = DriverManager.getConnection(fastDb.rawUrl()); Statement s = raw.createStatement()) {
                s.executeUpdate("INSERT OR REPLACE INTO _sync_state (name, value) VALUES ('hlc', '" + (fastFrom << 16) + "')");
            }
            try (Connection fast = DriverManager.getConnection(fastDb.syncUrl(opts));
                 Connection slow = DriverManager.getConnection(slowDb.syncUrl(opts));
                 Connection third = DriverManager.getConnection(thirdDb.syncUrl(opts))) {
                exec(fast, "UPDATE t SET v = 'fast' WHERE id = 1", "CALL sync_now()");
                exec(slow, "CALL sync_now()", "UPDATE t SET v = 'later' WHERE id = 1", "CALL sync_now()");
                exec(third, "CALL sync_now()");
                exec(fast, "CALL sync_now()");
                assertEquals("fast", value(fast));
                assertEquals("later", value(slow), "the change from the future waits on the slow device");
                assertEquals(1, parked(slow));
                assertEquals(1, parked(third));
                // Wait (no assertion on time) until the wall clock is within the drift of the fast change.
                while (System.currentTimeMillis() <= fastFrom - drift + 5) {
                    Thread.sleep(100);
                }
                for (int round = 0; round < 2; round++) {
                    for (Connection c : List.of(slow, third, fast)) {
                        exec(c, "CALL sync_now()");
                    }
                }
                assertEquals("fast", value(slow));
                assertEquals("fast", value(third));
                assertEquals("fast", value(fast));
                assertEquals(0, parked(slow));
            }
        }
    }

    private static final long DRIFT = 500;

    /**
     * Two changes from the future that come due at different times, on a device whose engine stays
     * open: each applies once its time comes. The later one used to stay parked for good, since
     * retrying the earlier one forgot that another change was still waiting on the clock.
     */
    @Test
    void changesFromTheFutureApplyOneAfterTheOther() throws Exception {
        slowBesideFast((fastDb, opts, slow) -> {
            long first = System.currentTimeMillis() + 2500;
            long second = first + 2000;
            writeAt(fastDb, opts, first, "INSERT INTO t (id, v) VALUES (1, 'first')");
            writeAt(fastDb, opts, second, "INSERT INTO t (id, v) VALUES (2, 'second')");
            exec(slow, "CALL sync_now()");
            assertEquals(2, parked(slow));
            waitUntilDue(first);
            exec(slow, "CALL sync_now()");
            assertEquals(1, parked(slow), "the first change is due, the second is not");
            waitUntilDue(second);
            exec(slow, "CALL sync_now()");
            assertEquals(0, parked(slow), "the second change is due too");
            assertEquals(List.of(1L, 2L), ids(slow));
        });
    }

    /**
     * The transaction that applies a change from the future fails (here a trigger refuses the
     * insert once): the change stays parked, and the next sync applies it. The wake-up was once
     * consumed before the transaction, so the change then waited for good.
     */
    @Test
    void changeFromTheFutureIsRetriedAfterItsApplyFailed() throws Exception {
        slowBesideFast((fastDb, opts, slow) -> {
            long at = System.currentTimeMillis() + 2000;
            writeAt(fastDb, opts, at, "INSERT INTO t (id, v) VALUES (1, 'ahead')");
            exec(slow, "CALL sync_now()");
            assertEquals(1, parked(slow));
            try (Statement s = slow.unwrap(Connection.class).createStatement()) {
                s.execute("CREATE TABLE armed (x INTEGER)");
                s.execute("INSERT INTO armed VALUES (1)");
                s.execute("CREATE TRIGGER refuse BEFORE INSERT ON t WHEN EXISTS (SELECT 1 FROM armed)"
                        + " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
            }
            waitUntilDue(at);
            java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> exec(slow, "CALL sync_now()"));
            assertTrue(String.valueOf(refused.getMessage()).contains("refused by the test"), refused.toString());
            assertEquals(1, parked(slow));
            try (Statement s = slow.unwrap(Connection.class).createStatement()) {
                s.execute("DELETE FROM armed");
            }
            exec(slow, "CALL sync_now()");
            assertEquals(0, parked(slow));
            assertEquals(List.of(1L), ids(slow));
        });
    }

    private interface FastAndSlow {
        void run(TestDatabase fastDb, String opts, Connection slow) throws Exception;
    }

    /** A slow device whose engine stays open, and a fast one written through {@link #writeAt}. */
    private static void slowBesideFast(FastAndSlow body) throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase fastDb = TestDatabase.create(TestDatabase.Kind.SQLITE);
             TestDatabase slowDb = TestDatabase.create(TestDatabase.Kind.SQLITE)) {
            String opts = "sync.log=" + log + "&sync.max-clock-drift-ms=" + DRIFT;
            try (Connection slow = DriverManager.getConnection(slowDb.syncUrl(opts))) {
                exec(slow, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", "CALL sync_now()");
                body.run(fastDb, opts, slow);
            }
        }
    }

    /** Waits (no assertion on time) until a change stamped {@code at} is within the drift of the wall clock. */
    private static void waitUntilDue(long at) throws InterruptedException {
        while (System.currentTimeMillis() <= at - DRIFT + 5) {
            Thread.sleep(50);
        }
    }

    /** Writes on a device whose stored clock says {@code atMillis} (as if its wall clock ran ahead) and pushes. */
    private static void writeAt(TestDatabase db, String opts, long atMillis, String sql) throws Exception {
        try (Connection raw = DriverManager.getConnection(db.rawUrl()); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)");
        }
        try (Connection c = DriverManager.getConnection(db.syncUrl(opts))) {
            exec(c, "CALL sync_now()");
        }
        try (Connection raw = DriverManager.getConnection(db.rawUrl()); Statement s = raw.createStatement()) {
            s.executeUpdate("INSERT OR REPLACE INTO _sync_state (name, value) VALUES ('hlc', '" + (atMillis << 16) + "')");
        }
        try (Connection c = DriverManager.getConnection(db.syncUrl(opts))) {
            exec(c, sql, "CALL sync_now()");
        }
    }

    private static List<Long> ids(Connection c) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM t ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static void exec(Connection c, String... sql) throws Exception {
        try (Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static String value(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM t WHERE id = 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long parked(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
            rs.next();
            return rs.getLong("parked_changes");
        }
    }
}
