package io.jdbcsync.internal.initial;

import io.jdbcsync.initial.Clone;
import io.jdbcsync.internal.jdbc.SyncConnection;
import io.jdbcsync.internal.merge.Version;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Initial sync stores and logs values exactly as the log does: a cloned row holds on the target
 * what integrating the source's log stores, and an adopted row is logged with the bytes its
 * captured insert would have. The JVM runs in a zone with DST (a wall-clock value in its gap), and
 * the MariaDB app sessions in a zone of their own, so any step through either zone shows.
 */
class InitialSyncValuesTest {
    /** 2024-03-31 02:30 does not exist in Berlin; 2024-10-27 02:30 exists twice. */
    private static final String JVM_ZONE = "Europe/Berlin";
    /** The MariaDB app sessions' zone (the server's is UTC). */
    private static final String SESSION_ZONE = "sessionVariables=time_zone='+05:45'";

    private static final byte[] BLOB = new byte[2 * 1024 * 1024];
    private static final String TEXT = "é".repeat(40_000) + "x".repeat(40_000);

    static {
        new Random(11).nextBytes(BLOB);
    }

    private TimeZone savedZone;

    @BeforeEach
    void zone() {
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(JVM_ZONE));
    }

    @AfterEach
    void restoreZone() {
        TimeZone.setDefault(savedZone);
    }

    private static String[] schema(Kind k) {
        if (k == Kind.SQLITE) {
            return new String[] {
                "CREATE TABLE v (id INTEGER PRIMARY KEY, ts TIMESTAMP, dt DATETIME, d DATE, tm TIME, amount DECIMAL(12,3),"
                        + " flag BOOLEAN, odd DATETIME, bin BLOB, body TEXT)",
                "CREATE TABLE k (at TIMESTAMP NOT NULL, wall DATETIME NOT NULL, n INTEGER, PRIMARY KEY (at, wall))"};
        }
        return new String[] {
            "CREATE TABLE v (id BIGINT PRIMARY KEY, ts TIMESTAMP(6) NULL, dt DATETIME(6), d DATE, tm TIME(6),"
                    + " amount DECIMAL(12,3), flag BOOLEAN, odd DATETIME(6), bin LONGBLOB, body LONGTEXT)",
            "CREATE TABLE k (at TIMESTAMP(6) NOT NULL DEFAULT '2000-01-01 00:00:00', wall DATETIME(6) NOT NULL, n BIGINT,"
                    + " PRIMARY KEY (at, wall))"};
    }

    private static TestDatabase device(Kind k) throws SQLException {
        TestDatabase db = TestDatabase.create(k);
        db.execRaw(schema(k));
        return db;
    }

    private static String url(TestDatabase db, Path log) {
        String u = db.syncUrl("sync.log=" + java.net.URLEncoder.encode(log.toString(), java.nio.charset.StandardCharsets.UTF_8));
        return db.kind() == Kind.MARIADB ? u + "&" + SESSION_ZONE : u;
    }

    private static Connection raw(TestDatabase db) throws SQLException {
        String u = db.rawUrl();
        return DriverManager.getConnection(db.kind() == Kind.MARIADB ? u + (u.contains("?") ? "&" : "?") + SESSION_ZONE : u);
    }

    /**
     * Rows of both tables. MariaDB: wall-clock texts (one in the JVM zone's DST gap, one in its
     * overlap), instants in the session's zone, a negative and a long TIME. SQLite: INTEGER, REAL and
     * TEXT in DATETIME-, BOOLEAN- and DECIMAL-declared columns. Both: a 2 MB blob, an 80,000-char text.
     */
    private static void write(Connection c, Kind k) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement v = c.prepareStatement(
                "INSERT INTO v (id, ts, dt, d, tm, amount, flag, odd, bin, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement kr = c.prepareStatement("INSERT INTO k (at, wall, n) VALUES (?, ?, ?)")) {
            Object[][] rows = k == Kind.MARIADB ? new Object[][] {
                {1L, "2024-03-31 02:30:00.123456", "2024-03-31 02:30:00.654321", "2024-02-29", "-12:34:56.5",
                    "12345.678", "1", "1970-01-01 00:00:00", BLOB, TEXT},
                {2L, "2024-10-27 02:30:00", "2024-10-27 02:30:00", "1999-12-31", "838:59:59",
                    "-0.001", "0", null, new byte[] {0, (byte) 0xff}, ""},
                {3L, null, null, null, null, null, null, null, null, null},
            } : new Object[][] {
                {1L, "2024-03-31 02:30:00.123", 1711848600123L, "2024-02-29", "-12:34:56.5",
                    12345.678, "true", 20240331123000.5, BLOB, TEXT},
                {2L, 1700000000000L, "2024-10-27 02:30:00", 0L, "13:45:30",
                    5L, 1L, "2024-10-27 02:30:00.25", new byte[] {0, (byte) 0xff}, ""},
                {3L, null, null, null, null, 2.5, 0.0, null, null, null},
            };
            for (Object[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    v.setObject(i + 1, r[i]);
                }
                v.addBatch();
            }
            v.executeBatch();
            Object[][] keys = k == Kind.MARIADB ? new Object[][] {
                {"2024-03-31 02:30:00", "2024-03-31 02:30:00"},
                {"2024-10-27 02:30:00.5", "2024-10-27 02:30:00"},
                {"2024-10-27 02:30:00.5", "2024-10-27 02:30:01"},
                {"1999-12-31 23:59:59.999999", "1999-12-31 23:59:59.999999"},
                {"2038-01-19 03:14:07", "2038-01-19 03:14:07"},
            } : new Object[][] {
                {1700000000000L, "2024-03-31 02:30:00"},
                {"2024-03-31 02:30:00", "2024-03-31 02:30:00"},
                {"2024-03-31 02:30:00.5", "2024-03-31 02:30:00"},
                {"2024-03-31 02:30:00.5", "2024-03-31 02:30:01"},
                {"2038-01-19 03:14:07", "2038-01-19 03:14:07"},
            };
            for (int i = 0; i < keys.length; i++) {
                kr.setObject(1, keys[i][0]);
                kr.setObject(2, keys[i][1]);
                kr.setLong(3, i);
                kr.addBatch();
            }
            kr.executeBatch();
            c.commit();
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** What each column stores: storage class and exact value on SQLite, the server's own text on MariaDB. */
    private static List<String> stored(TestDatabase db) throws SQLException {
        String[] v = {"id", "ts", "dt", "d", "tm", "amount", "flag", "odd", "bin", "body"};
        String[] k = {"at", "wall", "n"};
        List<String> out = new ArrayList<>();
        try (Connection c = db.openRaw(); Statement s = c.createStatement()) {
            if (db.kind() == Kind.MARIADB) {
                s.execute("SET time_zone = '+05:45'");
            }
            out.addAll(rows(s, db.kind(), "v", v, "id"));
            out.addAll(rows(s, db.kind(), "k", k, "n"));
        }
        return out;
    }

    private static List<String> rows(Statement s, Kind kind, String table, String[] columns, String order) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.length; i++) {
            String c = columns[i];
            sql.append(i == 0 ? "" : ", ");
            if (kind == Kind.SQLITE) {
                sql.append("typeof(").append(c).append(") || ':' || quote(").append(c).append(")");
            } else if (c.equals("ts") || c.equals("at")) {
                sql.append("UNIX_TIMESTAMP(").append(c).append(")");
            } else if (c.equals("bin")) {
                sql.append("CONCAT(LENGTH(bin), ':', SHA2(bin, 256))");
            } else {
                sql.append("CAST(").append(c).append(" AS CHAR)");
            }
        }
        sql.append(" FROM ").append(table).append(" ORDER BY ").append(order);
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql.toString())) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder(table);
                for (int i = 1; i <= columns.length; i++) {
                    row.append(" | ").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    private static void syncNow(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_now()")) {
            rs.next();
        }
    }

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"MARIADB, SQLITE", "SQLITE, MARIADB", "MARIADB, MARIADB", "SQLITE, SQLITE"})
    void clonedRowsStoreWhatIntegratingTheSourcesLogStores(Kind sourceKind, Kind targetKind) throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase a = device(sourceKind); TestDatabase cloned = device(targetKind); TestDatabase synced = device(targetKind)) {
            try (Connection ca = DriverManager.getConnection(url(a, log))) {
                write(ca, sourceKind);
                syncNow(ca);
            }
            // One row per chunk: every key range binds a key read from the source.
            Clone.Result r = Clone.from(url(a, log)).to(url(cloned, log)).chunkRows(1).run();
            assertEquals(8, r.rowsCopied());
            try (Connection cs = DriverManager.getConnection(url(synced, log))) {
                syncNow(cs);
            }
            List<String> viaLog = stored(synced);
            assertEquals(8, viaLog.size(), viaLog.toString());
            assertEquals(viaLog, stored(cloned));
            String first = viaLog.get(0);
            if (targetKind == Kind.SQLITE) {
                assertTrue(first.contains("blob:X'" + HexFormat.of().withUpperCase().formatHex(BLOB, 0, 8)), first.substring(0, 200));
                assertTrue(first.contains("text:'" + TEXT.substring(0, 10)), first.substring(0, 200));
            } else {
                assertTrue(first.contains(" | " + BLOB.length + ":"), first);
                assertTrue(first.contains(" | " + TEXT.substring(0, 10)), first.substring(0, 200));
            }
            if (sourceKind == Kind.MARIADB && targetKind == Kind.SQLITE) {
                // The instant at UTC, the wall clock in the JVM zone's DST gap as written, TIME beyond a day.
                assertTrue(first.startsWith("v | integer:1 | text:'2024-03-30 20:45:00.123456' | text:'2024-03-31 02:30:00.654321'"
                        + " | text:'2024-02-29 00:00:00.000' | text:'-12:34:56.500'"), first.substring(0, 200));
                assertTrue(viaLog.get(1).contains("text:'838:59:59'"), viaLog.get(1));
            }
            if (sourceKind == Kind.SQLITE && targetKind == Kind.MARIADB) {
                // TEXT at UTC, epoch milliseconds at UTC, REAL bound as the number, 'true' as a boolean.
                assertTrue(first.startsWith("v | 1 | 1711852200.123000 | 2024-03-31 01:30:00.123000 | 2024-02-29 | -12:34:56.500000"
                        + " | 12345.678 | 1 | 2024-03-31 12:30:00.500000"), first.substring(0, 200));
            }
            if (sourceKind == targetKind) {
                assertEquals(stored(a), viaLog, "the same kind stores the same thing");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void targetColumnsTheSourceLacksKeepTheirDefaultsAsIntegrationLeavesThem(Kind targetKind) throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        String newer = targetKind == Kind.SQLITE
                ? "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, extra TEXT NOT NULL DEFAULT 'default')"
                : "CREATE TABLE t (id BIGINT PRIMARY KEY, a VARCHAR(20), extra VARCHAR(20) NOT NULL DEFAULT 'default')";
        try (TestDatabase a = TestDatabase.create(Kind.SQLITE); TestDatabase cloned = TestDatabase.create(targetKind);
             TestDatabase synced = TestDatabase.create(targetKind)) {
            a.execRaw("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)");
            cloned.execRaw(newer);
            synced.execRaw(newer);
            try (Connection ca = DriverManager.getConnection(url(a, log))) {
                TestDatabase.exec(ca, "INSERT INTO t (id, a) VALUES (1, 'one'), (2, NULL)");
                syncNow(ca);
            }
            assertEquals(2, Clone.from(url(a, log)).to(url(cloned, log)).run().rowsCopied());
            try (Connection cs = DriverManager.getConnection(url(synced, log))) {
                syncNow(cs);
            }
            List<String> viaLog = synced.rawRows("SELECT id, a, extra FROM t ORDER BY id");
            assertEquals(viaLog, cloned.rawRows("SELECT id, a, extra FROM t ORDER BY id"));
            assertEquals(2, cloned.rawRows("SELECT id FROM t WHERE extra = 'default'").size());
        }
    }

    /** The log rows of a table: key and data bytes, in key order. */
    private static List<String> logged(Connection c, String table, boolean adopted) throws SQLException {
        List<String> out = new ArrayList<>();
        for (io.jdbcsync.internal.log.LogEntry e : io.jdbcsync.internal.capture.ChangeLogTable.readAll(c)) {
            if (e.table().equals(table) && e.op() == io.jdbcsync.internal.log.Op.INSERT
                    && (e.hlc() < Version.ADOPTION_LIMIT) == adopted) {
                out.add(HexFormat.of().formatHex(e.key()) + " " + HexFormat.of().formatHex(e.data()));
            }
        }
        out.sort(null);
        return out;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void adoptedRowsAreLoggedWithTheBytesTheirCapturedInsertHas(Kind kind) throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase existing = device(kind); TestDatabase captured = device(kind)) {
            // The same rows: written before sync on one database, through the driver on the other.
            try (Connection c = raw(existing)) {
                write(c, kind);
            }
            try (Connection c = DriverManager.getConnection(url(captured, log))) {
                write(c, kind);
            }
            assertEquals(stored(existing), stored(captured));
            try (Connection c = DriverManager.getConnection(url(existing, log))) {
                SyncConnection sc = c.unwrap(SyncConnection.class);
                // Adoption runs on the engine's connection: set up as the engine sets its own.
                try (Connection engine = existing.openRaw()) {
                    try (Statement s = engine.createStatement()) {
                        for (String sql : sc.device().dialect().syncSessionSetup()) {
                            s.execute(sql);
                        }
                    }
                    Adoption adoption = new Adoption(sc.device(), engine, 2);
                    while (adoption.step(null) >= 0) {
                        // one chunk of two rows at a time: the key ranges bind the keys read
                    }
                    try (Connection other = captured.openRaw()) {
                        for (String table : List.of("v", "k")) {
                            List<String> adopted = logged(engine, table, true);
                            assertFalse(adopted.isEmpty());
                            assertEquals(logged(other, table, false), adopted, table);
                        }
                    }
                }
            }
        }
    }
}
