package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.Fleet;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator reads in the log (slf4j-simple at its default INFO level, writing to standard
 * error): a parked change and a conflict are said, a parked cause once, not once per change.
 */
class OperatorLogTest {

    @Test
    void parkedChangesAreWarnedOncePerCauseWithTheCount() throws Exception {
        // A table name no other test uses: the count per cause is kept for the whole process.
        String table = "probe_" + UUID.randomUUID().toString().replace("-", "");
        try (Fleet f = Fleet.sqlite(2)) {
            f.everywhere("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            f.exec(0, "CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, v TEXT)");
            f.exec(0, "INSERT INTO " + table + " (id, v) VALUES (1, 'a')", "INSERT INTO " + table + " (id, v) VALUES (2, 'b')",
                    "INSERT INTO " + table + " (id, v) VALUES (3, 'c')");
            f.sync(0);
            String log = stderrOf(() -> f.sync(1));
            String cause = "table " + table + " does not exist here yet";
            assertEquals(1, count(log, "WARN io.jdbcsync.internal.merge.ParkedChanges"), log);
            assertTrue(log.contains(cause + " (1 times for this cause"), log);
        }
    }

    @Test
    void aConflictIsLoggedAtInfoWithItsId() throws Exception {
        try (Fleet f = Fleet.sqlite(2)) {
            f.everywhere("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            f.exec(0, "INSERT INTO t (id, v) VALUES (7, 'first')");
            f.exec(1, "INSERT INTO t (id, v) VALUES (7, 'second')");
            f.sync(0);
            f.sync(1);
            String log = stderrOf(() -> f.sync(0));
            assertTrue(log.contains("INFO io.jdbcsync.internal.merge.ConflictLog - conflict ") && log.contains(" in t: the version of device "),
                    log);
        }
    }

    @Test
    void clockClampsAreWarnedAtTheFirstAndTenthWithTheCount() throws Exception {
        long[] wall = {1_000_000_000_000L};
        io.jdbcsync.internal.clock.Hlc clock = new io.jdbcsync.internal.clock.Hlc(() -> wall[0], 0, 300_000);
        long farAhead = (wall[0] + 3_600_000) << 16;
        String log = stderrOf(() -> {
            for (int i = 0; i < 12; i++) {
                clock.observe(farAhead);
            }
        });
        assertEquals(12, clock.clampedCount());
        assertEquals(2, count(log, "WARN io.jdbcsync.internal.clock.Hlc - clamped a remote clock value 3600000 ms ahead"), log);
        assertTrue(log.contains("1 clamped so far") && log.contains("10 clamped so far"), log);
    }

    @Test
    void aBackgroundFailureIsDescribedDownToItsRootCause() {
        Exception e = new java.sql.SQLException("sync failed", "08006",
                new java.io.IOException("PUT failed", new java.net.ConnectException("Connection refused")));
        assertEquals("java.sql.SQLException: sync failed; caused by java.io.IOException: PUT failed;"
                + " caused by java.net.ConnectException: Connection refused", io.jdbcsync.internal.diagnostics.Causes.of(e));
    }

    interface Step {
        void run() throws Exception;
    }

    static String stderrOf(Step step) throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            step.run();
        } finally {
            System.setErr(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}
