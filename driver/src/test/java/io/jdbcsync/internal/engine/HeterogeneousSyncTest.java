package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A SQLite device and a MariaDB device with the same logical schema sync both ways, every value type exactly. */
class HeterogeneousSyncTest {
    private static final String SQLITE = "CREATE TABLE val (id INTEGER PRIMARY KEY, i BIGINT, d DECIMAL(20,6), f DOUBLE,"
            + " t TEXT, b BLOB, flag BOOLEAN, day DATE, tm TIME, ts TIMESTAMP, n TEXT)";
    private static final String MARIADB = "CREATE TABLE val (id BIGINT PRIMARY KEY AUTO_INCREMENT, i BIGINT, d DECIMAL(20,6),"
            + " f DOUBLE, t VARCHAR(200) CHARACTER SET utf8mb4, b BLOB, flag BOOLEAN, day DATE, tm TIME, ts DATETIME(3), n TEXT)";

    private record Values(long i, BigDecimal d, double f, String t, byte[] b, boolean flag, Date day, Time tm, Timestamp ts) { }

    // SQLite keeps DECIMAL columns as REAL: its own storage rounds beyond 15 digits, so the
    // cross-database values stay within that; the MariaDB pair below checks 20 exact digits.
    private static final Values A = new Values(Long.MAX_VALUE, new BigDecimal("1234.5"), -0.1 + 1e-17,
            "unicode ✓ 😀 ß", new byte[] {0, 1, 2, (byte) 255}, true, Date.valueOf("1969-07-20"), Time.valueOf("23:59:58"),
            Timestamp.valueOf("2038-01-19 03:14:07.123"));
    private static final Values B = new Values(Long.MIN_VALUE, new BigDecimal("-0.000001"), 6.02214076e23,
            "", new byte[0], false, Date.valueOf("2100-02-28"), Time.valueOf("00:00:01"),
            Timestamp.valueOf("1999-12-31 23:59:59.999"));

    @Test
    void everyValueTypeRoundTripsBothWays() throws Exception {
        try (Fleet f = new Fleet(List.of(TestDatabase.Kind.SQLITE, TestDatabase.Kind.MARIADB), null, null)) {
            f.exec(0, SQLITE);
            f.exec(1, MARIADB);
            long fromSqlite = insert(f.device(0), A);
            long fromMaria = insert(f.device(1), B);
            f.syncAll();
            for (int device = 0; device < 2; device++) {
                check(f.device(device), fromSqlite, A);
                check(f.device(device), fromMaria, B);
            }
            // And updates both ways, including to NULL.
            f.exec(0, "UPDATE val SET t = 'changed on sqlite', n = NULL WHERE id = " + fromMaria);
            f.exec(1, "UPDATE val SET d = 0.5, n = 'set on mariadb' WHERE id = " + fromSqlite);
            f.syncAll();
            for (int device = 0; device < 2; device++) {
                assertEquals("changed on sqlite", text(f.device(device), "SELECT t FROM val WHERE id = " + fromMaria));
                assertNull(text(f.device(device), "SELECT n FROM val WHERE id = " + fromMaria));
                assertEquals(0, new BigDecimal("0.5").compareTo(new BigDecimal(text(f.device(device),
                        "SELECT d FROM val WHERE id = " + fromSqlite))));
            }
        }
    }

    @Test
    void exactDecimalsBetweenMariaDbDevices() throws Exception {
        try (Fleet f = new Fleet(List.of(TestDatabase.Kind.MARIADB, TestDatabase.Kind.MARIADB), null, null)) {
            f.everywhere(MARIADB);
            Values exact = new Values(42, new BigDecimal("12345678901234.567890"), 0.1, "t", new byte[] {7}, true,
                    Date.valueOf("2024-02-29"), Time.valueOf("12:00:00"), Timestamp.valueOf("2024-02-29 12:00:00.5"));
            long id = insert(f.device(0), exact);
            f.syncAll();
            check(f.device(1), id, exact);
            assertEquals("12345678901234.567890", text(f.device(1), "SELECT d FROM val WHERE id = " + id));
        }
    }

    private static long insert(Connection c, Values v) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO val (i, d, f, t, b, flag, day, tm, ts, n) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                java.sql.Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, v.i());
            ps.setBigDecimal(2, v.d());
            ps.setDouble(3, v.f());
            ps.setString(4, v.t());
            ps.setBytes(5, v.b());
            ps.setBoolean(6, v.flag());
            ps.setDate(7, v.day());
            ps.setTime(8, v.tm());
            ps.setTimestamp(9, v.ts());
            ps.setString(10, "x");
            ps.executeUpdate();
            try (ResultSet k = ps.getGeneratedKeys()) {
                k.next();
                return k.getLong(1);
            }
        }
    }

    private static void check(Connection c, long id, Values v) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT i, d, f, t, b, flag, day, tm, ts FROM val WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(v.i(), rs.getLong(1));
                assertEquals(0, v.d().compareTo(rs.getBigDecimal(2)), "decimal " + rs.getBigDecimal(2));
                assertEquals(v.f(), rs.getDouble(3));
                assertEquals(v.t(), rs.getString(4));
                assertArrayEquals(v.b(), rs.getBytes(5));
                assertEquals(v.flag(), rs.getBoolean(6));
                assertEquals(v.day().toString(), rs.getDate(7).toString());
                assertEquals(v.tm().toString(), rs.getTime(8).toString());
                assertEquals(v.ts(), rs.getTimestamp(9));
            }
        }
    }

    private static String text(Connection c, String sql) throws Exception {
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
