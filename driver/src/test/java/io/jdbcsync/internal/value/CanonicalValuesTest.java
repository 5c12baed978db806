package io.jdbcsync.internal.value;

import static io.jdbcsync.internal.value.ColumnKind.BLOB;
import static io.jdbcsync.internal.value.ColumnKind.BOOLEAN;
import static io.jdbcsync.internal.value.ColumnKind.DATE;
import static io.jdbcsync.internal.value.ColumnKind.DECIMAL;
import static io.jdbcsync.internal.value.ColumnKind.INSTANT;
import static io.jdbcsync.internal.value.ColumnKind.INTEGER;
import static io.jdbcsync.internal.value.ColumnKind.OTHER;
import static io.jdbcsync.internal.value.ColumnKind.REAL;
import static io.jdbcsync.internal.value.ColumnKind.TEXT;
import static io.jdbcsync.internal.value.ColumnKind.TIME;
import static io.jdbcsync.internal.value.ColumnKind.TIMESTAMP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CanonicalValuesTest {

    private TimeZone savedZone;

    @BeforeEach
    void useOddZone() {
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kathmandu"));
    }

    @AfterEach
    void restoreZone() {
        TimeZone.setDefault(savedZone);
    }

    private static Object c(Object value, ColumnKind kind) {
        return ValueCodec.canonical(value, kind);
    }

    /** Asserts the value is left exactly as it was. */
    private static void assertKept(Object value, ColumnKind kind) {
        assertSame(value, c(value, kind), () -> value + " for " + kind);
    }

    @Test
    void nullStaysNullForEveryKind() {
        for (ColumnKind kind : ColumnKind.values()) {
            assertNull(c(null, kind));
        }
        assertKept("x", null);
    }

    @Test
    void integerKind() {
        Long l = 5L;
        assertKept(l, INTEGER);
        assertEquals(5L, c(5, INTEGER));
        assertEquals(-5L, c((short) -5, INTEGER));
        assertEquals(5L, c((byte) 5, INTEGER));
        assertEquals(9L, c(new AtomicLong(9), INTEGER));
        assertEquals(9L, c(new AtomicInteger(9), INTEGER));
        assertEquals(Long.MAX_VALUE, c(BigInteger.valueOf(Long.MAX_VALUE), INTEGER));
        assertKept(BigInteger.ONE.shiftLeft(63), INTEGER);
        assertEquals(5L, c(new BigDecimal("5.00"), INTEGER));
        assertEquals(1000L, c(new BigDecimal("1E+3"), INTEGER));
        assertEquals(0L, c(new BigDecimal("0.000"), INTEGER));
        assertKept(new BigDecimal("5.5"), INTEGER);
        assertKept(new BigDecimal("1E+30"), INTEGER);
        assertKept(new BigDecimal("1E+1000000000"), INTEGER);
        assertEquals(123L, c("123", INTEGER));
        assertEquals(-42L, c("-42", INTEGER));
        assertEquals(7L, c("+7", INTEGER));
        assertEquals(7L, c("007", INTEGER));
        assertEquals(Long.MIN_VALUE, c(String.valueOf(Long.MIN_VALUE), INTEGER));
        for (String s : new String[] {"", "-", "12a", " 12", "1.0", "99999999999999999999", "9223372036854775808", "abc"}) {
            assertKept(s, INTEGER);
        }
        assertEquals(1L, c(true, INTEGER));
        assertEquals(0L, c(false, INTEGER));
        assertEquals(3L, c(3.0, INTEGER));
        assertEquals(0L, c(-0.0, INTEGER));
        assertEquals(-2L, c(-2.0f, INTEGER));
        assertKept(3.5, INTEGER);
        assertKept(Double.NaN, INTEGER);
        assertKept(Double.POSITIVE_INFINITY, INTEGER);
        assertKept(1e19, INTEGER);
        assertEquals(Long.MIN_VALUE, c(-0x1p63, INTEGER));
        assertKept(0x1p63, INTEGER);
        assertKept(LocalDate.of(2026, 1, 1), INTEGER);
    }

    @Test
    void realKind() {
        Double d = 1.5;
        assertKept(d, REAL);
        assertEquals(3.0, c(3, REAL));
        assertEquals(3.0, c(3L, REAL));
        assertEquals(1.25, c(new BigDecimal("1.25"), REAL));
        assertEquals(1e20, c(BigInteger.TEN.pow(20), REAL));
        assertEquals(0.1, c(0.1f, REAL));
        assertKept("1.5", REAL);
        assertKept(true, REAL);
    }

    @Test
    void decimalKind() {
        BigDecimal bd = new BigDecimal("1.50");
        assertKept(bd, DECIMAL);
        assertEquals(new BigDecimal("0.1"), c(0.1, DECIMAL));
        assertEquals(new BigDecimal("0.1"), c(0.1f, DECIMAL));
        assertEquals(new BigDecimal("5"), c(5L, DECIMAL));
        assertEquals(new BigDecimal("5"), c(5, DECIMAL));
        assertEquals(new BigDecimal("-5"), c((short) -5, DECIMAL));
        assertEquals(new BigDecimal(BigInteger.TEN.pow(30)), c(BigInteger.TEN.pow(30), DECIMAL));
        assertEquals(new BigDecimal("1.50"), c("1.50", DECIMAL));
        assertEquals(2, ((BigDecimal) c("1.50", DECIMAL)).scale());
        assertEquals(new BigDecimal("1E+3"), c("1E+3", DECIMAL));
        assertKept("abc", DECIMAL);
        assertKept("", DECIMAL);
        assertKept(Double.NaN, DECIMAL);
        assertKept(Double.NEGATIVE_INFINITY, DECIMAL);
        assertKept(Float.NaN, DECIMAL);
        assertKept(true, DECIMAL);
    }

    @Test
    void textKind() {
        assertEquals("c", c('c', TEXT));
        UUID uuid = UUID.randomUUID();
        assertEquals(uuid.toString(), c(uuid, TEXT));
        assertKept(5L, TEXT);
        assertKept(1.5, TEXT);
        assertKept("s", TEXT);
    }

    @Test
    void booleanKind() {
        assertKept(Boolean.TRUE, BOOLEAN);
        assertEquals(true, c(1L, BOOLEAN));
        assertEquals(false, c(0L, BOOLEAN));
        assertEquals(true, c(1, BOOLEAN));
        assertEquals(false, c((byte) 0, BOOLEAN));
        assertEquals(true, c(new BigDecimal("1.00"), BOOLEAN));
        assertEquals(false, c(BigInteger.ZERO, BOOLEAN));
        assertEquals(true, c(1.0, BOOLEAN));
        assertEquals(false, c(-0.0f, BOOLEAN));
        assertKept(2L, BOOLEAN);
        assertKept(-1, BOOLEAN);
        assertKept(0.5, BOOLEAN);
        assertEquals(true, c("true", BOOLEAN));
        assertEquals(true, c("TRUE", BOOLEAN));
        assertEquals(false, c("false", BOOLEAN));
        assertEquals(false, c("False", BOOLEAN));
        assertEquals(true, c("1", BOOLEAN));
        assertEquals(false, c("0", BOOLEAN));
        assertKept("yes", BOOLEAN);
        assertKept("", BOOLEAN);
    }

    // The JVM zone is Kathmandu (UTC+05:45) here: none of these results may depend on it.

    @Test
    void dateKind() {
        LocalDate date = LocalDate.of(2026, 2, 3);
        assertKept(date, DATE);
        assertEquals(date, c("2026-02-03", DATE));
        assertEquals(date, c("2026-02-03 00:00:00.000", DATE));
        assertEquals(LocalDate.of(1901, 12, 31), c("1901-12-31", DATE));
        // Epoch milliseconds (the SQLite driver's default for dates) are taken at UTC.
        assertEquals(date, c(Instant.parse("2026-02-03T23:59:59.999Z").toEpochMilli(), DATE));
        assertEquals(LocalDate.of(2026, 2, 2), c(Instant.parse("2026-02-02T20:00:00Z").toEpochMilli(), DATE));
        assertEquals(date, c(LocalDateTime.of(2026, 2, 3, 13, 0), DATE));
        assertEquals(date, c(Instant.parse("2026-02-03T13:00:00Z"), DATE));
        // A java.sql.Date's day exists only in some zone: left as it is.
        assertKept(java.sql.Date.valueOf("2026-02-03"), DATE);
        assertKept(java.sql.Timestamp.valueOf("2026-02-03 13:00:00"), DATE);
        assertKept("not a date", DATE);
        assertKept("2026-13-01", DATE);
        assertKept("2026-02-30", DATE);
        assertKept("0000-00-00", DATE);
        assertKept(1.5, DATE);
        assertKept(true, DATE);
    }

    @Test
    void timeKind() {
        LocalTime time = LocalTime.of(8, 30);
        assertKept(time, TIME);
        assertEquals(time, c(Instant.parse("1970-01-01T08:30:00Z").toEpochMilli(), TIME));
        assertEquals(LocalTime.of(8, 30, 0, 123_000_000), c(Instant.parse("2026-01-01T08:30:00.123Z").toEpochMilli(), TIME));
        assertEquals(time, c("08:30:00", TIME));
        assertEquals(LocalTime.of(13, 45, 7, 123_456_789), c("13:45:07.123456789", TIME));
        assertEquals(LocalTime.of(13, 45, 7), c("1970-01-01 13:45:07", TIME));
        assertEquals(LocalTime.of(13, 45, 7), c("1970-01-01 13:45:07.000", TIME));
        // MariaDB's TIME range: negative and beyond a day, every fraction digit.
        assertEquals(java.time.Duration.parse("-PT838H59M59.5S"), c("-838:59:59.500", TIME));
        assertEquals(java.time.Duration.ofHours(25), c("25:00:00", TIME));
        assertEquals(LocalTime.of(1, 0), c(java.time.Duration.ofHours(1), TIME));
        assertKept(java.sql.Time.valueOf("08:30:00"), TIME);
        assertKept("25:00", TIME);
        assertKept("noon", TIME);
        assertKept("", TIME);
        assertKept(1.5, TIME);
    }

    @Test
    void timestampKind() {
        LocalDateTime ts = LocalDateTime.of(2026, 2, 3, 4, 5, 6, 123_456_789);
        assertKept(ts, TIMESTAMP);
        assertEquals(ts, c("2026-02-03 04:05:06.123456789", TIMESTAMP));
        assertEquals(ts, c("2026-02-03T04:05:06.123456789", TIMESTAMP));
        assertEquals(ts.withNano(0), c("2026-02-03 04:05:06", TIMESTAMP));
        assertEquals(ts.withNano(120_000_000), c("2026-02-03 04:05:06.12", TIMESTAMP));
        assertEquals(LocalDateTime.of(2026, 2, 3, 4, 5), c("2026-02-03 04:05", TIMESTAMP));
        assertEquals(LocalDateTime.of(2026, 2, 3, 0, 0), c("2026-02-03", TIMESTAMP));
        assertEquals(ts.withNano(0), c("2026-02-03T04:05:06Z", TIMESTAMP));
        assertEquals(ts.withNano(0), c("2026-02-03T05:05:06+01:00", TIMESTAMP));
        assertEquals(ts.withNano(0), c("2026-02-02T23:05:06-05:00", TIMESTAMP));
        // Epoch milliseconds (how the SQLite driver stores a Timestamp by default) at UTC.
        assertEquals(LocalDateTime.of(2026, 1, 1, 0, 0), c(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli(), TIMESTAMP));
        assertEquals(LocalDateTime.of(2023, 11, 14, 22, 13, 20), c(1_700_000_000_000L, TIMESTAMP));
        assertEquals(ts, c(OffsetDateTime.of(ts, ZoneOffset.UTC).withOffsetSameInstant(ZoneOffset.ofHours(-7)), TIMESTAMP));
        assertEquals(ts, c(ts.toInstant(ZoneOffset.UTC), TIMESTAMP));
        assertEquals(ts, c(ts.atZone(ZoneOffset.UTC), TIMESTAMP));
        assertEquals(LocalDateTime.of(2026, 2, 3, 0, 0), c(LocalDate.of(2026, 2, 3), TIMESTAMP));
        assertKept(java.sql.Timestamp.valueOf(ts), TIMESTAMP);
        assertKept(new java.util.Date(0), TIMESTAMP);
        assertKept("hello", TIMESTAMP);
        assertKept("2026-02-30 10:00:00", TIMESTAMP);
        assertKept("2026-02-03X04:05", TIMESTAMP);
        assertKept("2026-02-03 25:00", TIMESTAMP);
        assertKept(1.5, TIMESTAMP);
        assertKept(java.sql.Time.valueOf("01:02:03"), TIMESTAMP);
    }

    @Test
    void instantKind() {
        Instant i = Instant.parse("2024-11-03T05:30:00.123456Z");
        assertKept(i, INSTANT);
        assertEquals(i, c(java.sql.Timestamp.from(i), INSTANT));
        assertEquals(i, c("2024-11-03 05:30:00.123456", INSTANT));
        assertEquals(i, c(LocalDateTime.of(2024, 11, 3, 5, 30, 0, 123_456_000), INSTANT));
        assertEquals(i, c(i.atOffset(ZoneOffset.ofHours(-4)), INSTANT));
        assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), c(1_700_000_000_000L, INSTANT));
        assertKept("0000-00-00 00:00:00", INSTANT);
    }

    @Test
    void blobAndOtherAreLeftAlone() {
        byte[] bytes = {1, 2};
        assertKept(bytes, BLOB);
        assertKept("text", BLOB);
        assertKept(5L, BLOB);
        assertKept(bytes, OTHER);
        assertKept("5", OTHER);
        assertKept(5, OTHER);
        assertKept(java.sql.Date.valueOf("2026-02-03"), OTHER);
    }

    @Test
    void neverThrowsForUnexpectedCombinations() {
        List<Object> odd = List.of(new Object(), new StringBuilder("1"), new byte[] {1}, 'x', UUID.randomUUID(),
                Double.NaN, Float.NEGATIVE_INFINITY, Instant.MAX, Long.MAX_VALUE, Long.MIN_VALUE, "", "-",
                "9999-99-99", "1E999999999", "2026-02-03T04:05:06+99:00", "++1", new AtomicLong(3),
                BigDecimal.valueOf(Long.MAX_VALUE).add(BigDecimal.ONE), BigInteger.TEN.pow(50), List.of(), true);
        for (ColumnKind kind : ColumnKind.values()) {
            for (Object value : odd) {
                c(value, kind);
            }
        }
    }

    @Test
    void canonicalIsIdempotent() {
        List<Object> inputs = List.of(5, "12", "2026-02-03 04:05:06.7", 0.1f, new BigDecimal("1.50"), true, 1L,
                java.sql.Date.valueOf("2026-02-03"), java.sql.Time.valueOf("08:30:00"), 1_700_000_000_000L, 'c');
        for (ColumnKind kind : ColumnKind.values()) {
            for (Object value : inputs) {
                Object once = c(value, kind);
                assertEquals(once, c(once, kind), () -> value + " for " + kind);
            }
        }
    }

    /** What each driver hands back for the same logical value must end as the same bytes. */
    @Test
    void sameLogicalValueEncodesTheSameFromEitherDriver() {
        assertSameEncoding(BOOLEAN, true, 1, 1L, "1", "true");
        assertSameEncoding(INTEGER, 42L, 42, (short) 42, BigInteger.valueOf(42), new BigDecimal("42.0"), "42", 42.0);
        assertSameEncoding(REAL, 0.1, 0.1f, new BigDecimal("0.1"));
        assertSameEncoding(DECIMAL, new BigDecimal("0.1"), 0.1, 0.1f, "0.1");
        assertSameEncoding(DATE, LocalDate.of(1969, 7, 20), Instant.parse("1969-07-20T00:00:00Z").toEpochMilli(),
                "1969-07-20", "1969-07-20 00:00:00.000");
        assertSameEncoding(TIME, LocalTime.of(23, 59, 59), Instant.parse("1970-01-01T23:59:59Z").toEpochMilli(), "23:59:59",
                "1970-01-01 23:59:59.000", java.time.Duration.parse("PT23H59M59S"));
        Instant instant = Instant.parse("2101-03-04T05:06:07.891Z");
        assertSameEncoding(TIMESTAMP, LocalDateTime.of(2101, 3, 4, 5, 6, 7, 891_000_000), instant.toEpochMilli(),
                "2101-03-04 05:06:07.891", "2101-03-04T05:06:07.891", instant);
        assertSameEncoding(INSTANT, instant, java.sql.Timestamp.from(instant), instant.toEpochMilli(),
                "2101-03-04 05:06:07.891", LocalDateTime.of(2101, 3, 4, 5, 6, 7, 891_000_000));
        UUID uuid = UUID.randomUUID();
        assertSameEncoding(TEXT, uuid.toString(), uuid);
    }

    private static void assertSameEncoding(ColumnKind kind, Object expected, Object... variants) {
        byte[] want = ValueCodec.encodeKey(c(expected, kind));
        for (Object variant : variants) {
            assertArrayEquals(want, ValueCodec.encodeKey(c(variant, kind)), () -> variant + " for " + kind);
        }
    }
}
