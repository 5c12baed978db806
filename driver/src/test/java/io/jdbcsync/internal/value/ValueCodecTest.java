package io.jdbcsync.internal.value;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TimeZone;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ValueCodecTest {

    private TimeZone savedZone;

    @BeforeEach
    void useOddZone() {
        // A zone far from UTC with a non-hour offset makes zone mix-ups visible.
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kathmandu"));
    }

    @AfterEach
    void restoreZone() {
        TimeZone.setDefault(savedZone);
    }

    /** Encodes one value as a key and decodes it back. */
    static Object roundTrip(Object value) {
        Object[] decoded = ValueCodec.decodeKey(ValueCodec.encodeKey(value));
        assertEquals(1, decoded.length);
        return decoded[0];
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void longsRoundTrip() {
        for (long v : new long[] {0, 1, -1, 63, -64, 64, 127, 128, 300, -300, Integer.MAX_VALUE,
                Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1}) {
            assertEquals(v, roundTrip(v));
        }
    }

    @Test
    void smallIntegralTypesBecomeLong() {
        assertEquals(7L, roundTrip(7));
        assertEquals(-7L, roundTrip((short) -7));
        assertEquals(-128L, roundTrip((byte) -128));
        assertArrayEquals(ValueCodec.encodeKey(5L), ValueCodec.encodeKey(5));
        assertArrayEquals(ValueCodec.encodeKey(5L), ValueCodec.encodeKey((short) 5));
        assertArrayEquals(ValueCodec.encodeKey(5L), ValueCodec.encodeKey((byte) 5));
    }

    @Test
    void bigIntegersUseLongWhenTheyFit() {
        assertEquals(Long.MAX_VALUE, roundTrip(BigInteger.valueOf(Long.MAX_VALUE)));
        assertEquals(Long.MIN_VALUE, roundTrip(BigInteger.valueOf(Long.MIN_VALUE)));
        assertArrayEquals(ValueCodec.encodeKey(42L), ValueCodec.encodeKey(BigInteger.valueOf(42)));
    }

    @Test
    void bigIntegersBeyondLongRoundTrip() {
        BigInteger justAbove = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
        BigInteger justBelow = BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE);
        BigInteger huge = BigInteger.TEN.pow(100).negate();
        BigInteger unsignedMax = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        for (BigInteger v : List.of(justAbove, justBelow, huge, unsignedMax)) {
            assertEquals(v, roundTrip(v));
        }
    }

    @Test
    void doublesRoundTripBitExactly() {
        for (double v : new double[] {0.0, -0.0, 1.5, -1.5, 0.1, Double.MIN_VALUE, -Double.MIN_VALUE,
                Double.MAX_VALUE, Double.MIN_NORMAL, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}) {
            Object back = roundTrip(v);
            assertTrue(back instanceof Double);
            assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits((Double) back), "value " + v);
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) roundTrip(-0.0)));
    }

    @Test
    void everyNanEncodesTheSame() {
        double otherNan = Double.longBitsToDouble(0x7FF0_0000_0000_0001L);
        assertTrue(Double.isNaN(otherNan));
        assertArrayEquals(ValueCodec.encodeKey(Double.NaN), ValueCodec.encodeKey(otherNan));
    }

    @Test
    void floatsWidenThroughTheirDecimalForm() {
        assertEquals(0.1, roundTrip(0.1f));
        assertEquals(-2.5, roundTrip(-2.5f));
        assertEquals(Double.POSITIVE_INFINITY, roundTrip(Float.POSITIVE_INFINITY));
        assertTrue(Double.isNaN((Double) roundTrip(Float.NaN)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) roundTrip(-0.0f)));
        assertArrayEquals(ValueCodec.encodeKey(0.1), ValueCodec.encodeKey(0.1f));
    }

    @Test
    void decimalsRoundTripWithTheirScale() {
        for (String s : new String[] {"1.50", "1.5", "0", "0.00", "-0.001", "1E+3", "-1E+3", "123456789012345678901234567890.123456789",
                "1E-400", "9.99E+9999", "-12345.6789"}) {
            BigDecimal v = new BigDecimal(s);
            Object back = roundTrip(v);
            assertEquals(v, back, s);
            assertEquals(v.scale(), ((BigDecimal) back).scale(), s);
            assertEquals(v.toString(), back.toString());
        }
        BigDecimal extremeScale = new BigDecimal(BigInteger.TEN, Integer.MIN_VALUE);
        assertEquals(extremeScale, roundTrip(extremeScale));
        BigDecimal extremeScale2 = new BigDecimal(BigInteger.ONE, Integer.MAX_VALUE);
        assertEquals(extremeScale2, roundTrip(extremeScale2));
    }

    @Test
    void textRoundTrips() {
        for (String s : new String[] {"", "a", "hello, world", "é", "中文", "😀", "a😀b\uD83D\uDE80", "\u0000", "\uFFFF",
                "x".repeat(100_000)}) {
            assertEquals(s, roundTrip(s));
        }
    }

    @Test
    void textIsStoredAsUtf8() {
        String s = "aé中😀";
        byte[] encoded = ValueCodec.encodeKey(s);
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        assertEquals(utf8.length, encoded[2]);
        assertArrayEquals(utf8, Arrays.copyOfRange(encoded, 3, encoded.length));
    }

    @Test
    void loneSurrogatesEncodeAsTheJdkDoes() {
        String s = "a\uD800b\uDC00c\uD83D";
        byte[] encoded = ValueCodec.encodeKey(s);
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(utf8, Arrays.copyOfRange(encoded, 3, encoded.length));
        assertEquals(new String(utf8, StandardCharsets.UTF_8), roundTrip(s));
    }

    @Test
    void charactersAndUuidsBecomeText() {
        assertEquals("x", roundTrip('x'));
        UUID uuid = UUID.fromString("0189abcd-ef01-7234-8567-89abcdef0123");
        assertEquals("0189abcd-ef01-7234-8567-89abcdef0123", roundTrip(uuid));
        assertArrayEquals(ValueCodec.encodeKey(uuid.toString()), ValueCodec.encodeKey(uuid));
    }

    @Test
    void blobsRoundTrip() {
        assertArrayEquals(new byte[0], (byte[]) roundTrip(new byte[0]));
        assertArrayEquals(bytes(0, 1, 0xFF, 0x80), (byte[]) roundTrip(bytes(0, 1, 0xFF, 0x80)));
        byte[] large = new byte[1 << 20];
        new Random(1).nextBytes(large);
        byte[] encoded = ValueCodec.encodeKey((Object) large);
        assertEquals(large.length + 5, encoded.length);
        assertArrayEquals(large, (byte[]) ValueCodec.decodeKey(encoded)[0]);
    }

    @Test
    void decodedBlobIsACopy() {
        byte[] encoded = ValueCodec.encodeKey((Object) bytes(1, 2, 3));
        byte[] decoded = (byte[]) ValueCodec.decodeKey(encoded)[0];
        decoded[0] = 9;
        assertArrayEquals(bytes(1, 2, 3), (byte[]) ValueCodec.decodeKey(encoded)[0]);
    }

    @Test
    void nullsAndBooleansRoundTrip() {
        assertNull(roundTrip(null));
        assertEquals(Boolean.TRUE, roundTrip(true));
        assertEquals(Boolean.FALSE, roundTrip(false));
        Object[] mixed = ValueCodec.decodeKey(ValueCodec.encodeKey(null, true, null, false));
        assertArrayEquals(new Object[] {null, true, null, false}, mixed);
    }

    @Test
    void datesRoundTrip() {
        for (LocalDate d : List.of(LocalDate.of(1970, 1, 1), LocalDate.of(1969, 12, 31), LocalDate.of(1, 1, 1),
                LocalDate.of(1582, 10, 15), LocalDate.of(2100, 2, 28), LocalDate.of(2400, 2, 29), LocalDate.MIN, LocalDate.MAX)) {
            assertEquals(d, roundTrip(d));
        }
        // A java.sql.Date is a point in time (its date exists only in the JVM's zone): an instant.
        java.sql.Date sqlDate = java.sql.Date.valueOf("1950-06-30");
        assertEquals(Instant.ofEpochMilli(sqlDate.getTime()), roundTrip(sqlDate));
    }

    @Test
    void timesRoundTripWithNanos() {
        for (LocalTime t : List.of(LocalTime.MIDNIGHT, LocalTime.NOON, LocalTime.MAX, LocalTime.of(13, 45, 7, 123_456_789),
                LocalTime.of(0, 0, 0, 1))) {
            assertEquals(t, roundTrip(t));
        }
    }

    @Test
    void sqlTimeIsItsInstantWithTheMilliseconds() {
        java.sql.Time time = java.sql.Time.valueOf("13:45:07");
        time.setTime(time.getTime() + 250);
        assertEquals(Instant.ofEpochMilli(time.getTime()), roundTrip(time));
    }

    @Test
    void sqlTimesBeyondADayAndNegativeRoundTrip() {
        for (Duration d : List.of(Duration.parse("-PT838H59M59.999999S"), Duration.parse("PT838H59M59S"),
                Duration.ofHours(24), Duration.ofNanos(-1))) {
            assertEquals(d, roundTrip(d));
        }
        // Inside a day a duration is a time of day: one value, one encoding.
        assertEquals(LocalTime.of(1, 2, 3), roundTrip(Duration.parse("PT1H2M3S")));
        assertArrayEquals(ValueCodec.encodeKey(LocalTime.of(1, 2, 3)), ValueCodec.encodeKey(Duration.parse("PT1H2M3S")));
    }

    @Test
    void timestampsRoundTripWithNanos() {
        for (LocalDateTime ts : List.of(LocalDateTime.of(2026, 11, 26, 15, 6, 42, 123_456_789),
                LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_999), LocalDateTime.of(1900, 1, 1, 0, 0),
                LocalDateTime.of(2200, 7, 4, 12, 0, 0, 1), LocalDateTime.MIN, LocalDateTime.MAX)) {
            assertEquals(ts, roundTrip(ts));
        }
        java.sql.Timestamp sqlTs = java.sql.Timestamp.valueOf("2026-03-29 02:30:00.987654321");
        assertEquals(sqlTs.toInstant(), roundTrip(sqlTs));
    }

    @Test
    void instantLikeValuesAreInstants() {
        Instant utc = LocalDateTime.of(2026, 1, 2, 3, 4, 5, 6).toInstant(ZoneOffset.UTC);
        assertEquals(utc, roundTrip(utc));
        assertEquals(utc, roundTrip(OffsetDateTime.ofInstant(utc, ZoneOffset.ofHours(9))));
        assertEquals(utc, roundTrip(utc.atZone(ZoneId.of("America/New_York"))));
        assertEquals(Instant.ofEpochSecond(-1, 999_999_999), roundTrip(Instant.ofEpochSecond(-1, 999_999_999)));
    }

    @Test
    void plainUtilDateIsItsInstantWhateverTheZone() {
        java.util.Date date = new java.util.Date(Instant.parse("2026-01-02T00:00:00.250Z").toEpochMilli());
        assertEquals(Instant.parse("2026-01-02T00:00:00.250Z"), roundTrip(date));
    }

    @Test
    void unsupportedTypesAreRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ValueCodec.encodeKey(new StringBuilder("x")));
        assertTrue(e.getMessage().contains("java.lang.StringBuilder"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.encodeKey(new Object()));
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.encodeKey(List.of(List.of(1))));
    }

    @Test
    void keysKeepOrderAndArity() {
        Object[] key = {1L, "a", null, new BigDecimal("2.50"), LocalDate.of(2026, 1, 1)};
        assertArrayEquals(key, ValueCodec.decodeKey(ValueCodec.encodeKey(key)));
        assertArrayEquals(key, ValueCodec.decodeKey(ValueCodec.encodeKey(Arrays.asList(key))));
        assertArrayEquals(ValueCodec.encodeKey(key), ValueCodec.encodeKey(Arrays.asList(key)));
        assertArrayEquals(new Object[0], ValueCodec.decodeKey(ValueCodec.encodeKey()));
        assertArrayEquals(new Object[0], ValueCodec.decodeKey(ValueCodec.encodeKey(List.of())));
    }

    @Test
    void rowsRoundTrip() {
        List<String> columns = List.of("id", "name", "price", "photo", "born", "note");
        List<Object> values = Arrays.asList(7L, "Zoë 😀", new BigDecimal("19.90"), bytes(1, 2), LocalDate.of(1960, 5, 1), null);
        Row row = ValueCodec.decodeRow(ValueCodec.encodeRow(columns, values));
        assertEquals(columns, row.columns());
        assertEquals(6, row.values().size());
        assertEquals(7L, row.values().get(0));
        assertEquals("Zoë 😀", row.values().get(1));
        assertEquals(new BigDecimal("19.90"), row.values().get(2));
        assertArrayEquals(bytes(1, 2), (byte[]) row.values().get(3));
        assertEquals(LocalDate.of(1960, 5, 1), row.values().get(4));
        assertNull(row.values().get(5));
    }

    @Test
    void rowFromMapKeepsIterationOrder() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("zeta", 1L);
        map.put("alpha", "two");
        map.put("mid", null);
        map.put("", true);
        byte[] encoded = ValueCodec.encodeRow(map);
        assertArrayEquals(ValueCodec.encodeRow(new ArrayList<>(map.keySet()), new ArrayList<>(map.values())), encoded);
        Row row = ValueCodec.decodeRow(encoded);
        assertEquals(List.of("zeta", "alpha", "mid", ""), row.columns());
        assertEquals(Arrays.asList(1L, "two", null, true), row.values());
    }

    @Test
    void emptyRowRoundTrips() {
        Row row = ValueCodec.decodeRow(ValueCodec.encodeRow(List.of(), List.of()));
        assertTrue(row.columns().isEmpty());
        assertTrue(row.values().isEmpty());
        assertArrayEquals(bytes(0), ValueCodec.encodeRow(Map.of()));
    }

    @Test
    void rowArgumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.encodeRow(List.of("a", "b"), List.of(1L)));
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.encodeRow(Arrays.asList("a", null), Arrays.asList(1L, 2L)));
        Map<String, Object> nullKey = new java.util.HashMap<>();
        nullKey.put(null, 1L);
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.encodeRow(nullKey));
    }

    @Test
    void rowRecordIsAnUnmodifiableCopy() {
        List<String> columns = new ArrayList<>(List.of("a"));
        List<Object> values = new ArrayList<>(Arrays.asList((Object) null));
        Row row = new Row(columns, values);
        columns.set(0, "b");
        values.set(0, 1L);
        assertEquals(List.of("a"), row.columns());
        assertNull(row.values().get(0));
        assertThrows(UnsupportedOperationException.class, () -> row.values().set(0, 2L));
        assertThrows(UnsupportedOperationException.class, () -> row.columns().add("c"));
        assertThrows(IllegalArgumentException.class, () -> new Row(List.of("a"), List.of()));
    }

    @Test
    void encodingIsDeterministic() {
        Object[] key = {Long.MIN_VALUE, "😀", new BigDecimal("1.50"), -0.0, Double.NaN, bytes(1, 2, 3), true,
            LocalDate.of(1900, 1, 1), LocalTime.of(1, 2, 3, 4), LocalDateTime.of(2300, 1, 1, 0, 0, 0, 5), null,
            BigInteger.TEN.pow(30)};
        byte[] first = ValueCodec.encodeKey(key);
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(first, ValueCodec.encodeKey(key.clone()));
            assertArrayEquals(first, ValueCodec.encodeKey(Arrays.asList(key)));
        }
    }

    @Test
    void equivalentJavaTypesEncodeTheSame() {
        java.sql.Timestamp ts = java.sql.Timestamp.valueOf(LocalDateTime.of(2026, 2, 3, 4, 5, 6, 7));
        assertArrayEquals(ValueCodec.encodeKey(ts.toInstant()), ValueCodec.encodeKey(ts));
        java.sql.Date d = java.sql.Date.valueOf("2026-02-03");
        assertArrayEquals(ValueCodec.encodeKey(Instant.ofEpochMilli(d.getTime())), ValueCodec.encodeKey(d));
        assertArrayEquals(ValueCodec.encodeKey("c"), ValueCodec.encodeKey('c'));
    }

    /** The exact bytes are shared between devices and versions: these must never change. */
    @Test
    void wireFormatIsStable() {
        assertArrayEquals(bytes(1, 0x00), ValueCodec.encodeKey((Object) null));
        assertArrayEquals(bytes(1, 0x01, 0x00), ValueCodec.encodeKey(0L));
        assertArrayEquals(bytes(1, 0x01, 0x02), ValueCodec.encodeKey(1L));
        assertArrayEquals(bytes(1, 0x01, 0x01), ValueCodec.encodeKey(-1L));
        assertArrayEquals(bytes(1, 0x01, 0xAC, 0x02), ValueCodec.encodeKey(150L));
        assertArrayEquals(bytes(1, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
                ValueCodec.encodeKey(Long.MIN_VALUE));
        assertArrayEquals(bytes(1, 0x02, 9, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0),
                ValueCodec.encodeKey(BigInteger.ONE.shiftLeft(63)));
        assertArrayEquals(bytes(1, 0x03, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0), ValueCodec.encodeKey(1.0));
        assertArrayEquals(bytes(1, 0x03, 0x80, 0, 0, 0, 0, 0, 0, 0), ValueCodec.encodeKey(-0.0));
        assertArrayEquals(bytes(1, 0x04, 0x04, 0x02, 0x00, 0x96), ValueCodec.encodeKey(new BigDecimal("1.50")));
        assertArrayEquals(bytes(1, 0x04, 0x05, 0x01, 0x01), ValueCodec.encodeKey(new BigDecimal("1E+3")));
        assertArrayEquals(bytes(1, 0x05, 0x02, 0xC3, 0xA9), ValueCodec.encodeKey("é"));
        assertArrayEquals(bytes(1, 0x06, 0x02, 0x01, 0x02), ValueCodec.encodeKey((Object) bytes(1, 2)));
        assertArrayEquals(bytes(1, 0x0B, 0x03, 0x05), ValueCodec.encodeKey(Instant.ofEpochSecond(-2, 5)));
        assertArrayEquals(bytes(1, 0x0C, 0x03), ValueCodec.encodeKey(Duration.ofNanos(-2)));
        assertArrayEquals(bytes(1, 0x07, 0x01), ValueCodec.encodeKey(true));
        assertArrayEquals(bytes(1, 0x07, 0x00), ValueCodec.encodeKey(false));
        assertArrayEquals(bytes(1, 0x08, 0x02), ValueCodec.encodeKey(LocalDate.of(1970, 1, 2)));
        assertArrayEquals(bytes(1, 0x08, 0x01), ValueCodec.encodeKey(LocalDate.of(1969, 12, 31)));
        assertArrayEquals(bytes(1, 0x09, 0x05), ValueCodec.encodeKey(LocalTime.ofNanoOfDay(5)));
        assertArrayEquals(bytes(1, 0x0A, 0x02, 0x07), ValueCodec.encodeKey(LocalDateTime.of(1970, 1, 1, 0, 0, 1, 7)));
        assertArrayEquals(bytes(2, 0x01, 0x02, 0x05, 0x01, 0x61), ValueCodec.encodeKey(1L, "a"));
        assertArrayEquals(bytes(1, 0x01, 0x61, 0x01, 0x02), ValueCodec.encodeRow(List.of("a"), List.of(1L)));
    }

    // ---- corrupt input ----

    static void assertCorrupt(byte[] input) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ValueCodec.decodeKey(input),
                () -> "input " + Arrays.toString(input));
        assertTrue(e.getMessage().startsWith("corrupt value encoding: "), e.getMessage());
    }

    static void assertCorruptRow(byte[] input) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ValueCodec.decodeRow(input),
                () -> "input " + Arrays.toString(input));
        assertTrue(e.getMessage().startsWith("corrupt value encoding: "), e.getMessage());
    }

    @Test
    void emptyInputIsCorrupt() {
        assertCorrupt(new byte[0]);
        assertCorruptRow(new byte[0]);
    }

    @Test
    void everyTruncationIsCorrupt() {
        byte[] key = ValueCodec.encodeKey(Long.MIN_VALUE, "héllo 😀", new BigDecimal("-1.50"), 2.5, bytes(1, 2, 3), true,
                LocalDate.of(1900, 1, 1), LocalTime.of(1, 2, 3, 4), LocalDateTime.of(2300, 1, 1, 0, 0, 0, 5), null,
                BigInteger.TEN.pow(30));
        for (int length = 0; length < key.length; length++) {
            assertCorrupt(Arrays.copyOf(key, length));
        }
        byte[] row = ValueCodec.encodeRow(List.of("id", "name"), List.of(1L, "x"));
        for (int length = 0; length < row.length; length++) {
            assertCorruptRow(Arrays.copyOf(row, length));
        }
    }

    @Test
    void trailingBytesAreCorrupt() {
        assertCorrupt(bytes(1, 0x01, 0x02, 0x00));
        assertCorruptRow(bytes(0, 0));
    }

    @Test
    void unknownTagIsCorrupt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ValueCodec.decodeKey(bytes(1, 0x0D)));
        assertTrue(e.getMessage().startsWith("corrupt value encoding: unknown value tag 13"), e.getMessage());
        assertCorrupt(bytes(1, 0xFF));
        assertCorrupt(bytes(1, 0x7F));
    }

    @Test
    void malformedPayloadsAreCorrupt() {
        // count far beyond the input
        assertCorrupt(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00));
        assertCorruptRow(bytes(0x05, 0x01, 0x61, 0x00));
        // varint of 11 bytes and varint overflowing 64 bits
        assertCorrupt(bytes(1, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00));
        assertCorrupt(bytes(1, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02));
        // text and blob lengths beyond the input, also a negative length
        assertCorrupt(bytes(1, 0x05, 0x05, 0x61));
        assertCorrupt(bytes(1, 0x06, 0x7F));
        assertCorrupt(bytes(1, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01));
        // empty two's-complement numbers
        assertCorrupt(bytes(1, 0x02, 0x00));
        assertCorrupt(bytes(1, 0x04, 0x00, 0x00));
        // decimal scale outside int
        assertCorrupt(bytes(1, 0x04, 0x80, 0x80, 0x80, 0x80, 0x20, 0x01, 0x01));
        // boolean other than 0 or 1
        assertCorrupt(bytes(1, 0x07, 0x02));
        // date, time and timestamp out of range
        assertCorrupt(bytes(1, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01));
        assertCorrupt(bytes(1, 0x09, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01));
        assertCorrupt(bytes(1, 0x09, 0x80, 0x80, 0xBC, 0x8A, 0xC9, 0xD2, 0x13));
        assertCorrupt(bytes(1, 0x0A, 0x00, 0x80, 0x94, 0xEB, 0xDC, 0x03));
        assertCorrupt(bytes(1, 0x0A, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00));
        // column name length beyond the input
        assertCorruptRow(bytes(1, 0x09, 0x61, 0x00));
    }

    @Test
    void randomGarbageNeverFailsOtherwise() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] garbage = new byte[random.nextInt(40)];
            random.nextBytes(garbage);
            try {
                ValueCodec.decodeKey(garbage);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("corrupt value encoding: "), e.getMessage());
            }
            try {
                ValueCodec.decodeRow(garbage);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("corrupt value encoding: "), e.getMessage());
            }
        }
    }
}
