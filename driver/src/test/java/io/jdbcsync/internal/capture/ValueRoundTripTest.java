package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every value type reaches the log as the exact value the database holds, with the same decoded
 * Java type whether the app bound it, wrote it as a literal, or the database computed it.
 */
class ValueRoundTripTest {
    static final String TEXT = "h\u00e9llo \u2713 \uD83D\uDE00 \u65e5\u672c 'q'";
    static final byte[] BYTES = {0, 1, 2, (byte) 0x7f, (byte) 0x80, (byte) 0xff};

    private static String ddl(Kind kind) {
        return kind == Kind.SQLITE
                ? "CREATE TABLE v (id INTEGER PRIMARY KEY, big INTEGER, amount DECIMAL(20,6), dbl DOUBLE, txt TEXT,"
                        + " bin BLOB, flag BOOLEAN, d DATE, tm TIME, ts TIMESTAMP, nul TEXT)"
                : "CREATE TABLE v (id BIGINT PRIMARY KEY, big BIGINT, amount DECIMAL(20,6), dbl DOUBLE,"
                        + " txt VARCHAR(100) CHARACTER SET utf8mb4, bin VARBINARY(500), flag BOOLEAN, d DATE, tm TIME,"
                        + " ts DATETIME(6), nul VARCHAR(10))";
    }

    /** SQLite keeps decimals as REAL (15 digits) and timestamps bound by the driver in milliseconds. */
    private static BigDecimal amount(Kind kind) {
        return kind == Kind.SQLITE ? new BigDecimal("1234.5") : new BigDecimal("12345678901234.123456");
    }

    private static LocalDateTime timestamp(Kind kind) {
        return kind == Kind.SQLITE ? LocalDateTime.parse("2024-02-29T13:45:30.123")
                : LocalDateTime.parse("2024-02-29T13:45:30.123456");
    }

