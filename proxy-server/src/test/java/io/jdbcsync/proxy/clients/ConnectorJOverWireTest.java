package io.jdbcsync.proxy.clients;

import io.jdbcsync.proxy.RunningProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MariaDB Connector/J as a client of the proxy, in the text protocol and with server-side prepared
 * statements (binary protocol), compared with the same statements sent to MariaDB directly.
 */
class ConnectorJOverWireTest {
    private static final String MODES_TEXT = "useServerPrepStmts=false";
    private static final String MODES_BINARY = "useServerPrepStmts=true";
    static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = RunningProxy.start();
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id BIGINT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL, qty INT)");
            s.execute("CREATE TABLE vals (id BIGINT PRIMARY KEY AUTO_INCREMENT, ti TINYINT, si SMALLINT UNSIGNED,"
                    + " mi MEDIUMINT, i INT, ub BIGINT UNSIGNED, f FLOAT, d DOUBLE, de DECIMAL(20,6), dt DATETIME(6),"
                    + " da DATE, tm TIME(6), y YEAR, b BIT(10), j JSON, bl BLOB, vb VARBINARY(20), tx TEXT,"
                    + " e ENUM('a','b'), c CHAR(3), mb MEDIUMBLOB)");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    private static final String VALUES = "(-128, 65535, -8388608, -2147483648, 18446744073709551615, 1.5, -2.25e300,"
            + " 12345678901234.123456, '2024-02-29 23:59:59.999999', '1000-01-01', '-838:59:59.000001', 2155,"
            + " b'1010101010', '{\"k\": [1, \"é\"]}', x'00ff10', x'cafe', 'héllo ☃ 𝄞', 'b', 'xyz')";

    @ParameterizedTest
    @ValueSource(strings = {MODES_TEXT, MODES_BINARY})
    void everyTypeRoundTripsAsOnMariaDb(String mode) throws Exception {
        String cols = "ti, si, mi, i, ub, f, d, de, dt, da, tm, y, b, j, bl, vb, tx, e, c";
        long id;
        try (Connection c = proxy.connect(mode); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO vals (" + cols + ") VALUES " + VALUES, Statement.RETURN_GENERATED_KEYS);
            ResultSet keys = s.getGeneratedKeys();
            assertTrue(keys.next());
            id = keys.getLong(1);
            s.execute("INSERT INTO vals (ti) VALUES (NULL)");
        }
        String query = "SELECT id, " + cols + " FROM vals WHERE id = ?";
        List<String> viaProxy;
        List<String> direct;
        try (Connection c = proxy.connect(mode)) {
            viaProxy = rows(c, query, id);
        }
        try (Connection c = java.sql.DriverManager.getConnection(proxy.db().rawUrl() + "&" + mode)) {
            direct = rows(c, query, id);
        }
        assertEquals(direct, viaProxy);

        // The same values bound as parameters (binary parameter encoding in MODES_BINARY).
        try (Connection c = proxy.connect(mode);
             PreparedStatement ps = c.prepareStatement("INSERT INTO vals (" + cols + ") VALUES "
                     + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
             PreparedStatement read = c.prepareStatement(query)) {
            ps.setInt(1, -128);
            ps.setInt(2, 65535);
            ps.setInt(3, -8388608);
            ps.setInt(4, Integer.MIN_VALUE);
            ps.setBigDecimal(5, new BigDecimal("18446744073709551615"));
            ps.setFloat(6, 1.5f);
            ps.setDouble(7, -2.25e300);
            ps.setBigDecimal(8, new BigDecimal("12345678901234.123456"));
            ps.setObject(9, java.time.LocalDateTime.of(2024, 2, 29, 23, 59, 59, 999_999_000));
            ps.setObject(10, java.time.LocalDate.of(1000, 1, 1));
            ps.setString(11, "-838:59:59.000001");
            ps.setInt(12, 2155);
            ps.setBytes(13, new byte[] {0x02, (byte) 0xAA});
            ps.setString(14, "{\"k\": [1, \"é\"]}");
            ps.setBytes(15, new byte[] {0, (byte) 0xFF, 0x10});
            ps.setBytes(16, new byte[] {(byte) 0xCA, (byte) 0xFE});
            ps.setString(17, "héllo ☃ 𝄞");
            ps.setString(18, "b");
            ps.setString(19, "xyz");
            assertEquals(1, ps.executeUpdate());
            ResultSet keys = ps.getGeneratedKeys();
            assertTrue(keys.next());
            long bound = keys.getLong(1);
            read.setLong(1, bound);
            List<String> boundRow = new ArrayList<>();
            try (ResultSet rs = read.executeQuery()) {
                assertTrue(rs.next());
                for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
                    boundRow.add(show(rs, i));
                }
            }
            // direct holds the values (id first) and then one metadata entry per column.
            List<String> literalRow = new ArrayList<>(direct.subList(1, direct.size() / 2));
            assertEquals(literalRow, boundRow);
        }
    }

    private static List<String> rows(Connection c, String query, long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                assertTrue(rs.next());
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    out.add(show(rs, i));
                }
                // Metadata as the client sees it: type, signedness, nullability, precision and scale.
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    // JSON is told apart from LONGTEXT only by MariaDB's extended type info, which the
                    // proxy does not offer.
                    String type = md.getColumnTypeName(i).replace("JSON", "LONGTEXT");
                    out.add(md.getColumnName(i) + ":" + type + ":" + md.isSigned(i) + ":"
                            + md.isNullable(i) + ":" + md.getPrecision(i) + ":" + md.getScale(i) + ":"
                            + md.isAutoIncrement(i));
                }
            }
        }
        return out;
    }

    private static String show(ResultSet rs, int i) throws SQLException {
        Object o = rs.getObject(i);
        if (o instanceof byte[] b) {
            return Arrays.toString(b);
        }
        if (o instanceof java.sql.Blob b) {
            return Arrays.toString(b.getBytes(1, (int) b.length()));
        }
        return rs.getString(i);
    }

    @ParameterizedTest
    @ValueSource(strings = {MODES_TEXT, MODES_BINARY})
    void generatedKeysAreTheDriversAndLastInsertIdAgrees(String mode) throws Exception {
        try (Connection c = proxy.connect(mode);
             PreparedStatement ps = c.prepareStatement("INSERT INTO item (name, qty) VALUES (?, ?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, "apple");
            ps.setInt(2, 3);
            ps.executeUpdate();
            ResultSet keys = ps.getGeneratedKeys();
            assertTrue(keys.next());
            long key = keys.getLong(1);
            // The driver's keys are 63-bit time-ordered ids, never MariaDB's small auto-increment values.
            assertTrue(key > 1L << 40, "driver key expected, got " + key);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT LAST_INSERT_ID()")) {
                rs.next();
                assertEquals(key, rs.getLong(1));
            }
            try (Connection d = proxy.direct(); Statement s = d.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name FROM item WHERE id = " + key)) {
                assertTrue(rs.next());
                assertEquals("apple", rs.getString(1));
            }
        }
        assertTrue(proxy.db().logRows().stream().anyMatch(r -> "item".equals(r[1])), "the insert was captured");
    }

    @ParameterizedTest
    @ValueSource(strings = {MODES_TEXT, MODES_BINARY})
    void transactionsCommitAndRollBack(String mode) throws Exception {
        try (Connection c = proxy.connect(mode); Statement s = c.createStatement()) {
            s.execute("DELETE FROM item WHERE name LIKE 'tx-%'");
            c.setAutoCommit(false);
            s.execute("INSERT INTO item (name, qty) VALUES ('tx-gone', 1)");
            c.rollback();
            s.execute("INSERT INTO item (name, qty) VALUES ('tx-kept', 1)");
            c.commit();
            c.setAutoCommit(true);
            s.execute("BEGIN");
            s.execute("INSERT INTO item (name, qty) VALUES ('tx-text-gone', 1)");
            s.execute("ROLLBACK");
            ResultSet rs = s.executeQuery("SELECT name FROM item WHERE name LIKE 'tx-%' ORDER BY name");
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            assertEquals(List.of("tx-kept"), names);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {MODES_TEXT, MODES_BINARY})
    void errorsCarryMariaDbCodesAndTheDriversRefusals(String mode) throws Exception {
        try (Connection c = proxy.connect(mode); Statement s = c.createStatement()) {
            SQLException missing = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM no_such_table"));
            assertEquals(1146, missing.getErrorCode());
            assertEquals("42S02", missing.getSQLState());
            SQLException dup = assertThrows(SQLException.class, () -> s.execute("CREATE TABLE item (x INT)"));
            assertEquals(1050, dup.getErrorCode());
            SQLException syntax = assertThrows(SQLException.class, () -> s.execute("SELEC 1"));
            assertEquals(1064, syntax.getErrorCode());
            assertEquals("42000", syntax.getSQLState());
            // TRUNCATE of a synced table cannot be captured row by row: the driver refuses it.
            SQLException refused = assertThrows(SQLException.class, () -> s.execute("TRUNCATE TABLE item"));
            assertEquals("0A000", refused.getSQLState());
            assertEquals(1235, refused.getErrorCode());
            assertTrue(refused.getMessage().contains("TRUNCATE"), refused.getMessage());
            // The session is still usable.
            ResultSet rs = s.executeQuery("SELECT 1");
            assertTrue(rs.next());
        }
    }

    @Test
    void controlProceduresGoThroughTheDriver() throws Exception {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO item (name, qty) VALUES ('synced', 1)");
            try (ResultSet rs = s.executeQuery("CALL sync_now()")) {
                assertTrue(rs.next());
            }
            try (ResultSet rs = s.executeQuery("CALL sync_status()")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getLong("pending_changes"));
                assertTrue(rs.getString("synced_tables").contains("item"));
            }
        }
        assertTrue(java.nio.file.Files.list(proxy.log()).findAny().isPresent(), "sync_now wrote to the shared log");
    }

    @Test
    void cancelKillsByTheHandshakesIdAndOtherDatabasesAreNotSynced() throws Exception {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            // Connector/J cancels with KILL QUERY <the handshake's id> over a second connection; under
            // multiplexing that id is the session's, which the proxy maps to its backend connection.
            java.util.concurrent.ExecutorService runner = java.util.concurrent.Executors.newSingleThreadExecutor();
            try (Statement sleeper = c.createStatement()) {
                java.util.concurrent.Future<Object> sleeping = runner.submit(() -> {
                    try (ResultSet rs = sleeper.executeQuery("SELECT SLEEP(60)")) {
                        rs.next();
                        return rs.getLong(1);
                    } catch (SQLException e) {
                        return e.getErrorCode();
                    }
                });
                Thread.sleep(1000);
                sleeper.cancel();
                Object outcome = sleeping.get(30, java.util.concurrent.TimeUnit.SECONDS);
                // SLEEP returns 1 when killed; some servers report 1317 (query interrupted) instead.
                assertTrue(outcome.equals(1L) || outcome.equals(1317), "cancelled: " + outcome);
            } finally {
                runner.shutdownNow();
            }
            SQLException unknown = assertThrows(SQLException.class, () -> s.execute("KILL QUERY 987654321"));
            assertEquals(1094, unknown.getErrorCode());
            String other = proxy.database() + "_other";
            s.execute("CREATE DATABASE " + other);
            try {
                s.execute("USE " + other);
                s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT)");
                s.executeUpdate("INSERT INTO t (v) VALUES (1)", Statement.RETURN_GENERATED_KEYS);
                ResultSet keys = s.getGeneratedKeys();
                assertTrue(keys.next());
                assertEquals(1, keys.getLong(1), "MariaDB's own auto-increment: not synced");
                SQLException refused = assertThrows(SQLException.class,
                        () -> s.execute("INSERT INTO " + proxy.database() + ".item (name) VALUES ('sneaky')"));
                assertTrue(refused.getMessage().contains("USE " + proxy.database()), refused.getMessage());
                c.setCatalog(proxy.database());
                s.execute("INSERT INTO item (name, qty) VALUES ('back', 1)");
                try (ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
                    rs.next();
                    assertEquals(proxy.database(), rs.getString(1));
                }
            } finally {
                s.execute("DROP DATABASE " + other);
            }
        }
        assertFalse(proxy.db().logRows().stream().anyMatch(r -> "t".equals(r[1])), "the other database is not captured");
    }

    @Test
    void packetsOfSixteenMebibytesAreSplitAndJoined() throws Exception {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            // Response row payload of exactly 0xFFFFFF bytes: a full frame and an empty one.
            try (ResultSet rs = s.executeQuery("SELECT REPEAT('x', 16777211)")) {
                rs.next();
                assertEquals(16777211, rs.getString(1).length());
            }
            // Query payload of exactly 0xFFFFFF bytes (command byte + text).
            String prefix = "SELECT LENGTH('";
            String suffix = "')";
            int fill = 0xFFFFFF - 1 - prefix.length() - suffix.length();
            try (ResultSet rs = s.executeQuery(prefix + "y".repeat(fill) + suffix)) {
                rs.next();
                assertEquals(fill, rs.getInt(1));
            }
        }
    }

    @Test
    void wrongPasswordIsRefusedWith1045() {
        SQLException e = assertThrows(SQLException.class, () -> java.sql.DriverManager.getConnection(
                "jdbc:mariadb://127.0.0.1:" + proxy.port() + "/" + proxy.database() + "?user=" + RunningProxy.USER
                        + "&password=wrong"));
        assertEquals(1045, e.getErrorCode());
        assertEquals("28000", e.getSQLState());
    }

    @ParameterizedTest
    @ValueSource(strings = {MODES_TEXT, MODES_BINARY})
    void streamsAreSentAsLongDataAndReExecutionReusesTypes(String mode) throws Exception {
        byte[] big = new byte[300_000];
        new java.util.Random(7).nextBytes(big);
        String text = "ü".repeat(20_000); // 40,000 bytes: fits TEXT
        try (Connection c = proxy.connect(mode);
             PreparedStatement ps = c.prepareStatement("INSERT INTO vals (mb, tx) VALUES (?, ?)",
                     Statement.RETURN_GENERATED_KEYS);
             PreparedStatement read = c.prepareStatement("SELECT mb, tx FROM vals WHERE id = ?")) {
            List<Long> ids = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                // In binary mode Connector/J sends streams with COM_STMT_SEND_LONG_DATA.
                ps.setBinaryStream(1, new java.io.ByteArrayInputStream(big));
                ps.setCharacterStream(2, new java.io.StringReader(text));
                ps.executeUpdate();
                ResultSet keys = ps.getGeneratedKeys();
                keys.next();
                ids.add(keys.getLong(1));
            }
            for (long id : ids) {
                read.setLong(1, id);
                try (ResultSet rs = read.executeQuery()) {
                    assertTrue(rs.next());
                    assertArrayEquals(big, rs.getBytes(1));
                    assertEquals(text, rs.getString(2));
                }
            }
        }
    }

    @Test
    void binaryLiteralsInQueryTextKeepEveryByte() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        try (Connection c = proxy.connect(MODES_TEXT); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO vals (bl) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
            // Connector/J in text mode sends the bytes as a _binary'...' literal inside the query.
            ps.setBytes(1, all);
            ps.executeUpdate();
            ResultSet keys = ps.getGeneratedKeys();
            keys.next();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT bl FROM vals WHERE id = " + keys.getLong(1))) {
                rs.next();
                assertArrayEquals(all, rs.getBytes(1));
            }
        }
    }
}
