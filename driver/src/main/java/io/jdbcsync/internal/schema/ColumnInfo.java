package io.jdbcsync.internal.schema;

import io.jdbcsync.internal.value.ColumnKind;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * A column of an app table as the database reports it.
 *
 * @param hasDefault true when an omitted value is filled by the database with something other
 *                   than NULL (so an insert that omits it must be read back to log the stored value)
 * @param scale      digits after the point the database keeps of DECIMAL, TIMESTAMP and TIME values
 *                   (rounding decimals, cutting fractions of seconds), or -1 when it keeps any value
 * @param narrow     an INTEGER column too small for the 63-bit keys the driver generates (MariaDB INT)
 * @param onUpdate   the database sets it itself whenever the row changes (ON UPDATE CURRENT_TIMESTAMP)
 * @param nullable   the column takes NULL
 * @param declared   the type as JDBC metadata gives it, {@code TYPE_NAME(COLUMN_SIZE[,DECIMAL_DIGITS])}
 *                   ({@code INT UNSIGNED(10,0)}, {@code DECIMAL(5,2)}, {@code DOUBLE(22)}), or "" when unknown
 */
public record ColumnInfo(String name, ColumnKind kind, boolean autoIncrement, boolean hasDefault, int scale,
                         boolean narrow, boolean onUpdate, boolean nullable, String declared) {

    public ColumnInfo(String name, ColumnKind kind, boolean autoIncrement, boolean hasDefault) {
        this(name, kind, autoIncrement, hasDefault, -1, false, false);
    }

    public ColumnInfo(String name, ColumnKind kind, boolean autoIncrement, boolean hasDefault, int scale,
                      boolean narrow, boolean onUpdate) {
        this(name, kind, autoIncrement, hasDefault, scale, narrow, onUpdate, true, "");
    }

    /** A canonical value as this column stores it, so a bound value logs as it will read back. */
    public Object fit(Object value) {
        if (kind == ColumnKind.TEXT && (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte)) {
            return value.toString(); // a text column keeps a bound whole number as its digits
        }
        if (scale < 0) {
            return value;
        }
        if (value instanceof BigDecimal d && kind == ColumnKind.DECIMAL) {
            return d.setScale(scale, RoundingMode.HALF_UP);
        }
        if (value instanceof LocalDateTime t && kind == ColumnKind.TIMESTAMP) {
            return t.withNano(cut(t.getNano()));
        }
        if (value instanceof Instant t && kind == ColumnKind.INSTANT) {
            return Instant.ofEpochSecond(t.getEpochSecond(), cut(t.getNano()));
        }
        if (value instanceof LocalTime t && kind == ColumnKind.TIME) {
            return t.withNano(cut(t.getNano()));
        }
        return value;
    }

    private int cut(int nanos) {
        int unit = (int) Math.pow(10, 9 - Math.min(9, scale));
        return nanos - nanos % unit;
    }
}
