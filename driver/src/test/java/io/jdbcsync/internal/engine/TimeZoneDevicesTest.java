package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.ZoneDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
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
 * Devices in separate JVMs, each with its own {@code user.timezone}, sync through a directory log
 * and must end with identical stored values: on SQLite the same storage class and bytes
 * ({@code typeof}, {@code quote}), on MariaDB the same text and {@code UNIX_TIMESTAMP}. One device
 * also changes its zone between runs.
 */
class TimeZoneDevicesTest {
    private static final String BERLIN = "Europe/Berlin";
    private static final String NEW_YORK = "America/New_York";
    private static final String KOLKATA = "Asia/Kolkata";
    private static final String CHATHAM = "Pacific/Chatham";

    private static final String SQLITE_DDL = "CREATE TABLE IF NOT EXISTS v (id INTEGER PRIMARY KEY, dt DATETIME, d DATE,"
            + " b BOOLEAN, n NUMERIC, r REAL, t TEXT, x, created DATETIME DEFAULT CURRENT_TIMESTAMP)";
    private static final String SQLITE_DUMP = "SELECT id, typeof(dt) || ' ' || quote(dt), typeof(d) || ' ' || quote(d),"
            + " typeof(b) || ' ' || quote(b), typeof(n) || ' ' || quote(n), typeof(r) || ' ' || quote(r),"
            + " typeof(t) || ' ' || quote(t), typeof(x) || ' ' || quote(x), typeof(created) || ' ' || quote(created)"
            + " FROM v ORDER BY id";

    @TempDir
    Path dir;

    @Test
    void sqliteValuesKeepTheirStorageClassAcrossZones() throws Exception {
        Path log = dir.resolve("log");
        String a = sqliteUrl("a", log);
        String b = sqliteUrl("b", log);
        String c = sqliteUrl("c", log);
        String d = sqliteUrl("d", log);
        device(BERLIN, a, SQLITE_DDL,
                "?INSERT INTO v (id, dt, d, b, n) VALUES (?, ?, ?, ?, ?)|long:1|long:1700000000000|text:2024-03-01"
                        + "|text:true|text:12abc",
                "?INSERT INTO v (id, dt, d, b, n, r, t, x) VALUES (?, ?, ?, ?, ?, ?, ?, ?)|long:2"
                        + "|ts:2024-10-27 02:30:00.123|date:2024-03-31|bool:true|text:1e3|long:7|long:42|double:1.5",
                "INSERT INTO v (id, dt, d, b, n, x) VALUES (3, '2024-11-03 01:30:00', '2024-03-01', 'false', 3.0, x'00ff')",
                "?INSERT INTO v (id, dt, d, t) VALUES (?, ?, ?, ?)|long:4|tscal:2024-10-27 02:30:00@UTC"
                        + "|datecal:2024-03-01@Pacific/Chatham|text:calendar",
                "?INSERT INTO v (id, dt, n, r, x) VALUES (?, ?, ?, ?, ?)|long:5|double:2460000.5|double:2.0|text: 12 "
                        + "|double:-0.0",
                "UPDATE v SET n = n || '', r = r * 2 WHERE id = 2",
                "sync");
        device(NEW_YORK, b, SQLITE_DDL, "sync",
                "?UPDATE v SET dt = ?, b = ? WHERE id = ?|ts:2024-11-03 01:30:00|text:yes|long:3",
                "INSERT INTO v (id, dt) VALUES (6, CURRENT_TIMESTAMP)",
                "sync");
        device(KOLKATA, c, SQLITE_DDL, "sync");
        device(CHATHAM, d, SQLITE_DDL, "sync");
        // Device a again, now in another zone.
        device(CHATHAM, a, "sync", "?UPDATE v SET d = ?, x = ? WHERE id = ?|date:2024-01-01|tscal:2024-11-03 01:30:00@"
                + NEW_YORK + "|long:2", "sync");
        for (String url : List.of(b, c, d, a)) {
            device(KOLKATA, url, "sync");
        }
        List<String> reference = dump(a);
        assertEquals(6, reference.size(), reference.toString());
        for (String url : List.of(b, c, d)) {
            assertEquals(reference, dump(url), url);
        }
        // The values the issue named, exactly as device a stored them.
        String row1 = reference.get(0);
        assertTrue(row1.startsWith("1|integer 1700000000000|text '2024-03-01'|text 'true'|text '12abc'|"), row1);
        assertTrue(row1.matches(".*\\|text '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d'$"), row1);
        assertTrue(reference.get(2).startsWith("3|integer "), reference.get(2));
        assertTrue(reference.get(2).contains("|text 'yes'|integer 3|"), reference.get(2));
        assertTrue(reference.get(4).startsWith("5|real 2460000.5|null NULL|null NULL|integer 2|real 12.0|null NULL|real 0.0|"),
                reference.get(4));
    }

