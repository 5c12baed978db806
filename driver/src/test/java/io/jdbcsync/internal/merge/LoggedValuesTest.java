package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.value.ValueCodec;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A value bound for a copy is the value a decoded log entry carries, type included. */
class LoggedValuesTest {

    private static Object roundTrip(Object v) {
        return ValueCodec.decodeKey(ValueCodec.encodeKey(v))[0];
    }

    @Test
    void everyValueBecomesWhatDecodingTheLogGives() {
        List<Object> values = Arrays.asList(null, 7, (short) 3, (byte) -1, 5L, 0.1f, 0.25, BigInteger.TEN,
                BigInteger.ONE.shiftLeft(70), new BigDecimal("1.50"), "text", 'c', UUID.fromString("00000000-0000-0000-0000-000000000001"),
                true, LocalDate.of(2024, 2, 29), LocalTime.of(13, 45, 30, 500), LocalDateTime.of(2024, 3, 31, 2, 30),
                Instant.ofEpochSecond(1, 5), Duration.ofHours(3), Duration.ofHours(-12).minusMillis(500), Duration.ofHours(838),
                OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(5)));
        for (Object v : values) {
            Object expected = roundTrip(v);
            Object got = LoggedValues.decoded(v);
            assertEquals(expected, got, String.valueOf(v));
            if (expected != null) {
                assertEquals(expected.getClass(), got.getClass(), String.valueOf(v));
            }
        }
        byte[] bytes = {1, 2, 3};
        assertSame(bytes, LoggedValues.decoded(bytes), "a blob passes without a copy");
        assertArrayEquals(bytes, (byte[]) roundTrip(bytes));
    }
}
