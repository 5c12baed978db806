package io.jdbcsync.testing;

import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.value.Row;
import io.jdbcsync.internal.value.ValueCodec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Reads {@code _sync_log} through a raw connection and decodes its rows, so tests can assert on
 * exactly what the capture wrote. {@link #lines} renders each row as one line whose values carry
 * their decoded type: {@code I item [7] id=7 name='a' price=1.50m}.
 */
public final class ChangeLog {

    /** One decoded log row. {@code data} is empty for deletes. */
    public record Change(long hlc, String table, String op, List<Object> key, Map<String, Object> data) {

        /** The decoded value of a logged column (which must be present). */
        public Object get(String column) {
            if (!data.containsKey(column)) {
                throw new AssertionError("column " + column + " not logged in " + this);
            }
            return data.get(column);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(op).append(' ').append(table).append(" [");
            StringJoiner k = new StringJoiner(", ");
            key.forEach(v -> k.add(describe(v)));
            sb.append(k).append(']');
            data.forEach((c, v) -> sb.append(' ').append(c).append('=').append(describe(v)));
            return sb.toString();
        }
    }

    private ChangeLog() {
    }

    /** Every log row of the test database, in clock order. */
    public static List<Change> read(TestDatabase db) throws SQLException {
        try (Connection c = db.openRaw()) {
            return read(c);
        }
    }

    public static List<Change> read(Connection raw) throws SQLException {
        List<Change> out = new ArrayList<>();
        for (LogEntry e : io.jdbcsync.internal.capture.ChangeLogTable.readAll(raw)) {
            byte[] data = e.data();
            Map<String, Object> values = new LinkedHashMap<>();
            if (data != null && data.length > 0) {
                Row row = ValueCodec.decodeRow(data);
                for (int i = 0; i < row.columns().size(); i++) {
                    values.put(row.columns().get(i), row.values().get(i));
                }
            }
            out.add(new Change(e.hlc(), e.table(), String.valueOf(e.op().code()),
                    Arrays.asList(ValueCodec.decodeKey(e.key())), values));
        }
        return out;
    }

    /** The log rendered one line per row (see the class comment). */
    public static List<String> lines(TestDatabase db) throws SQLException {
        return read(db).stream().map(Change::toString).toList();
    }

    /** Number of logged changes (a packed log row counts as its changes). */
    public static int count(TestDatabase db) throws SQLException {
        try (Connection c = db.openRaw()) {
            return io.jdbcsync.internal.capture.ChangeLogTable.readAll(c).size();
        }
    }

    /**
     * A value as the lines show it, with its decoded type: 7 (long), 7n (BigInteger), 1.5d
     * (double), 1.50m (BigDecimal), 'text', x'0aff' (bytes), TRUE, DATE'..', TIME'..', TS'..', NULL.
     */
    public static String describe(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Long) {
            return v.toString();
        }
        if (v instanceof BigInteger) {
            return v + "n";
        }
        if (v instanceof Double) {
            return v + "d";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString() + "m";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof byte[] b) {
            return "x'" + HexFormat.of().formatHex(b) + "'";
        }
        if (v instanceof Boolean b) {
            return b ? "TRUE" : "FALSE";
        }
        if (v instanceof LocalDate) {
            return "DATE'" + v + "'";
        }
        if (v instanceof LocalTime) {
            return "TIME'" + v + "'";
        }
        if (v instanceof LocalDateTime) {
            return "TS'" + v + "'";
        }
        return v.getClass().getSimpleName() + ":" + v;
    }
}
