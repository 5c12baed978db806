package io.jdbcsync.internal.dialect;

import io.jdbcsync.internal.value.ColumnKind;
import io.jdbcsync.internal.value.Temporals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * SQLite values are facts in one of five storage classes (NULL, INTEGER, REAL, TEXT, BLOB), kept
 * whatever the declared type says. The log holds them as Long, Double, String, byte[] or null, and
 * they are bound back through the setter of the same class, so every SQLite device stores the same
 * bytes. Values from a MariaDB device (dates, decimals, booleans) are mapped by a fixed table.
 */
final class SqliteStorage {

    /**
     * A superset of what SQLite's NUMERIC/INTEGER/REAL affinity turns from TEXT into a number
     * (surrounding white space, sign, digits, point, exponent): such text is read back instead.
     */
    private static final Pattern MAYBE_NUMERIC =
            Pattern.compile("[\\s\\x0B]*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?[\\s\\x0B]*");
    private static final double TWO_POW_53 = 0x1p53;
    private static final BigDecimal TWO_POW_53_DECIMAL = BigDecimal.valueOf(1L << 53);

    private SqliteStorage() {
    }

    /** The storage-class value the xerial driver binds for an app's value, or null when not one of the plain types. */
    private static Object bound(Object value) {
        if (value instanceof Long || value instanceof String || value instanceof byte[] || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (value instanceof Float f) {
            return (double) f; // the driver binds the float's exact double value
        }
        if (value instanceof BigDecimal d) {
            return d.toString(); // bound as its text
        }
        return null;
    }

    /**
     * What a column of this kind (the kind tells the affinity, see
     * {@link ColumnKind#fromSqliteDeclaredType}) stores for a value the app bound, or
     * {@link Dialect#NOT_KNOWN}: affinity conversions that only SQLite itself can do exactly
     * (numeric-looking text, reals in text or integer columns) are read back.
     */
    static Object asStored(Object value, ColumnKind kind) {
        if (value == null) {
            return null;
        }
        ColumnKind affinity = affinity(kind);
        if (value instanceof BigDecimal d && affinity != ColumnKind.TEXT && affinity != ColumnKind.BLOB) {
            return numericText(d, affinity);
        }
        Object v = bound(value);
        if (v == null) {
            // Dates, times, big integers, UUIDs...: the driver's conversion depends on its settings.
            return Dialect.NOT_KNOWN;
        }
        if (v instanceof byte[]) {
            return v;
        }
        switch (affinity) {
            case TEXT:
                return v instanceof Long ? v.toString() : v instanceof String ? v : Dialect.NOT_KNOWN;
            case BLOB:
                return v instanceof Double d && (d.isNaN() || isNegativeZero(d)) ? Dialect.NOT_KNOWN : v;
            case REAL:
                if (v instanceof Long l) {
                    return Math.abs((double) l) <= TWO_POW_53 ? (Object) (double) l : Dialect.NOT_KNOWN;
                }
                if (v instanceof Double d) {
                    return d.isNaN() || isNegativeZero(d) ? Dialect.NOT_KNOWN : d;
                }
                return MAYBE_NUMERIC.matcher((String) v).matches() ? Dialect.NOT_KNOWN : v;
            default: // INTEGER, NUMERIC
                if (v instanceof Long) {
                    return v;
                }
                if (v instanceof Double d) {
                    // Integral reals become integers, NaN becomes NULL: SQLite decides.
                    return d.isNaN() || d == Math.rint(d) ? Dialect.NOT_KNOWN : d;
                }
                return MAYBE_NUMERIC.matcher((String) v).matches() ? Dialect.NOT_KNOWN : v;
        }
    }

    /**
     * A decimal bound as its text into a numeric column: an integral value that fits becomes
     * INTEGER (REAL in a REAL column), one of at most 15 significant digits the REAL nearest to it
     * (the parse is exact there); zero (its sign) and the rest are left to SQLite.
     */
    private static Object numericText(BigDecimal d, ColumnKind affinity) {
        if (d.signum() == 0) {
            return Dialect.NOT_KNOWN;
        }
        if (d.scale() > 0 && d.scale() < POWERS_OF_TEN.length && d.precision() <= 18) {
            return smallNumericText(d.unscaledValue().longValue(), d.scale(), affinity);
        }
        BigDecimal stripped = d.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            // Plain digits parse as an integer; with a point or exponent SQLite goes through a
            // double, exact only below 2^53.
            int digits = stripped.precision() - stripped.scale();
            if (d.scale() == 0 ? digits > 18 : stripped.abs().compareTo(TWO_POW_53_DECIMAL) >= 0) {
                return Dialect.NOT_KNOWN;
            }
            long l = stripped.longValueExact();
            return affinity == ColumnKind.REAL ? (Object) (double) l : (Object) l;
        }
        return stripped.precision() <= 15 ? (Object) nearestDouble(stripped) : Dialect.NOT_KNOWN;
    }

