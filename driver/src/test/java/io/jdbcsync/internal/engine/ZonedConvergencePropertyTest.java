package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.ZoneDeviceProcess;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The convergence property with every device in its own JVM and its own default time zone: two
 * MariaDB and two SQLite devices write dates and times around DST gaps and overlaps through every
 * setter (plain, with a Calendar of another zone, java.time objects, text), change their session
 * zone, update, delete and sync in random order, and end with identical stored values per database
 * kind (the mapping between the kinds is checked by {@link TimeZoneDevicesTest}).
 */
class ZonedConvergencePropertyTest {
    private static final List<String> ZONES = List.of("Europe/Berlin", "America/New_York", "Asia/Kolkata",
            "Pacific/Chatham", "Australia/Lord_Howe", "UTC");
    /** Wall-clock values in DST gaps and overlaps of those zones, and ordinary ones. */
    private static final String[] WALL = {"2024-03-31 02:30:00", "2024-10-27 02:30:00.5", "2024-03-10 02:30:00",
        "2024-11-03 01:30:00.25", "2024-04-07 02:45:00", "2024-09-29 02:45:00", "2024-10-06 02:15:00",
        "2024-04-07 01:45:00", "2024-06-15 12:00:00", "1969-12-31 23:59:59.999"};
    private static final String[] DATES = {"2024-03-31", "2024-03-10", "2024-02-29", "1970-01-01"};
    private static final String[] TIMES = {"02:30:00", "13:45:30", "00:00:00"};

    private static final String MARIADB_DDL = "CREATE TABLE z (id BIGINT PRIMARY KEY, ts TIMESTAMP(3) NULL,"
            + " dt DATETIME(3), d DATE, tm TIME, v INT)";
    private static final String SQLITE_DDL = "CREATE TABLE z (id INTEGER PRIMARY KEY, ts TIMESTAMP, dt DATETIME, d DATE,"
            + " tm TIME, v INTEGER)";
    private static final String MARIADB_DUMP = "SELECT id, UNIX_TIMESTAMP(ts), CAST(dt AS CHAR), CAST(d AS CHAR),"
            + " CAST(tm AS CHAR), v FROM z ORDER BY id";
    private static final String SQLITE_DUMP = "SELECT id, quote(ts), quote(dt), quote(d), quote(tm), quote(v) FROM z ORDER BY id";

    @Property(tries = 3)
    void devicesInDifferentZonesConverge(@ForAll long seed, @ForAll @IntRange(min = 10, max = 30) int steps)
            throws Exception {
        Random r = new Random(seed);
        List<String> zones = new ArrayList<>(ZONES);
        Collections.shuffle(zones, r);
        List<TestDatabase.Kind> kinds = List.of(TestDatabase.Kind.MARIADB, TestDatabase.Kind.SQLITE,
                TestDatabase.Kind.MARIADB, TestDatabase.Kind.SQLITE);
        Path log = Files.createTempDirectory("jdbc-sync-log");
        List<TestDatabase> dbs = new ArrayList<>();
        List<ZoneDeviceProcess> devices = new ArrayList<>();
        List<String> trace = new ArrayList<>();
        try {
            for (int i = 0; i < kinds.size(); i++) {
                TestDatabase db = TestDatabase.create(kinds.get(i));
                dbs.add(db);
                ZoneDeviceProcess p = new ZoneDeviceProcess(zones.get(i), db.syncUrl("sync.log=" + log));
                devices.add(p);
                p.step(kinds.get(i) == TestDatabase.Kind.MARIADB ? MARIADB_DDL : SQLITE_DDL);
            }
            for (int step = 0; step < steps; step++) {
                int d = r.nextInt(devices.size());
                String sql = next(r, kinds.get(d));
                trace.add("d" + d + " (" + zones.get(d) + ") " + sql);
                try {
                    devices.get(d).step(sql);
                } catch (SQLException e) {
                    if (!constraint(e)) {
                        trace.forEach(System.out::println);
                        throw new AssertionError("unexpected failure at step " + step + " (seed " + seed + ")", e);
                    }
                    trace.add("   -> " + e.getMessage());
                }
            }
            for (int round = 0; round < 2; round++) {
                for (ZoneDeviceProcess p : devices) {
                    p.step("sync");
                }
            }
            for (TestDatabase.Kind kind : List.of(TestDatabase.Kind.MARIADB, TestDatabase.Kind.SQLITE)) {
                List<String> reference = null;
                for (int i = 0; i < dbs.size(); i++) {
                    if (kinds.get(i) != kind) {
                        continue;
                    }
                    List<String> rows;
                    try (Connection raw = dbs.get(i).openRaw()) {
                        rows = TimeZoneDevicesTest.rows(raw, kind == TestDatabase.Kind.MARIADB ? MARIADB_DUMP : SQLITE_DUMP);
                    }
                    if (reference == null) {
                        reference = rows;
                    } else if (!reference.equals(rows)) {
                        trace.forEach(System.out::println);
                        assertEquals(reference, rows, kind + " device " + i + " in " + zones.get(i) + " (seed " + seed + ")");
                    }
                }
            }
        } finally {
            for (ZoneDeviceProcess p : devices) {
                p.close();
            }
            for (TestDatabase db : dbs) {
                db.close();
            }
        }
    }

