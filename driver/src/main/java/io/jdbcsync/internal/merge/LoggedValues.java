package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.schema.ColumnInfo;
import io.jdbcsync.internal.value.ValueCodec;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * The one way a logged value reaches a table: integration applying a pulled change and initial
 * sync copying or key-ranging a row bind it alike, so a row copied by a clone stores exactly what
 * integrating the source's log would store.
 *
 * <p>Internal: public only for initial sync.
 */
public final class LoggedValues {

    private LoggedValues() {
    }

    /**
     * Binds a value in its log form (what {@link Dialect#logged} gives, or what decoding a log
     * entry gives) into a column of this database.
     */
    public static void bind(Dialect dialect, PreparedStatement ps, int index, Object logged, ColumnInfo column)
            throws SQLException {
        dialect.bind(ps, index, decoded(logged), column.kind());
    }

    /**
     * The value as a log entry carries it after decoding: the types the codec decodes to pass as
     * they are (the common case, no copy), any other (an Integer, a Duration within a day...) takes
     * the codec's own round trip.
     */
    static Object decoded(Object v) {
        if (v == null || v instanceof Long || v instanceof String || v instanceof byte[] || v instanceof Double
                || v instanceof BigDecimal || v instanceof Boolean || v instanceof LocalDateTime
                || v instanceof LocalDate || v instanceof LocalTime || v instanceof Instant) {
            return v;
        }
        return ValueCodec.decodeKey(ValueCodec.encodeKey(v))[0];
    }
}