    private static final String MARIADB_DDL = "CREATE TABLE IF NOT EXISTS m (id BIGINT PRIMARY KEY, ts TIMESTAMP(6) NULL,"
            + " dt DATETIME(6), d DATE, tm TIME(6), y YEAR, created TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)";
    private static final String MARIADB_DUMP = "SELECT id, UNIX_TIMESTAMP(ts), CAST(dt AS CHAR), CAST(d AS CHAR),"
            + " CAST(tm AS CHAR), CAST(y AS CHAR), UNIX_TIMESTAMP(created) FROM m ORDER BY id";

    @Test
    void mariaDbInstantsAndWallClocksAcrossZones() throws Exception {
        Path log = dir.resolve("log");
        try (TestDatabase da = TestDatabase.create(TestDatabase.Kind.MARIADB);
             TestDatabase db = TestDatabase.create(TestDatabase.Kind.MARIADB);
             TestDatabase dc = TestDatabase.create(TestDatabase.Kind.MARIADB)) {
            String a = da.syncUrl("sync.log=" + log);
            String b = db.syncUrl("sync.log=" + log);
            String c = dc.syncUrl("sync.log=" + log);
            device(BERLIN, a, MARIADB_DDL,
                    "?INSERT INTO m (id, ts, dt, d, tm, y) VALUES (?, ?, ?, ?, ?, ?)|long:1|ts:2024-10-27 02:30:00.123456"
                            + "|ts:2024-03-31 02:30:00.000001|date:2024-03-01|text:-838:59:59.5|long:2024",
                    // The app's own session zone must not matter either; +02:00 is Berlin's summer offset.
                    "SET time_zone = '+02:00'",
                    "INSERT INTO m (id, ts, dt, d, tm, y) VALUES (2, '2024-10-27 02:30:00', '2024-10-27 02:30:00',"
                            + " '2024-02-29', '-00:00:00.000001', 1901)",
                    "?INSERT INTO m (id, ts, dt, d, tm) VALUES (?, ?, ?, ?, ?)|long:3|tscal:2024-10-27 02:30:00@UTC"
                            + "|tscal:2024-10-27 02:30:00@Asia/Kolkata|datecal:2024-03-01@Pacific/Chatham"
                            + "|timecal:13:45:30@America/New_York",
                    "?UPDATE m SET tm = ?, y = ? WHERE id = ?|text:25:00:00.000001|long:1999|long:1",
                    "UPDATE m SET ts = ts + INTERVAL 1 SECOND WHERE id = 2",
                    "sync");
            device(NEW_YORK, b, MARIADB_DDL, "sync",
                    "?INSERT INTO m (id, ts, dt) VALUES (?, ?, ?)|long:4|odt:2024-11-03T01:30-04:00|ldt:2024-11-03T01:30:00.5",
                    // 02:30 does not exist in New York that day (DST gap): a wall-clock value keeps it.
                    "INSERT INTO m (id, dt) VALUES (5, '2024-03-10 02:30:00.25')",
                    "sync");
            device(KOLKATA, c, MARIADB_DDL, "sync");
            device(CHATHAM, a, "sync", "?UPDATE m SET dt = ? WHERE id = ?|ts:2024-04-07 02:45:00|long:3", "sync");
            for (String url : List.of(b, c, a)) {
                device(NEW_YORK, url, "sync");
            }
            List<String> reference;
            try (Connection raw = da.openRaw()) {
                reference = rows(raw, MARIADB_DUMP);
            }
            assertEquals(5, reference.size(), reference.toString());
            assertTrue(reference.get(4).startsWith("5|null|2024-03-10 02:30:00.250000|"), reference.get(4));
            for (TestDatabase other : List.of(db, dc)) {
                try (Connection raw = other.openRaw()) {
                    assertEquals(reference, rows(raw, MARIADB_DUMP));
                }
            }
            // Written at +02:00: 02:30 local is 00:30 UTC; one second added by the database.
            assertTrue(reference.get(1).startsWith("2|1729989001.000000|2024-10-27 02:30:00.000000|2024-02-29"
                    + "|-00:00:00.000001|1901|"), reference.get(1));
            assertTrue(reference.get(0).contains("|25:00:00.000001|1999|"), reference.get(0));
        }
    }