    /** A constraint the app would also hit (an explicit key taken already). */
    private static boolean constraint(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = String.valueOf(e.getMessage());
        return state.startsWith("23") || message.contains("SQLITE_CONSTRAINT_PRIMARYKEY");
    }

    /** One random step for a device of this kind. */
    private static String next(Random r, TestDatabase.Kind kind) {
        int id = 1 + r.nextInt(6);
        int k = r.nextInt(100);
        if (k < 30) {
            return "?INSERT INTO z (id, ts, dt, d, tm, v) VALUES (?, ?, ?, ?, ?, ?)|long:" + id + "|" + instant(r)
                    + "|" + wallClock(r) + "|" + date(r) + "|" + time(r) + "|long:" + r.nextInt(10);
        }
        if (k < 45) {
            return "?UPDATE z SET dt = ?, v = ? WHERE id = ?|" + wallClock(r) + "|long:" + r.nextInt(10) + "|long:" + id;
        }
        if (k < 55) {
            return "?UPDATE z SET ts = ?, d = ? WHERE id = ?|" + instant(r) + "|" + date(r) + "|long:" + id;
        }
        if (k < 62) {
            return "?UPDATE z SET tm = ? WHERE v < ?|" + time(r) + "|long:" + r.nextInt(10);
        }
        if (k < 70) {
            return "DELETE FROM z WHERE id = " + id;
        }
        if (k < 75 && kind == TestDatabase.Kind.MARIADB) {
            // The app's own session zone must not change what other devices store.
            return "SET time_zone = '" + (r.nextBoolean() ? "+05:45" : "-03:00") + "'";
        }
        return "sync";
    }

    private static String pick(Random r, String[] values) {
        return values[r.nextInt(values.length)];
    }

    /** A TIMESTAMP value through one of the setters an app uses. */
    private static String instant(Random r) {
        String v = WALL[r.nextInt(WALL.length - 1)]; // a TIMESTAMP starts in 1970
        switch (r.nextInt(4)) {
            case 0: return "ts:" + v;
            case 1: return "tscal:" + v + "@" + pick(r, ZONES.toArray(new String[0]));
            case 2: return "odt:" + v.replace(' ', 'T') + (r.nextBoolean() ? "+02:00" : "-04:00");
            default: return "null:";
        }
    }

    /** A DATETIME value through one of the setters an app uses. */
    private static String wallClock(Random r) {
        String v = pick(r, WALL);
        switch (r.nextInt(4)) {
            case 0: return "ts:" + v;
            case 1: return "ldt:" + v.replace(' ', 'T');
            case 2: return "text:" + v;
            default: return "tscal:" + v + "@" + pick(r, ZONES.toArray(new String[0]));
        }
    }

    private static String date(Random r) {
        String v = pick(r, DATES);
        return r.nextBoolean() ? "date:" + v : "datecal:" + v + "@" + pick(r, ZONES.toArray(new String[0]));
    }

    private static String time(Random r) {
        String v = pick(r, TIMES);
        return r.nextBoolean() ? "time:" + v : "text:" + v;
    }
}
