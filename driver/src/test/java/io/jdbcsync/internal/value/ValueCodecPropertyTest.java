package io.jdbcsync.internal.value;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class ValueCodecPropertyTest {

    @Property
    void longsRoundTrip(@ForAll long value) {
        assertEquals(value, ValueCodec.decodeKey(ValueCodec.encodeKey(value))[0]);
    }

    @Property
    void bigIntegersRoundTripAndUseLongWhenTheyFit(@ForAll("bigIntegers") BigInteger value) {
        Object back = ValueCodec.decodeKey(ValueCodec.encodeKey(value))[0];
        if (value.bitLength() < 64) {
            assertEquals(value.longValue(), back);
        } else {
            assertEquals(value, back);
        }
    }

    @Property
    void doublesRoundTripBitExactly(@ForAll("anyDoubleBits") double value) {
        Double back = (Double) ValueCodec.decodeKey(ValueCodec.encodeKey(value))[0];
        assertEquals(Double.doubleToLongBits(value), Double.doubleToLongBits(back));
    }

    @Property
    void decimalsRoundTripWithScale(@ForAll("decimals") BigDecimal value) {
        BigDecimal back = (BigDecimal) ValueCodec.decodeKey(ValueCodec.encodeKey(value))[0];
        assertEquals(value, back);
        assertEquals(value.scale(), back.scale());
    }

    @Property
    void textMatchesTheJdkUtf8Encoder(@ForAll("anyText") String value) {
        byte[] encoded = ValueCodec.encodeKey(value);
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(utf8, Arrays.copyOfRange(encoded, encoded.length - utf8.length, encoded.length));
        assertEquals(new String(utf8, StandardCharsets.UTF_8), ValueCodec.decodeKey(encoded)[0]);
    }

    @Property
    void validTextRoundTripsExactly(@ForAll("validText") String value) {
        assertEquals(value, ValueCodec.decodeKey(ValueCodec.encodeKey(value))[0]);
    }

    @Property
    void blobsRoundTrip(@ForAll @Size(max = 300) byte[] value) {
        assertArrayEquals(value, (byte[]) ValueCodec.decodeKey(ValueCodec.encodeKey((Object) value))[0]);
    }

    @Property
    void temporalsRoundTrip(@ForAll("dates") LocalDate date, @ForAll("times") LocalTime time) {
        LocalDateTime dateTime = LocalDateTime.of(date, time);
        Object[] back = ValueCodec.decodeKey(ValueCodec.encodeKey(date, time, dateTime));
        assertEquals(date, back[0]);
        assertEquals(time, back[1]);
        assertEquals(dateTime, back[2]);
    }

    @Property(tries = 300)
    void mixedRowsRoundTripDeterministically(@ForAll("rows") List<Object> values) {
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            columns.add("c" + i + "_é");
        }
        byte[] encoded = ValueCodec.encodeRow(columns, values);
        assertArrayEquals(encoded, ValueCodec.encodeRow(columns, new ArrayList<>(values)));
        Row row = ValueCodec.decodeRow(encoded);
        assertEquals(columns, row.columns());
        for (int i = 0; i < values.size(); i++) {
            assertSameValue(values.get(i), row.values().get(i));
        }
        Object[] key = ValueCodec.decodeKey(ValueCodec.encodeKey(values));
        for (int i = 0; i < values.size(); i++) {
            assertSameValue(values.get(i), key[i]);
        }
    }

    @Property(tries = 300)
    void everyStrictPrefixIsCorrupt(@ForAll("rows") List<Object> values) {
        byte[] encoded = ValueCodec.encodeKey(values);
        for (int length = 0; length < encoded.length; length++) {
            byte[] prefix = Arrays.copyOf(encoded, length);
            try {
                ValueCodec.decodeKey(prefix);
                fail("decoded a truncated key of " + length + " of " + encoded.length + " bytes");
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("corrupt value encoding: "), e.getMessage());
            }
        }
    }

    @Property(tries = 2000)
    void garbageFailsOnlyWithCorruptEncoding(@ForAll @Size(max = 64) byte[] garbage) {
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

    @Property(tries = 300)
    void flippedBytesFailOnlyWithCorruptEncoding(@ForAll("rows") List<Object> values, @ForAll int position, @ForAll byte xor) {
        byte[] encoded = ValueCodec.encodeKey(values);
        encoded[Math.floorMod(position, encoded.length)] ^= xor;
        try {
            ValueCodec.decodeKey(encoded);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("corrupt value encoding: "), e.getMessage());
        }
    }

    @Property(tries = 2000)
    void checkRowRefusesWhatDecodeRowRefuses(@ForAll("rows") List<Object> values, @ForAll int position, @ForAll byte xor,
                                            @ForAll @Size(max = 64) byte[] garbage) {
        List<String> names = names(values.size());
        byte[] row = ValueCodec.encodeRow(names, values);
        byte[] flipped = flipped(row, position, xor);
        for (byte[] bytes : List.of(row, flipped, garbage, Arrays.copyOf(row, Math.floorMod(position, row.length)))) {
            String decoded = null;
            try {
                ValueCodec.decodeRow(bytes);
            } catch (IllegalArgumentException e) {
                decoded = e.getMessage();
            }
            String checked = null;
            try {
                ValueCodec.checkRow(bytes);
            } catch (IllegalArgumentException e) {
                checked = e.getMessage();
            }
            assertEquals(decoded == null, checked == null, "decodeRow: " + decoded + ", checkRow: " + checked);
        }
    }

    @Property(tries = 500)
    void rowReaderDecodesWhatDecodeRowDecodes(@ForAll("rows") List<Object> values, @ForAll int position, @ForAll byte xor,
                                              @ForAll boolean renamed) {
        RowReader reader = new RowReader();
        List<String> names = names(values.size());
        byte[] row = ValueCodec.encodeRow(names, values);
        byte[] flipped = flipped(row, position, xor);
        List<String> other = new ArrayList<>(names);
        if (renamed && !other.isEmpty()) {
            other.set(Math.floorMod(position, other.size()), "d");
        }
        // Same names again (the names list is shared), a damaged row, other names, then the first names again.
        for (byte[] bytes : List.of(row, row, flipped, ValueCodec.encodeRow(other, values), row)) {
            Row expected = null;
            String refused = null;
            try {
                expected = ValueCodec.decodeRow(bytes);
            } catch (IllegalArgumentException e) {
                refused = e.getMessage();
            }
            Row actual = null;
            try {
                actual = reader.decode(bytes);
                assertTrue(refused == null, "decodeRow refused what the reader read: " + refused);
            } catch (IllegalArgumentException e) {
                assertEquals(refused, e.getMessage());
            }
            if (expected != null) {
                assertEquals(expected.columns(), actual.columns());
                assertEquals(expected.values().size(), actual.values().size());
                for (int i = 0; i < expected.values().size(); i++) {
                    assertSameValue(expected.values().get(i), actual.values().get(i));
                }
            }
        }
    }

    private static void assertSameValue(Object expected, Object actual) {
        if (expected instanceof byte[]) {
            assertArrayEquals((byte[]) expected, (byte[]) actual);
        } else if (expected instanceof Double) {
            assertEquals(Double.doubleToLongBits((Double) expected), Double.doubleToLongBits((Double) actual));
        } else if (expected instanceof BigDecimal) {
            assertEquals(expected, actual);
            assertEquals(((BigDecimal) expected).scale(), ((BigDecimal) actual).scale());
        } else {
            assertTrue(Objects.equals(expected, actual), expected + " vs " + actual);
        }
    }

    @Provide
    Arbitrary<BigInteger> bigIntegers() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40).map(BigInteger::new);
    }

    @Provide
    Arbitrary<Double> anyDoubleBits() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(Double::longBitsToDouble),
                Arbitraries.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        Double.MIN_VALUE, Double.MAX_VALUE));
    }

    @Provide
    Arbitrary<BigDecimal> decimals() {
        return Combinators.combine(bigIntegers(), Arbitraries.integers().between(-40, 40)).as(BigDecimal::new);
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.strings().all().ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> validText() {
        Arbitrary<Integer> codePoints = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
        return codePoints.list().ofMaxSize(30).map(list -> {
            StringBuilder sb = new StringBuilder();
            list.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    @Provide
    Arbitrary<LocalDate> dates() {
        return Arbitraries.longs().between(LocalDate.MIN.toEpochDay(), LocalDate.MAX.toEpochDay()).map(LocalDate::ofEpochDay);
    }

    @Provide
    Arbitrary<LocalTime> times() {
        return Arbitraries.longs().between(0, LocalTime.MAX.toNanoOfDay()).map(LocalTime::ofNanoOfDay);
    }

    @Provide
    Arbitrary<List<Object>> rows() {
        Arbitrary<Object> value = Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.longs().map(Object.class::cast),
                bigIntegers().filter(b -> b.bitLength() >= 64).map(Object.class::cast),
                anyDoubleBits().map(Object.class::cast),
                decimals().map(Object.class::cast),
                validText().map(Object.class::cast),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(50).map(Object.class::cast),
                Arbitraries.of(true, false).map(Object.class::cast),
                dates().map(Object.class::cast),
                times().map(Object.class::cast),
                Combinators.combine(dates(), times()).as(LocalDateTime::of).map(Object.class::cast),
                Arbitraries.longs().between(-5_000_000_000L, 5_000_000_000L)
                        .map(s -> (Object) LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC)));
        return value.list().ofMaxSize(12);
    }

    /** Column names c0, c1, ... */
    private static List<String> names(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("c" + i);
        }
        return names;
    }

    /** A copy of {@code row} with one byte changed. */
    private static byte[] flipped(byte[] row, int position, byte xor) {
        byte[] flipped = row.clone();
        flipped[Math.floorMod(position, flipped.length)] ^= xor;
        return flipped;
    }
}
