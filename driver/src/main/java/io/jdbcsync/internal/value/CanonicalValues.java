package io.jdbcsync.internal.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns what an application bound, or what a driver returned, into the one Java value that stands
 * for it in a column of a given kind. SQLite and MariaDB hand back the same logical value as
 * different Java types (a date as epoch milliseconds or as a {@code java.sql.Date}, a boolean as
 * 1 or as {@code true}); only the canonical value encodes to the same bytes everywhere.
 *
 * <p>An unexpected combination is never an error: the value is returned unchanged, and the
 * encoding then stores it as whatever it is.
 */
final class CanonicalValues {

    private static final double TWO_POW_63 = 0x1p63;

    private CanonicalValues() {
    }

    static Object canonical(Object value, ColumnKind kind) {
        if (value == null || kind == null) {
            return value;
        }
        try {
            switch (kind) {
                case INTEGER: return toInteger(value);
                case REAL: return toReal(value);
                case DECIMAL: return toDecimal(value);
                case TEXT: return toText(value);
                case BOOLEAN: return toBoolean(value);
                case DATE: return toDate(value);
                case TIME: return toTime(value);
                case TIMESTAMP: return toTimestamp(value);
                case INSTANT: return toInstant(value);
                default: return value;
            }
        } catch (ArithmeticException | NumberFormatException | DateTimeException e) {
            // Out-of-range or unparseable input: leave it for the encoding to store as it is.
            return value;
        }
    }