    /**
     * Rows an INSERT ... SELECT copies and keys a WHERE selects, in a JVM whose zone has a DST gap
     * at those values (Berlin, 2024-03-31 02:00-03:00): stored and logged exactly, never moved to
     * the next hour by Connector/J's getters.
     */
    @Test
    void mariaDbInsertSelectAndWhereKeysInADstGap() throws Exception {
        Path log = dir.resolve("log");
        String ddl = "CREATE TABLE src (id BIGINT PRIMARY KEY, dt DATETIME(3), d DATE, tm TIME)";
        String ddl2 = "CREATE TABLE g (k DATETIME(3) PRIMARY KEY, dt DATETIME(3), d DATE, tm TIME, v INT)";
        String dump = "SELECT CAST(k AS CHAR), CAST(dt AS CHAR), CAST(d AS CHAR), CAST(tm AS CHAR), v FROM g ORDER BY k";
        try (TestDatabase da = TestDatabase.create(TestDatabase.Kind.MARIADB);
             TestDatabase db = TestDatabase.create(TestDatabase.Kind.MARIADB)) {
            String a = da.syncUrl("sync.log=" + log);
            String b = db.syncUrl("sync.log=" + log);
            device(BERLIN, a, ddl, ddl2,
                    "INSERT INTO src VALUES (1, '2024-03-31 02:30:00.125', '2024-03-31', '02:30:00'),"
                            + " (2, '2024-03-31 02:40:00', NULL, NULL), (3, '2024-03-31 02:50:00', NULL, NULL)",
                    "INSERT INTO g (k, dt, d, tm, v) SELECT dt, dt, d, tm, id FROM src",
                    // Keys found by a WHERE: computed SET values are read back by those keys.
                    "UPDATE g SET v = v + 10 WHERE v >= 2",
                    "DELETE FROM g WHERE v = 13",
                    // A key moved by an expression: the new key is read from the database too.
                    "UPDATE g SET k = k + INTERVAL 1 MINUTE WHERE v = 1",
                    "sync");
            device(NEW_YORK, b, ddl, ddl2, "sync");
            List<String> expected = List.of(
                    "2024-03-31 02:31:00.125|2024-03-31 02:30:00.125|2024-03-31|02:30:00|1",
                    "2024-03-31 02:40:00.000|2024-03-31 02:40:00.000|null|null|12");
            try (Connection raw = da.openRaw()) {
                assertEquals(expected, rows(raw, dump), "as the writing device stored them");
            }
            try (Connection raw = db.openRaw()) {
                assertEquals(expected, rows(raw, dump), "as the other device received them");
            }
        }
    }

