package io.jdbcsync.internal.value;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Conversions between the Java date and time types, none of which reads the JVM's default time
 * zone: an instant becomes a wall-clock value at UTC, and a wall-clock value is never turned into
 * an instant except at UTC. Values whose meaning depends on the default zone (the legacy
 * {@code java.util.Date} family read as a date or a time of day) are left as they are.
 */
public final class Temporals {

    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    private Temporals() {
    }

    /** The instant of an instant-like value, or null for any other type. */
    static Instant toInstant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.sql.Timestamp t) {
            // Timestamp.toInstant keeps the nanoseconds; no zone is involved.
            return t.toInstant();
        }
        if (value instanceof java.sql.Date || value instanceof java.sql.Time) {
            // Their toInstant() throws; the epoch value is the instant the app's zone gave them.
            return Instant.ofEpochMilli(((java.util.Date) value).getTime());
        }
        if (value instanceof java.util.Date d) {
            return d.toInstant();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        return null;
    }

    /** The UTC wall clock of an instant-like value, or null for any other type. */
    static LocalDateTime toUtcDateTime(Object value) {
        Instant i = toInstant(value);
        return i == null ? null : LocalDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    /** Epoch milliseconds (how the SQLite JDBC driver stores dates by default) as the UTC wall clock. */
    static LocalDateTime fromEpochMillis(long millis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    /**
     * A time of day when the duration lies in [0, 24h), else the duration itself (MariaDB's TIME
     * holds -838:59:59 to 838:59:59): one value, one Java form.
     */
    public static Object timeValue(Duration d) {
        long nanos = d.toNanos();
        return nanos >= 0 && nanos < NANOS_PER_DAY ? LocalTime.ofNanoOfDay(nanos) : d;
    }

    /**
     * Parses a SQL time "[-]h...h:mm:ss[.f...]" (any number of hour digits, as MariaDB prints a
     * TIME); null when the text is not one.
     */
    public static Object parseTime(String s) {
        int i = 0;
        boolean negative = s.startsWith("-");
        if (negative) {
            i = 1;
        }
        int colon = s.indexOf(':', i);
        if (colon <= i || colon + 6 > s.length() || s.charAt(colon + 3) != ':') {
            return null;
        }
        try {
            long hours = Long.parseLong(s.substring(i, colon));
            int minutes = Integer.parseInt(s.substring(colon + 1, colon + 3));
            int seconds = Integer.parseInt(s.substring(colon + 4, colon + 6));
            long nanos = 0;
            if (colon + 6 < s.length()) {
                if (s.charAt(colon + 6) != '.') {
                    return null;
                }
                String fraction = s.substring(colon + 7);
                if (fraction.isEmpty() || fraction.length() > 9 || !fraction.chars().allMatch(Character::isDigit)) {
                    return null;
                }
                nanos = Long.parseLong((fraction + "000000000").substring(0, 9));
            }
            if (hours < 0 || hours > 1_000_000 || minutes > 59 || seconds > 59) {
                return null;
            }
            Duration d = Duration.ofHours(hours).plusMinutes(minutes).plusSeconds(seconds).plusNanos(nanos);
            return timeValue(negative ? d.negated() : d);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** "yyyy-MM-dd HH:mm:ss[.f]" with the fraction only when non-zero (3, 6 or 9 digits). */
    public static String format(LocalDateTime t) {
        return t.toLocalDate() + " " + format(t.toLocalTime());
    }

    /** "HH:mm:ss[.f]", never dropping the seconds the way {@code LocalTime.toString()} does. */
    public static String format(LocalTime t) {
        StringBuilder sb = new StringBuilder(18);
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond());
        return fraction(sb, t.getNano()).toString();
    }

    /** "[-]H:mm:ss[.f]", hours unbounded. */
    public static String format(Duration d) {
        StringBuilder sb = new StringBuilder(20);
        if (d.isNegative()) {
            sb.append('-');
            d = d.negated();
        }
        sb.append(d.toHours()).append(':');
        two(sb, d.toMinutesPart()).append(':');
        two(sb, d.toSecondsPart());
        return fraction(sb, d.toNanosPart()).toString();
    }

    /** The UTC wall clock of an instant, as {@link #format(LocalDateTime)}. */
    public static String format(Instant i) {
        return format(LocalDateTime.ofInstant(i, ZoneOffset.UTC));
    }

    private static StringBuilder two(StringBuilder sb, long v) {
        return sb.append(v < 10 ? "0" : "").append(v);
    }

    private static StringBuilder fraction(StringBuilder sb, int nanos) {
        if (nanos == 0) {
            return sb;
        }
        String digits = Integer.toString(1_000_000_000 + nanos).substring(1);
        int keep = nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
        return sb.append('.').append(digits, 0, keep);
    }
}
