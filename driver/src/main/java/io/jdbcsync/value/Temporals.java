package io.jdbcsync.value;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Conversions of the many Java date and time types to the three local types the encoding stores.
 * The encoding and {@link ValueCodec#canonical} share them, so both agree on every value.
 */
final class Temporals {

    private Temporals() {
    }

    /**
     * {@link java.sql.Time#toLocalTime()} drops the milliseconds a {@code Time} can carry; keep
     * them. Zone offsets are whole seconds, so the millisecond of the epoch value is the
     * millisecond of the local time.
     */
    static LocalTime toLocalTime(java.sql.Time time) {
        return time.toLocalTime().withNano((int) Math.floorMod(time.getTime(), 1000L) * 1_000_000);
    }

    /**
     * The local date-time for the instant-like and legacy types, or null for any other type:
     * a plain {@link java.util.Date} at the system default zone (the zone it is printed in),
     * zoned and offset values and {@link Instant}s at UTC.
     */
    static LocalDateTime toLocalDateTime(Object value) {
        if (value instanceof java.sql.Timestamp) {
            return ((java.sql.Timestamp) value).toLocalDateTime();
        }
        if (value instanceof java.sql.Date || value instanceof java.sql.Time) {
            return null;
        }
        if (value instanceof java.util.Date) {
            return LocalDateTime.ofInstant(((java.util.Date) value).toInstant(), ZoneId.systemDefault());
        }
        if (value instanceof OffsetDateTime) {
            return ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        if (value instanceof ZonedDateTime) {
            return LocalDateTime.ofInstant(((ZonedDateTime) value).toInstant(), ZoneOffset.UTC);
        }
        if (value instanceof Instant) {
            return LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC);
        }
        return null;
    }

    /** Epoch milliseconds, as the SQLite JDBC driver stores dates and times by default, at the system zone. */
    static LocalDateTime fromEpochMillis(long millis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.systemDefault());
    }

    static LocalDate dateFromEpochMillis(long millis) {
        return fromEpochMillis(millis).toLocalDate();
    }

    static LocalTime timeFromEpochMillis(long millis) {
        return fromEpochMillis(millis).toLocalTime();
    }
}
