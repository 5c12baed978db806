package io.jdbcsync.it;

import io.jdbcsync.internal.value.Row;
import io.jdbcsync.internal.value.ValueCodec;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The rows of {@code _sync_log}, decoded, in clock order. */
record ChangeLog(List<Entry> entries) {

    /** One logged change: key values in primary-key order; data empty for deletes. */
    record Entry(long hlc, String table, char op, Object[] key, Row data) {
        Object value(String column) {
            int i = data.columns().indexOf(column);
            if (i < 0) {
                throw new AssertionError(op + " entry of " + table + " has no column " + column + ": " + data);
            }
            return data.values().get(i);
        }
    }

    /** Reads the log through a raw connection (the driver's view is not what is being tested). */
    static ChangeLog read(Connection raw) throws SQLException {
        List<Entry> out = new ArrayList<>();
        for (io.jdbcsync.internal.log.LogEntry e : io.jdbcsync.internal.capture.ChangeLogTable.readAll(raw)) {
            byte[] data = e.data();
            out.add(new Entry(e.hlc(), e.table(), e.op().code(), ValueCodec.decodeKey(e.key()),
                    data.length == 0 ? new Row(List.of(), List.of()) : ValueCodec.decodeRow(data)));
        }
        return new ChangeLog(out);
    }

    /**
     * Operation counts per table, e.g. {@code "note_tags I=3 D=1; notes I=4 U=2"}: tables sorted,
     * ops in I/U/D order, zero counts left out. One string compares (and fails) readably.
     */
    String summary() {
        Map<String, int[]> counts = new TreeMap<>();
        for (Entry e : entries) {
            int[] c = counts.computeIfAbsent(e.table().toLowerCase(Locale.ROOT), t -> new int[3]);
            c["IUD".indexOf(e.op())]++;
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, int[]> t : counts.entrySet()) {
            sb.append(sb.length() == 0 ? "" : "; ").append(t.getKey());
            for (int i = 0; i < 3; i++) {
                if (t.getValue()[i] > 0) {
                    sb.append(' ').append("IUD".charAt(i)).append('=').append(t.getValue()[i]);
                }
            }
        }
        return sb.toString();
    }

    List<Entry> of(String table, char op) {
        return entries.stream().filter(e -> e.table().equalsIgnoreCase(table) && e.op() == op).toList();
    }

    /** First key column of each entry of {@code table} with {@code op}, in log order. */
    List<Object> keys(String table, char op) {
        return of(table, op).stream().map(e -> e.key()[0]).toList();
    }

    /**
     * The rows of {@code table} this log describes when replayed on an empty table: inserts put the
     * whole row, updates overwrite their columns, deletes remove. Keys and values are normalized
     * with {@link #norm} so they compare with {@link #tableState}.
     */
    Map<List<String>, Map<String, String>> replay(String table) {
        Map<List<String>, Map<String, String>> rows = new TreeMap<>(ChangeLog::compareKeys);
        for (Entry e : entries) {
            if (!e.table().equalsIgnoreCase(table)) {
                continue;
            }
            List<String> key = Arrays.stream(e.key()).map(ChangeLog::norm).toList();
            switch (e.op()) {
                case 'I' -> rows.put(key, normRow(e.data().columns(), e.data().values()));
                case 'U' -> {
                    Map<String, String> row = rows.get(key);
                    if (row == null) {
                        throw new AssertionError("update of " + table + " row " + key + " that the log never inserted");
                    }
                    row.putAll(normRow(e.data().columns(), e.data().values()));
                }
                case 'D' -> {
                    if (rows.remove(key) == null) {
                        throw new AssertionError("delete of " + table + " row " + key + " that the log never inserted");
                    }
                }
                default -> throw new AssertionError("unknown op " + e.op());
            }
        }
        return rows;
    }

    /** Every row of {@code table} as stored, in the shape {@link #replay} returns. */
    static Map<List<String>, Map<String, String>> tableState(Connection raw, String table, String... keyColumns)
            throws SQLException {
        Map<List<String>, Map<String, String>> rows = new TreeMap<>(ChangeLog::compareKeys);
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<String> names = new ArrayList<>();
                List<Object> values = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    names.add(md.getColumnLabel(i));
                    values.add(rs.getObject(i));
                }
                Map<String, String> row = normRow(names, values);
                List<String> key = Arrays.stream(keyColumns).map(k -> row.get(k.toLowerCase(Locale.ROOT))).toList();
                rows.put(key, row);
            }
        }
        return rows;
    }

    /** A value as comparable text: numbers by value (1, 1.0, 1L agree), bytes as hex. */
    static String norm(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        }
        if (v instanceof byte[] b) {
            return "x'" + HexFormat.of().formatHex(b) + "'";
        }
        return v.toString();
    }

    private static Map<String, String> normRow(List<String> names, List<Object> values) {
        Map<String, String> row = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            row.put(names.get(i).toLowerCase(Locale.ROOT), norm(values.get(i)));
        }
        return row;
    }

    private static int compareKeys(List<String> a, List<String> b) {
        return String.join("\0", a).compareTo(String.join("\0", b));
    }

    int size() {
        return entries.size();
    }
}
