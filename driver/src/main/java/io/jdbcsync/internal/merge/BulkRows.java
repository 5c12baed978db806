package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.jdbc.MultiRowInsert;
import io.jdbcsync.internal.schema.ColumnInfo;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.value.Row;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rows a device has never had, inserted as they are: many rows per statement
 * ({@link MultiRowInsert}), one prepared statement per table and column list, each value bound as
 * the integrator binds a pulled value ({@link LoggedValues}). Rows are collected with {@link #add}
 * and written by {@link #insert} in the caller's transaction; a constraint error is the caller's
 * to handle (roll back to a savepoint, hand the rows to the integrator).
 */
public final class BulkRows implements AutoCloseable {
    private final Connection c;
    private final Dialect dialect;
    private final Map<Shape, MultiRowInsert<List<Object>>> statements = new HashMap<>();
    private final Map<Shape, List<List<Object>>> pending = new LinkedHashMap<>();
    /** The table, names and pending rows of the last {@link #add}: null when {@link #pending} was emptied. */
    private TableInfo lastTable;
    private List<String> lastColumns;
    private List<List<Object>> lastRows;

    public BulkRows(Connection c, Dialect dialect) {
        this.c = c;
        this.dialect = dialect;
    }

    /**
     * A table and the columns a row sets: one multi-row insert statement each. Equal by the
     * table's name, so a schema read again later reuses the statement.
     */
    private record Shape(TableInfo table, List<String> columns) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Shape s && s.table.name().equals(table.name()) && (s.columns == columns || s.columns.equals(columns));
        }

        @Override
        public int hashCode() {
            return 31 * table.name().hashCode() + columns.hashCode();
        }
    }

    /** A row to insert into {@code t}, with the table's own column names and values in their logged form. */
    public void add(TableInfo t, Row row) {
        add(t, row.columns(), row.values());
    }

    /**
     * As {@link #add(TableInfo, Row)}, the names and values apart (the values are kept, not copied).
     * Rows of the same table with the very same list of names, one after the other, find their
     * statement's rows without a lookup.
     */
    void add(TableInfo t, List<String> columns, List<Object> values) {
        if (t != lastTable || columns != lastColumns || lastRows == null) {
            lastTable = t;
            lastColumns = columns;
            lastRows = pending.computeIfAbsent(new Shape(t, columns), s -> new ArrayList<>());
        }
        lastRows.add(values);
    }

    /** Inserts the rows added since the last call; returns the names of the tables written. */
    public Set<String> insert() throws SQLException {
        Set<String> tables = new TreeSet<>();
        try {
            for (Map.Entry<Shape, List<List<Object>>> r : pending.entrySet()) {
                statement(r.getKey()).insert(r.getValue());
                tables.add(r.getKey().table().name());
            }
        } finally {
            clear();
        }
        return tables;
    }

    /** Forgets the rows added since the last {@link #insert}. */
    public void clear() {
        pending.clear();
        lastRows = null;
    }

    private MultiRowInsert<List<Object>> statement(Shape shape) throws SQLException {
        MultiRowInsert<List<Object>> m = statements.get(shape);
        if (m == null) {
            TableInfo t = shape.table();
            List<String> columns = shape.columns();
            StringBuilder head = new StringBuilder("INSERT INTO ").append(dialect.quote(t.name())).append(" (");
            for (int i = 0; i < columns.size(); i++) {
                head.append(i == 0 ? "" : ", ").append(dialect.quote(columns.get(i)));
            }
            head.append(") VALUES ");
            String marks = "(" + "?, ".repeat(columns.size() - 1) + "?)";
            ColumnInfo[] info = new ColumnInfo[columns.size()];
            for (int i = 0; i < info.length; i++) {
                info[i] = t.column(columns.get(i)); // looked up once per statement, not per value
            }
            m = new MultiRowInsert<>(c, head.toString(), marks, columns.size(), (ps, offset, values) -> {
                for (int i = 0; i < info.length; i++) {
                    LoggedValues.bind(dialect, ps, offset + i + 1, values.get(i), info[i]);
                }
            });
            statements.put(shape, m);
        }
        return m;
    }

    /**
     * The entry's row with the table's own column names, if it can be inserted as it is: every
     * column known here and the whole key present; else null.
     */
    public static Row plainRow(TableInfo t, Row logged) {
        List<String> names = plainColumns(t, logged.columns());
        return names == null ? null : new Row(names, logged.values());
    }

    /** The table's own names of these logged columns, if a row of them can be inserted as it is (see {@link #plainRow}); else null. */
    static List<String> plainColumns(TableInfo t, List<String> logged) {
        List<String> names = new ArrayList<>(logged.size());
        for (String n : logged) {
            int at = t.position(n);
            if (at < 0) {
                return null;
            }
            names.add(t.columns().get(at).name());
        }
        for (String k : t.primaryKey()) {
            if (!names.contains(t.column(k).name())) {
                return null;
            }
        }
        return List.copyOf(names);
    }

    /** A unique, primary key, foreign key, check or trigger refusal (SQLite reports no SQL state). */
    public static boolean refusedByConstraint(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (s.getSQLState() != null && s.getSQLState().startsWith("23")
                    || String.valueOf(s.getMessage()).contains("SQLITE_CONSTRAINT"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws SQLException {
        for (MultiRowInsert<List<Object>> m : statements.values()) {
            m.close();
        }
        statements.clear();
    }
}