    /**
     * The documented mapping (docs/ARCHITECTURE.md, "SQLite and MariaDB"): SQLite INTEGER in a date
     * column is epoch milliseconds at UTC, SQLite text is parsed as written; MariaDB dates reach
     * SQLite as the text "yyyy-MM-dd HH:mm:ss.SSS" (instants at UTC), a long TIME as "[-]h:mm:ss".
     */
    @Test
    void sqliteAndMariaDbMapByTheTableWhateverTheZones() throws Exception {
        Path log = dir.resolve("log");
        String lite = sqliteUrl("lite", log);
        try (TestDatabase maria = TestDatabase.create(TestDatabase.Kind.MARIADB)) {
            String m = maria.syncUrl("sync.log=" + log);
            device(BERLIN, lite, "CREATE TABLE h (id INTEGER PRIMARY KEY, ts TIMESTAMP, dt DATETIME, d DATE, tm TIME,"
                            + " b BOOLEAN, n NUMERIC)",
                    "?INSERT INTO h VALUES (?, ?, ?, ?, ?, ?, ?)|long:1|long:1700000000000|text:2024-03-01 12:00:00"
                            + "|text:2024-03-01|text:13:45:30|text:true|long:5",
                    "sync");
            device(NEW_YORK, m, "CREATE TABLE h (id BIGINT PRIMARY KEY, ts TIMESTAMP(3) NULL, dt DATETIME(3), d DATE,"
                            + " tm TIME(3), b BOOLEAN, n DECIMAL(10,2))",
                    "INSERT INTO h VALUES (2, '2024-10-27 02:30:00.5', '2024-10-27 02:30:00.5', '2024-03-01', '-01:02:03',"
                            + " 1, 2.50)",
                    "sync");
            device(KOLKATA, lite, "sync");
            device(CHATHAM, m, "sync");
            String liteDump = "SELECT id, typeof(ts) || ' ' || quote(ts), quote(dt), quote(d), quote(tm), quote(b),"
                    + " typeof(n) || ' ' || quote(n) FROM h ORDER BY id";
            String raw = "jdbc:sqlite:" + dir.resolve("lite.db");
            try (Connection c = DriverManager.getConnection(raw)) {
                assertEquals(List.of(
                        "1|integer 1700000000000|'2024-03-01 12:00:00'|'2024-03-01'|'13:45:30'|'true'|integer 5",
                        "2|text '2024-10-27 02:30:00.500'|'2024-10-27 02:30:00.500'|'2024-03-01 00:00:00.000'|'-1:02:03'|1"
                                + "|real 2.5"), rows(c, liteDump));
            }
            try (Connection c = maria.openRaw()) {
                assertEquals(List.of(
                        "1|1700000000.000|2024-03-01 12:00:00.000|2024-03-01|13:45:30.000|1|5.00",
                        "2|1729996200.500|2024-10-27 02:30:00.500|2024-03-01|-01:02:03.000|1|2.50"),
                        rows(c, "SELECT id, UNIX_TIMESTAMP(ts), CAST(dt AS CHAR), CAST(d AS CHAR), CAST(tm AS CHAR), b, n"
                                + " FROM h ORDER BY id"));
            }
        }
    }

    private String sqliteUrl(String name, Path log) {
        return "jdbc:sync:sqlite:" + dir.resolve(name + ".db") + "?sync.log=" + log;
    }

    private static List<String> dump(String syncUrl) throws Exception {
        String raw = "jdbc:" + syncUrl.substring("jdbc:sync:".length(), syncUrl.indexOf('?'));
        try (Connection c = DriverManager.getConnection(raw)) {
            return rows(c, SQLITE_DUMP);
        }
    }

    static List<String> rows(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    /** Runs {@link ZoneDevice} with these steps in a JVM whose default zone is {@code zone}. */
    static void device(String zone, String url, String... steps) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.timezone=" + zone, "-cp", System.getProperty("java.class.path"), ZoneDevice.class.getName(), url));
        command.addAll(List.of(steps));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "device did not finish");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "device in " + zone + " failed:\n" + text);
        assertTrue(text.contains("ok in " + zone), text);
    }
}