    private static Object toInteger(Object value) {
        if (value instanceof Long) {
            return value;
        }
        if (isSmallIntegral(value)) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger) {
            BigInteger big = (BigInteger) value;
            return big.bitLength() < 64 ? (Object) big.longValue() : value;
        }
        if (value instanceof BigDecimal) {
            // Throws (and so leaves the value) for a fraction or out of range.
            return ((BigDecimal) value).longValueExact();
        }
        if (value instanceof Double || value instanceof Float) {
            // SQLite stores an integral REAL in an INTEGER column as an integer; do the same.
            double d = ((Number) value).doubleValue();
            return d == Math.rint(d) && d >= -TWO_POW_63 && d < TWO_POW_63 ? (Object) (long) d : value;
        }
        if (value instanceof Boolean) {
            return (Boolean) value ? 1L : 0L;
        }
        if (value instanceof String && isIntegerLiteral((String) value)) {
            return Long.parseLong((String) value);
        }
        return value;
    }

    private static Object toReal(Object value) {
        if (value instanceof Double) {
            return value;
        }
        if (value instanceof Float) {
            return widen((Float) value);
        }
        if (value instanceof Number) {
            return ((Number) value).doubleValue();
        }
        return value;
    }

    private static Object toDecimal(Object value) {
        if (value instanceof BigDecimal) {
            return value;
        }
        if (isSmallIntegral(value) || value instanceof Long) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger) {
            return new BigDecimal((BigInteger) value);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = value instanceof Float ? widen((Float) value) : (Double) value;
            // valueOf uses the shortest decimal that reads back as the double: 0.1 stays 0.1.
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : value;
        }
        if (value instanceof String) {
            return new BigDecimal((String) value);
        }
        return value;
    }

    private static Object toText(Object value) {
        if (value instanceof Character || value instanceof UUID) {
            return value.toString();
        }
        return value;
    }

    private static Object toBoolean(Object value) {
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number) {
            int bit = zeroOrOne((Number) value);
            return bit < 0 ? value : (Object) (bit == 1);
        }
        if (value instanceof String) {
            String s = (String) value;
            if (s.equalsIgnoreCase("true") || s.equals("1")) {
                return Boolean.TRUE;
            }
            if (s.equalsIgnoreCase("false") || s.equals("0")) {
                return Boolean.FALSE;
            }
        }
        return value;
    }

    // Temporal kinds: no conversion reads the JVM's default zone. Epoch numbers are taken at UTC;
    // the legacy java.util.Date family stays as it is (its date and time of day exist only in a zone).

    private static Object toDate(Object value) {
        if (value instanceof LocalDate) {
            return value;
        }
        if (value instanceof Long || value instanceof Integer) {
            return Temporals.fromEpochMillis(((Number) value).longValue()).toLocalDate();
        }
        if (value instanceof String) {
            LocalDateTime parsed = parseDateTime((String) value);
            return parsed == null ? value : parsed.toLocalDate();
        }
        // A date-time stored into a DATE column keeps its date, as MariaDB does.
        if (value instanceof LocalDateTime) {
            return ((LocalDateTime) value).toLocalDate();
        }
        if (value instanceof Instant) {
            return LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC).toLocalDate();
        }
        return value;
    }

    private static Object toTime(Object value) {
        if (value instanceof LocalTime) {
            return value;
        }
        if (value instanceof Duration) {
            return Temporals.timeValue((Duration) value);
        }
        if (value instanceof Long || value instanceof Integer) {
            return Temporals.fromEpochMillis(((Number) value).longValue()).toLocalTime();
        }
        if (value instanceof String) {
            String s = (String) value;
            Object time = Temporals.parseTime(s);
            if (time != null) {
                return time;
            }
            LocalDateTime parsed = parseDateTime(s);
            return parsed == null ? value : parsed.toLocalTime();
        }
        if (value instanceof LocalDateTime) {
            return ((LocalDateTime) value).toLocalTime();
        }
        return value;
    }

    /** A wall-clock date-time (SQL DATETIME). */
    private static Object toTimestamp(Object value) {
        if (value instanceof LocalDateTime) {
            return value;
        }
        if (value instanceof Long || value instanceof Integer) {
            return Temporals.fromEpochMillis(((Number) value).longValue());
        }
        if (value instanceof String) {
            LocalDateTime parsed = parseDateTime((String) value);
            return parsed == null ? value : parsed;
        }
        if (value instanceof LocalDate) {
            return ((LocalDate) value).atStartOfDay();
        }
        if (value instanceof Instant || value instanceof OffsetDateTime || value instanceof ZonedDateTime) {
            return Temporals.toUtcDateTime(value);
        }
        return value;
    }

    /** An instant (MariaDB TIMESTAMP): wall-clock values without an offset are taken at UTC. */
    private static Object toInstant(Object value) {
        if (value instanceof Instant) {
            return value;
        }
        if (value instanceof Long || value instanceof Integer) {
            return Instant.ofEpochMilli(((Number) value).longValue());
        }
        if (value instanceof String) {
            LocalDateTime parsed = parseDateTime((String) value);
            return parsed == null ? value : parsed.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof LocalDateTime) {
            return ((LocalDateTime) value).toInstant(ZoneOffset.UTC);
        }
        if (value instanceof LocalDate) {
            return ((LocalDate) value).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        Instant instant = Temporals.toInstant(value);
        return instant == null ? value : instant;
    }

    /**
     * Parses "yyyy-MM-dd", "yyyy-MM-dd HH:mm[:ss[.fffffffff]]", the same with 'T', and ISO
     * date-times with an offset (taken at UTC, like {@link OffsetDateTime} values). Returns null
     * for anything else; a quick shape check first keeps ordinary text away from the parser.
     */
    private static LocalDateTime parseDateTime(String s) {
        if (s.length() < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return null;
        }
        if (s.length() == 10) {
            return LocalDate.parse(s).atStartOfDay();
        }
        char separator = s.charAt(10);
        if (separator != ' ' && separator != 'T') {
            return null;
        }
        String iso = separator == 'T' ? s : s.substring(0, 10) + 'T' + s.substring(11);
        char last = iso.charAt(iso.length() - 1);
        if (last == 'Z' || iso.indexOf('+', 11) > 0 || iso.indexOf('-', 11) > 0) {
            return OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        return LocalDateTime.parse(iso);
    }

    private static boolean isSmallIntegral(Object value) {
        return value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof AtomicInteger || value instanceof AtomicLong;
    }

    /** An optional sign and 1 to 19 digits; longer ones would not fit and are left as text. */
    private static boolean isIntegerLiteral(String s) {
        int length = s.length();
        int start = length > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
        if (length == start || length - start > 19) {
            return false;
        }
        for (int i = start; i < length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** 0 or 1 if the number is exactly that, else -1. */
    private static int zeroOrOne(Number n) {
        if (n instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) n;
            return d.signum() == 0 ? 0 : d.compareTo(BigDecimal.ONE) == 0 ? 1 : -1;
        }
        if (n instanceof BigInteger) {
            BigInteger i = (BigInteger) n;
            return i.signum() == 0 ? 0 : i.equals(BigInteger.ONE) ? 1 : -1;
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            return d == 0 ? 0 : d == 1 ? 1 : -1;
        }
        if (n instanceof Long || isSmallIntegral(n)) {
            long l = n.longValue();
            return l == 0 ? 0 : l == 1 ? 1 : -1;
        }
        // An unknown Number type might round in longValue(): do not guess.
        return -1;
    }

    /** Widens through the decimal form, so 0.1f becomes 0.1 and not 0.10000000149011612. */
    static double widen(float f) {
        return Double.parseDouble(Float.toString(f));
    }
}