    /**
     * {@link #numericText} of a nonzero decimal {@code unscaled / 10^scale} with a point ({@code
     * scale > 0}) whose digits fit a long: the same answers from the long alone, without a new
     * decimal per value (a batch binds one per row).
     */
    private static Object smallNumericText(long unscaled, int scale, ColumnKind affinity) {
        while (scale > 0 && unscaled % 10 == 0) {
            unscaled /= 10;
            scale--;
        }
        if (scale == 0) {
            // Integral, written with a point: SQLite parses it as a double, exact below 2^53.
            if (Math.abs(unscaled) >= 1L << 53) {
                return Dialect.NOT_KNOWN;
            }
            return affinity == ColumnKind.REAL ? (Object) (double) unscaled : (Object) unscaled;
        }
        return Math.abs(unscaled) < 1_000_000_000_000_000L ? (Object) (unscaled / POWERS_OF_TEN[scale]) : Dialect.NOT_KNOWN;
    }

    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /**
     * The double nearest to a decimal of at most 15 digits, as parsing its text gives, without
     * the text: below 2^53 the digits and a power of ten up to 10^22 are exact doubles, so their
     * quotient is rounded once, to the nearest.
     */
    private static double nearestDouble(BigDecimal d) {
        int scale = d.scale();
        if (scale < 0 || scale >= POWERS_OF_TEN.length) {
            return d.doubleValue();
        }
        return d.unscaledValue().longValue() / POWERS_OF_TEN[scale];
    }

    /**
     * The divisor of epoch milliseconds the SQLite driver stores a java.util.Date as INTEGER with
     * on this connection (1, or 1000 with {@code date_precision=SECONDS}); 0 when it stores dates
     * otherwise ({@code date_class=TEXT/REAL}) or the connection is not the xerial driver's.
     */
    static long integerDateDivisor(java.sql.Connection connection) {
        try {
            if (connection != null && connection.isWrapperFor(org.sqlite.SQLiteConnection.class)) {
                org.sqlite.SQLiteConnectionConfig config =
                        connection.unwrap(org.sqlite.SQLiteConnection.class).getConnectionConfig();
                if (config.getDateClass() == org.sqlite.SQLiteConfig.DateClass.INTEGER) {
                    return config.getDateMultiplier();
                }
            }
        } catch (SQLException | LinkageError e) {
            // Not the driver we know: read the stored value back instead.
        }
        return 0;
    }

    private static boolean isNegativeZero(double d) {
        return d == 0 && Double.doubleToRawLongBits(d) != 0;
    }

    /** INTEGER, REAL, TEXT, BLOB, or OTHER for NUMERIC. */
    private static ColumnKind affinity(ColumnKind kind) {
        switch (kind) {
            case INTEGER:
            case REAL:
            case TEXT:
            case BLOB:
                return kind;
            default:
                return ColumnKind.OTHER;
        }
    }

    /** A value read from SQLite (its storage class) as the log records it. */
    static Object logged(Object read) {
        return read instanceof Integer i ? (Object) i.longValue() : read;
    }

    /**
     * "yyyy-MM-dd HH:mm:ss.SSS", the SQLite JDBC driver's default date text (so the app's
     * {@code getDate}/{@code getTime}/{@code getTimestamp} read it in any zone, and SQLite's date
     * functions too), with more fraction digits only when the value has them.
     */
    static String text(LocalDateTime t) {
        String s = Temporals.format(t);
        return t.getNano() == 0 ? s + ".000" : s;
    }

    /**
     * Binds a value from the log with the setter of its storage class. Values only another
     * database logs become TEXT (dates and times as {@link #text}, instants at UTC, a TIME beyond
     * a day as "[-]h:mm:ss"), booleans INTEGER 0/1, decimals their text (the column's affinity then
     * applies as it would to the app's own text).
     */
    static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            ps.setLong(index, ((Number) value).longValue());
        } else if (value instanceof String s) {
            ps.setString(index, s);
        } else if (value instanceof Double d) {
            ps.setDouble(index, d);
        } else if (value instanceof byte[] b) {
            ps.setBytes(index, b);
        } else if (value instanceof Boolean b) {
            ps.setLong(index, b ? 1 : 0);
        } else if (value instanceof BigDecimal d) {
            ps.setString(index, d.toPlainString());
        } else if (value instanceof BigInteger b) {
            ps.setString(index, b.toString());
        } else if (value instanceof LocalDateTime t) {
            ps.setString(index, text(t));
        } else if (value instanceof LocalDate d) {
            ps.setString(index, text(d.atStartOfDay()));
        } else if (value instanceof LocalTime t) {
            ps.setString(index, text(LocalDate.EPOCH.atTime(t)));
        } else if (value instanceof Duration d) {
            ps.setString(index, Temporals.format(d));
        } else if (value instanceof Instant i) {
            ps.setString(index, text(LocalDateTime.ofInstant(i, ZoneOffset.UTC)));
        } else if (value instanceof Float f) {
            ps.setDouble(index, f);
        } else {
            throw new SQLException("cannot store a value of " + value.getClass().getName() + " in SQLite", "22018");
        }
    }
}