    /**
     * On SQLite each value is logged in the storage class SQLite holds it in, whatever the declared
     * type: the driver binds dates as epoch milliseconds and booleans as 1, a DECIMAL column keeps
     * a number as REAL. On MariaDB the column's type decides.
     */
    private static Map<String, Object> expected(Kind kind, long id) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean sqlite = kind == Kind.SQLITE;
        m.put("id", id);
        m.put("big", Long.MAX_VALUE);
        m.put("amount", sqlite ? (Object) amount(kind).doubleValue() : amount(kind));
        m.put("dbl", 0.1 + 0.2);
        m.put("txt", TEXT);
        m.put("bin", BYTES);
        m.put("flag", sqlite ? (Object) 1L : Boolean.TRUE);
        m.put("d", sqlite ? (Object) Date.valueOf("2024-02-29").getTime() : LocalDate.parse("2024-02-29"));
        m.put("tm", sqlite ? (Object) Time.valueOf("13:45:30").getTime() : LocalTime.parse("13:45:30"));
        m.put("ts", sqlite ? (Object) Timestamp.valueOf(timestamp(kind)).getTime() : timestamp(kind));
        m.put("nul", null);
        return m;
    }

    /** The same values written as SQL literals: SQLite keeps the date texts as TEXT. */
    private static Map<String, Object> expectedLiterals(Kind kind, long id) {
        Map<String, Object> m = expected(kind, id);
        if (kind == Kind.SQLITE) {
            m.put("d", "2024-02-29");
            m.put("tm", "13:45:30");
            m.put("ts", timestamp(kind).toString().replace('T', ' '));
        }
        return m;
    }

    private static void assertValues(Map<String, Object> expected, ChangeLog.Change change) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(change.data().keySet()), change.toString());
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            Object got = change.data().get(e.getKey());
            if (e.getValue() instanceof byte[] b) {
                assertArrayEquals(b, (byte[]) got, e.getKey());
            } else {
                assertEquals(e.getValue(), got, e.getKey() + " in " + change);
                if (e.getValue() != null) {
                    assertEquals(e.getValue().getClass(), got.getClass(), e.getKey() + " in " + change);
                }
            }
        }
    }

    private static void bindAll(PreparedStatement ps, Kind kind, int from) throws Exception {
        ps.setLong(from, Long.MAX_VALUE);
        ps.setBigDecimal(from + 1, amount(kind));
        ps.setDouble(from + 2, 0.1 + 0.2);
        ps.setString(from + 3, TEXT);
        ps.setBytes(from + 4, BYTES);
        ps.setBoolean(from + 5, true);
        ps.setDate(from + 6, Date.valueOf("2024-02-29"));
        ps.setTime(from + 7, Time.valueOf("13:45:30"));
        ps.setTimestamp(from + 8, Timestamp.valueOf(timestamp(kind)));
        ps.setNull(from + 9, Types.VARCHAR);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void boundValues(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ddl(kind));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO v (id, big, amount, dbl, txt, bin, flag, d, tm, ts, nul)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, 1);
                bindAll(ps, kind, 2);
                ps.executeUpdate();
            }
            exec(c, "INSERT INTO v (id) VALUES (2)");
            try (PreparedStatement ps = c.prepareStatement("UPDATE v SET big = ?, amount = ?, dbl = ?, txt = ?, bin = ?,"
                    + " flag = ?, d = ?, tm = ?, ts = ?, nul = ? WHERE id = ?")) {
                bindAll(ps, kind, 1);
                ps.setLong(11, 2);
                ps.executeUpdate();
            }
            List<ChangeLog.Change> log = ChangeLog.read(db);
            assertEquals(3, log.size());
            assertValues(expected(kind, 1), log.get(0));
            Map<String, Object> update = expected(kind, 2);
            update.remove("id");
            assertValues(update, log.get(2));
            assertEquals(List.of(TEXT), db.rawRows("SELECT txt FROM v WHERE id = 1"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void literalValues(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ddl(kind));
            String ts = timestamp(kind).toString().replace('T', ' ');
            exec(c, "INSERT INTO v (id, big, amount, dbl, txt, bin, flag, d, tm, ts, nul) VALUES (1, 9223372036854775807, "
                    + amount(kind).toPlainString() + ", 0.30000000000000004, '" + TEXT.replace("'", "''") + "', x'0001027f80ff',"
                    + " TRUE, '2024-02-29', '13:45:30', '" + ts + "', NULL)");
            // Only literals: logged from the text, without reading the row back.
            exec(c, "INSERT INTO v (id, amount, flag, d, tm, ts) VALUES (2, '" + amount(kind).toPlainString() + "', 1,"
                    + " '2024-02-29', '13:45:30', '" + ts + "')");
            List<ChangeLog.Change> log = ChangeLog.read(db);
            assertEquals(2, log.size());
            assertValues(expectedLiterals(kind, 1), log.get(0));
            Map<String, Object> second = expectedLiterals(kind, 2);
            second.put("big", null);
            second.put("dbl", null);
            second.put("txt", null);
            second.put("bin", null);
            assertValues(second, log.get(1));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void valuesReadBackAfterTheDatabaseComputedThem(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ddl(kind));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO v (id, big, amount, dbl, txt, bin, flag, d, tm, ts, nul)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, 1);
                bindAll(ps, kind, 2);
                ps.executeUpdate();
            }
            // Every column set to an expression the database evaluates to the value it holds.
            String concat = kind == Kind.SQLITE ? "txt || ''" : "CONCAT(txt, '')";
            exec(c, "UPDATE v SET big = big + 0, amount = amount + 0, dbl = dbl * 1, txt = " + concat + ", bin = bin,"
                    + " flag = NOT NOT flag, d = d, tm = tm, ts = ts, nul = nul WHERE big > 0");
            List<ChangeLog.Change> log = ChangeLog.read(db);
            assertEquals(2, log.size());
            Map<String, Object> update = expected(kind, 1);
            update.remove("id");
            assertValues(update, log.get(1));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void extremeIntegersAndEmptyValues(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ddl(kind));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO v (id, big, txt, bin, dbl) VALUES (?, ?, ?, ?, ?)")) {
                Object[][] rows = {
                    {1L, Long.MIN_VALUE, "", new byte[0], -0.0},
                    {2L, 0L, " ", new byte[] {0}, Double.MAX_VALUE},
                    {3L, -1L, "\u0000x", new byte[300], Double.MIN_VALUE},
                };
                for (Object[] r : rows) {
                    ps.setLong(1, (Long) r[0]);
                    ps.setLong(2, (Long) r[1]);
                    ps.setString(3, (String) r[2]);
                    ps.setBytes(4, (byte[]) r[3]);
                    ps.setDouble(5, (Double) r[4]);
                    ps.addBatch();
                }
                ps.executeBatch();
                List<ChangeLog.Change> log = ChangeLog.read(db);
                assertEquals(3, log.size());
                for (int i = 0; i < 3; i++) {
                    ChangeLog.Change ch = log.get(i);
                    assertEquals(List.of(rows[i][0]), ch.key());
                    assertEquals(rows[i][1], ch.get("big"));
                    assertEquals(rows[i][2], ch.get("txt"));
                    assertArrayEquals((byte[]) rows[i][3], (byte[]) ch.get("bin"));
                    // SQLite stores -0.0 as 0.0: the log holds what is stored.
                    Object dbl = kind == Kind.SQLITE && rows[i][4].equals(-0.0) ? 0.0 : rows[i][4];
                    assertEquals(dbl, ch.get("dbl"));
                }
            }
            List<String> stored = new ArrayList<>(db.rawRows("SELECT big FROM v ORDER BY id"));
            assertEquals(Arrays.asList(Long.toString(Long.MIN_VALUE), "0", "-1"), stored);
        }
    }
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "MARIADB")
    void valuesTheDatabaseRoundsAreLoggedAsStored(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE r (id BIGINT PRIMARY KEY, price DECIMAL(10,2), at DATETIME, at3 DATETIME(3), tm TIME(1))");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO r (id, price, at, at3, tm) VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, 1);
                ps.setBigDecimal(2, new BigDecimal("19.999"));
                ps.setTimestamp(3, Timestamp.valueOf("2024-02-29 13:45:30.987"));
                ps.setTimestamp(4, Timestamp.valueOf("2024-02-29 13:45:30.98765"));
                ps.setObject(5, LocalTime.parse("10:11:12.345"));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE r SET price = ?, at = ? WHERE id = ?")) {
                ps.setBigDecimal(1, new BigDecimal("-5.555"));
                ps.setObject(2, LocalDateTime.parse("2024-03-01T10:00:00.5"));
                ps.setLong(3, 1);
                ps.executeUpdate();
            }
            assertEquals(List.of("-5.56|2024-03-01 10:00:00|2024-02-29 13:45:30.987000|10:11:12.3"),
                    db.rawRows("SELECT price, at, at3, tm FROM r"));
            assertEquals(List.of(
                    "I r [1] id=1 price=20.00m at=TS'2024-02-29T13:45:30' at3=TS'2024-02-29T13:45:30.987' tm=TIME'10:11:12.300'",
                    "U r [1] price=-5.56m at=TS'2024-03-01T10:00'"), ChangeLog.lines(db));
        }
    }
    @ParameterizedTest
    @EnumSource(Kind.class)
    void streamedParameters(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ddl(kind));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO v (id, txt, bin) VALUES (?, ?, ?)")) {
                ps.setLong(1, 1);
                ps.setCharacterStream(2, new java.io.StringReader(TEXT));
                ps.setBinaryStream(3, new java.io.ByteArrayInputStream(BYTES));
                ps.addBatch();
                ps.setLong(1, 2);
                ps.setClob(2, new java.io.StringReader(TEXT + "!"), TEXT.length());
                ps.setBlob(3, new java.io.ByteArrayInputStream(BYTES), 3);
                ps.addBatch();
                ps.setLong(1, 3);
                ps.setAsciiStream(2, new java.io.ByteArrayInputStream("ascii".getBytes(StandardCharsets.US_ASCII)), 5);
                ps.setBinaryStream(3, new java.io.ByteArrayInputStream(BYTES), 2L);
                ps.addBatch();
                ps.executeBatch();
            }
            List<ChangeLog.Change> log = ChangeLog.read(db);
            assertEquals(3, log.size());
            assertEquals(TEXT, log.get(0).get("txt"));
            assertArrayEquals(BYTES, (byte[]) log.get(0).get("bin"));
            assertEquals(TEXT, log.get(1).get("txt"));
            assertArrayEquals(Arrays.copyOf(BYTES, 3), (byte[]) log.get(1).get("bin"));
            assertEquals("ascii", log.get(2).get("txt"));
            assertArrayEquals(Arrays.copyOf(BYTES, 2), (byte[]) log.get(2).get("bin"));
            assertEquals(List.of(TEXT, TEXT, "ascii"), db.rawRows("SELECT txt FROM v ORDER BY id"));
            try (Connection raw = db.openRaw(); java.sql.Statement s = raw.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT bin FROM v ORDER BY id")) {
                for (byte[] expected : new byte[][] {BYTES, Arrays.copyOf(BYTES, 3), Arrays.copyOf(BYTES, 2)}) {
                    rs.next();
                    assertArrayEquals(expected, rs.getBytes(1));
                }
            }
        }
    }
    @ParameterizedTest
    @EnumSource(Kind.class)
    void valuesBoundIntoAnotherTypeAreLoggedAsTheColumnStoresThem(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ddl(kind));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO v (id, big, dbl, txt, flag, amount) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, "1");
                ps.setString(2, "42");
                ps.setInt(3, 3);
                ps.setInt(4, 7);
                ps.setInt(5, 1);
                ps.setString(6, "2.5");
                ps.executeUpdate();
            }
            assertEquals(List.of("1|42|7"), db.rawRows("SELECT id, big, txt FROM v"));
            assertEquals(List.of("I v [1] id=1 big=42 amount=" + (kind == Kind.SQLITE ? "2.5d" : "2.500000m") + " dbl=3.0d txt='7'"
                    + " bin=NULL flag=" + (kind == Kind.SQLITE ? "1" : "TRUE") + " d=NULL tm=NULL ts=NULL nul=NULL"),
                    ChangeLog.lines(db));
        }
    }

    /** The Calendar setters convert in the calendar's zone: the log holds what was stored, for inserts and updates. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void calendarSettersLogWhatWasStored(Kind kind) throws Exception {
        boolean sqlite = kind == Kind.SQLITE;
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, sqlite ? "CREATE TABLE cal (id INTEGER PRIMARY KEY, ts DATETIME, dt DATETIME, d DATE, tm TIME)"
                    : "CREATE TABLE cal (id BIGINT PRIMARY KEY, ts TIMESTAMP(3) NULL, dt DATETIME(3), d DATE, tm TIME(3))");
            java.util.Calendar utc = java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("UTC"));
            java.util.Calendar chatham = java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("Pacific/Chatham"));
            java.util.Calendar kolkata = java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("Asia/Kolkata"));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cal (id, ts, dt, d, tm) VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, 1);
                ps.setTimestamp(2, Timestamp.valueOf("2024-10-27 02:30:00.123"), utc);
                ps.setTimestamp(3, Timestamp.valueOf("2024-10-27 02:30:00.123"), kolkata);
                ps.setDate(4, Date.valueOf("2024-03-01"), chatham);
                ps.setTime(5, Time.valueOf("13:45:30"), kolkata);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE cal SET dt = ?, d = ? WHERE id = ?")) {
                ps.setTimestamp(1, Timestamp.valueOf("2024-03-31 02:30:00"), chatham);
                ps.setDate(2, Date.valueOf("2024-12-31"), kolkata);
                ps.setLong(3, 1);
                ps.executeUpdate();
            }
            List<ChangeLog.Change> log = ChangeLog.read(db);
            assertEquals(2, log.size());
            Map<String, Object> stored = new LinkedHashMap<>();
            try (Connection raw = db.openRaw(); java.sql.Statement s = raw.createStatement();
                 java.sql.ResultSet rs = s.executeQuery(sqlite ? "SELECT ts, dt, d, tm FROM cal"
                         : "SELECT UNIX_TIMESTAMP(ts), CAST(dt AS CHAR), CAST(d AS CHAR), CAST(tm AS CHAR) FROM cal")) {
                rs.next();
                if (sqlite) {
                    for (String col : List.of("ts", "dt", "d", "tm")) {
                        stored.put(col, ((Number) rs.getObject(col)).longValue());
                    }
                } else {
                    BigDecimal seconds = rs.getBigDecimal(1);
                    stored.put("ts", java.time.Instant.ofEpochSecond(seconds.longValue(),
                            seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue()));
                    stored.put("dt", LocalDateTime.parse(rs.getString(2).replace(' ', 'T')));
                    stored.put("d", LocalDate.parse(rs.getString(3)));
                    stored.put("tm", LocalTime.parse(rs.getString(4)));
                }
            }
            assertEquals(stored.get("ts"), log.get(0).get("ts"), log.get(0).toString());
            assertEquals(stored.get("tm"), log.get(0).get("tm"), log.get(0).toString());
            assertEquals(stored.get("dt"), log.get(1).get("dt"), log.get(1).toString());
            assertEquals(stored.get("d"), log.get(1).get("d"), log.get(1).toString());
        }
    }
}
