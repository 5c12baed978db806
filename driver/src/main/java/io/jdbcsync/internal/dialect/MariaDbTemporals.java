package io.jdbcsync.internal.dialect;

import io.jdbcsync.internal.value.ColumnKind;
import io.jdbcsync.internal.value.Temporals;
import io.jdbcsync.internal.value.ValueCodec;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.Temporal;

/**
 * MariaDB dates and times without any time zone in between: DATETIME, DATE and TIME are wall-clock
 * values read as {@code CAST(column AS CHAR)} and written as text (negative and long TIME, every
 * fraction digit, DST gaps of the JVM's zone included); a TIMESTAMP is an instant, read as
 * {@code UNIX_TIMESTAMP(column)} (the stored UTC value, whatever the session zone) and written as
 * UTC text on the sync connection, whose session zone is UTC. Zero dates ("0000-00-00") travel as
 * their text.
 */
final class MariaDbTemporals {

    private MariaDbTemporals() {
    }

    /**
     * A DATETIME, DATE, TIME or YEAR value of a read whose columns the driver did not choose (the
     * rows of INSERT ... SELECT, the keys a WHERE selects), from Connector/J's text of it; a
     * TIMESTAMP as that text (in the session's zone).
     */
    static Object read(ResultSet rs, int index, String typeName) throws SQLException {
        String text = rs.getString(index);
        if (text == null) {
            return null;
        }
        switch (typeName) {
            case "DATETIME":
                return parseDateTime(text);
            case "DATE":
                return parseDate(text);
            case "TIME": {
                Object t = Temporals.parseTime(text);
                return t == null ? text : t;
            }
            case "YEAR":
                return Long.parseLong(text);
            default:
                return text;
        }
    }

    /** A DATETIME, DATE or TIME column selected as {@code CAST(column AS CHAR)}. */
    static Object read(ResultSet rs, int index, ColumnKind kind) throws SQLException {
        String text = rs.getString(index);
        if (text == null) {
            return null;
        }
        switch (kind) {
            case TIMESTAMP:
                return parseDateTime(text);
            case DATE:
                return parseDate(text);
            case TIME: {
                Object t = Temporals.parseTime(text);
                return t == null ? text : t;
            }
            default:
                return text;
        }
    }

    /** A TIMESTAMP column selected as UNIX_TIMESTAMP(column): seconds, with the fraction when it has one. */
    static Object readInstant(ResultSet rs, int index) throws SQLException {
        BigDecimal seconds = rs.getBigDecimal(index);
        if (seconds == null) {
            return null;
        }
        if (seconds.signum() == 0) {
            return "0000-00-00 00:00:00"; // the zero timestamp: UNIX_TIMESTAMP gives 0 for it
        }
        BigDecimal whole = seconds.setScale(0, java.math.RoundingMode.FLOOR);
        int nanos = seconds.subtract(whole).movePointRight(9).intValue();
        return Instant.ofEpochSecond(whole.longValueExact(), nanos);
    }

    private static Object parseDateTime(String text) {
        try {
            return LocalDateTime.parse(text.replace(' ', 'T'));
        } catch (DateTimeException e) {
            return text; // zero or partly zero dates
        }
    }

    private static Object parseDate(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeException e) {
            return text;
        }
    }

    /** True for DATETIME, DATE and TIME: values without a zone, which only the server's text carries exactly. */
    static boolean wallClock(ColumnKind kind) {
        return kind == ColumnKind.DATE || kind == ColumnKind.TIME || kind == ColumnKind.TIMESTAMP;
    }

    /** True for the kinds whose values the server parses or converts on its own. */
    static boolean temporal(ColumnKind kind) {
        return kind == ColumnKind.DATE || kind == ColumnKind.TIME || kind == ColumnKind.TIMESTAMP
                || kind == ColumnKind.INSTANT;
    }

    /** True for Java values whose stored form depends on the JDBC driver's zone handling. */
    static boolean temporal(Object value) {
        return value instanceof java.util.Date || value instanceof Temporal || value instanceof Duration
                || value instanceof java.util.Calendar;
    }

    /**
     * Binds a temporal value as server text. Returns false when the value is not one this handles
     * (the caller binds it as it is).
     */
    static boolean bind(PreparedStatement ps, int index, Object value, ColumnKind kind) throws SQLException {
        Object v = temporal(kind) ? ValueCodec.canonical(value, kind) : value;
        if (v instanceof Instant i) {
            // The sync session's zone is UTC: this text is the instant.
            ps.setString(index, kind == ColumnKind.DATE ? LocalDateTime.ofInstant(i, java.time.ZoneOffset.UTC)
                    .toLocalDate().toString() : Temporals.format(i));
        } else if (v instanceof LocalDateTime t) {
            ps.setString(index, kind == ColumnKind.DATE ? t.toLocalDate().toString() : Temporals.format(t));
        } else if (v instanceof LocalDate d) {
            ps.setString(index, d.toString());
        } else if (v instanceof LocalTime t) {
            ps.setString(index, Temporals.format(t));
        } else if (v instanceof Duration d) {
            ps.setString(index, Temporals.format(d));
        } else if (temporal(kind) && v instanceof String s) {
            ps.setString(index, s);
        } else {
            return false;
        }
        return true;
    }
}
