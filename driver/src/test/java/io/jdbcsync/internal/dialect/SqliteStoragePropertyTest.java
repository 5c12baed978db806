package io.jdbcsync.internal.dialect;

import io.jdbcsync.internal.schema.ColumnInfo;
import io.jdbcsync.internal.value.ColumnKind;
import io.jdbcsync.internal.value.ValueCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The SQLite half of the value rule, against a real SQLite: a stored value read, encoded, decoded
 * and bound again into a column of the same declared type is stored with the same storage class
 * and bytes ({@code typeof}, {@code quote}); and whatever {@link SqliteStorage#asStored} claims to
 * know about an app's bound value is exactly what SQLite stores.
 */
class SqliteStoragePropertyTest {
    private static final List<String> DECLARED = List.of("INTEGER", "REAL", "TEXT", "BLOB", "", "NUMERIC", "DATETIME",
            "DATE", "TIME", "BOOLEAN", "DECIMAL(10,2)", "VARCHAR(20)", "DOUBLE", "BIGINT");

    private static Connection db;

    @BeforeContainer
    static void open() throws SQLException {
        db = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement s = db.createStatement()) {
            for (int i = 0; i < DECLARED.size(); i++) {
                s.execute("CREATE TABLE t" + i + " (id INTEGER PRIMARY KEY, a " + DECLARED.get(i) + ", b "
                        + DECLARED.get(i) + ")");
            }
        }
    }

    @AfterContainer
    static void close() throws SQLException {
        db.close();
    }

    @Property(tries = 2000)
    void storedValuesRoundTripThroughTheLog(@ForAll("values") Object value, @ForAll("columns") int column)
            throws SQLException {
        String table = "t" + column;
        ColumnKind kind = ColumnKind.fromSqliteDeclaredType(DECLARED.get(column));
        clear(table);
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO " + table + " (id, a) VALUES (1, ?)")) {
            ps.setObject(1, value);
            ps.executeUpdate();
        }
        Object read;
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT a FROM " + table)) {
            rs.next();
            read = SqliteDialect.INSTANCE.read(rs, 1);
        }
        Object logged = ValueCodec.decodeKey(ValueCodec.encodeKey(
                SqliteDialect.INSTANCE.logged(read, new ColumnInfo("a", kind, false, false))))[0];
        try (PreparedStatement ps = db.prepareStatement("UPDATE " + table + " SET b = ? WHERE id = 1")) {
            SqliteDialect.INSTANCE.bind(ps, 1, logged, kind);
            ps.executeUpdate();
        }
        List<String> both = typeAndQuote(table);
        assertEquals(both.get(0), both.get(1), value + " in " + DECLARED.get(column));
    }

    @Property(tries = 2000)
    void whatAsStoredClaimsIsWhatSqliteStores(@ForAll("bound") Object value, @ForAll("columns") int column)
            throws SQLException {
        String table = "t" + column;
        ColumnKind kind = ColumnKind.fromSqliteDeclaredType(DECLARED.get(column));
        Object claimed = SqliteDialect.INSTANCE.asStored(value, new ColumnInfo("a", kind, false, false), db);
        if (claimed == Dialect.NOT_KNOWN) {
            return;
        }
        clear(table);
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO " + table + " (id, a) VALUES (1, ?)")) {
            ps.setObject(1, value);
            ps.executeUpdate();
        }
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT a FROM " + table)) {
            rs.next();
            Object stored = SqliteDialect.INSTANCE.read(rs, 1);
            assertEquals(ValueCodec.encodeKey(stored).length, ValueCodec.encodeKey(claimed).length,
                    value + " in " + DECLARED.get(column) + ": stored " + stored + ", claimed " + claimed);
            org.junit.jupiter.api.Assertions.assertArrayEquals(ValueCodec.encodeKey(stored), ValueCodec.encodeKey(claimed),
                    value + " in " + DECLARED.get(column) + ": stored " + stored + ", claimed " + claimed);
        }
    }

    /**
     * Values only MariaDB devices (or logs from before values kept their storage class) hold, as
     * the documented table says, in a DATETIME column (NUMERIC affinity) and whatever the JVM zone.
     */
    @net.jqwik.api.Example
    void valuesFromMariaDbBindByTheTable() throws SQLException {
        int datetime = DECLARED.indexOf("DATETIME");
        Object[][] cases = {
            {java.time.LocalDateTime.parse("2024-10-27T02:30:00"), "text '2024-10-27 02:30:00.000'"},
            {java.time.LocalDateTime.parse("2024-10-27T02:30:00.123456"), "text '2024-10-27 02:30:00.123456'"},
            {java.time.Instant.parse("2024-10-27T00:30:00.5Z"), "text '2024-10-27 00:30:00.500'"},
            {java.time.LocalDate.parse("2024-03-01"), "text '2024-03-01 00:00:00.000'"},
            {java.time.LocalTime.parse("13:45:30"), "text '1970-01-01 13:45:30.000'"},
            {java.time.Duration.parse("-PT838H59M59.5S"), "text '-838:59:59.500'"},
            {Boolean.TRUE, "integer 1"},
            {new BigDecimal("2.50"), "real 2.5"},
            {new java.math.BigInteger("18446744073709551615"), "real 1.844674407370955162e+19"},
        };
        java.util.TimeZone saved = java.util.TimeZone.getDefault();
        try {
            for (String zone : List.of("Pacific/Chatham", "America/New_York")) {
                java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone(zone));
                for (Object[] c : cases) {
                    clear("t" + datetime);
                    try (PreparedStatement ps = db.prepareStatement("INSERT INTO t" + datetime + " (id, a, b) VALUES (1, ?, ?)")) {
                        SqliteDialect.INSTANCE.bind(ps, 1, c[0], ColumnKind.TIMESTAMP);
                        SqliteDialect.INSTANCE.bind(ps, 2, c[0], ColumnKind.TIMESTAMP);
                        ps.executeUpdate();
                    }
                    assertEquals(List.of(c[1], c[1]), typeAndQuote("t" + datetime), c[0] + " in " + zone);
                }
            }
        } finally {
            java.util.TimeZone.setDefault(saved);
        }
    }

    private static void clear(String table) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("DELETE FROM " + table);
        }
    }

    private static List<String> typeAndQuote(String table) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT typeof(a) || ' ' || quote(a), typeof(b) || ' ' || quote(b) FROM " + table)) {
            rs.next();
            return List.of(rs.getString(1), rs.getString(2));
        }
    }

    @Provide
    Arbitrary<Integer> columns() {
        return Arbitraries.integers().between(0, DECLARED.size() - 1);
    }

    /** One value of each storage class, including the texts affinity converts. */
    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().filter(d -> !d.isNaN()).map(d -> (Object) d),
                Arbitraries.of(1.0, 0.5, 1e20, 2460000.5, Double.POSITIVE_INFINITY).map(d -> (Object) d),
                texts(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(b -> (Object) b),
                Arbitraries.just(null));
    }

    /** What apps bind through plain setters. */
    @Provide
    Arbitrary<Object> bound() {
        return Arbitraries.oneOf(values(),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.longs().between(-5_000_000_000_000L, 5_000_000_000_000L).map(ms -> (Object) new java.sql.Timestamp(ms)),
                Arbitraries.longs().between(-5_000_000_000_000L, 5_000_000_000_000L).map(ms -> (Object) new java.sql.Date(ms)),
                Arbitraries.floats().map(f -> (Object) f),
                Arbitraries.of(-0.0, Double.NaN).map(d -> (Object) d),
                Arbitraries.bigDecimals().ofScale(2).map(d -> (Object) d),
                Arbitraries.bigDecimals().between(new BigDecimal("-1e20"), new BigDecimal("1e20")).ofScale(6)
                        .map(d -> (Object) d),
                Arbitraries.integers().between(-3, 8).flatMap(scale -> Arbitraries.longs()
                        .map(l -> (Object) BigDecimal.valueOf(l, scale))),
                // At most 15 digits at scales past 10^22, where the nearest double is not one division.
                Arbitraries.integers().between(1, 26).flatMap(scale -> Arbitraries.longs()
                        .between(-999_999_999_999_999L, 999_999_999_999_999L)
                        .map(l -> (Object) BigDecimal.valueOf(l, scale))),
                Arbitraries.of(new BigDecimal("1.50"), new BigDecimal("1E+3"), new BigDecimal("1234567890123456789.00"),
                        new BigDecimal("9007199254740993.0"), new BigDecimal("-0.00"), new BigDecimal("123456789012345678"),
                        new BigDecimal("0.1000000000000000055511151231257827")).map(d -> (Object) d));
    }

    private static Arbitrary<Object> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().withChars("0123456789+-.eE x").ofMaxLength(8),
                Arbitraries.of("2024-03-01", "true", "12abc", " 12 ", "3.0e+5", "0x10", "1e400", "-0", "", "\t7\n",
                        "9223372036854775808", "1.0", ".5", "5.", "13:45:30", "2024-03-01 12:00:00.000"))
                .map(s -> (Object) s);
    }
}
