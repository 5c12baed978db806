package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.schema.ColumnInfo;
import io.jdbcsync.internal.schema.TableInfo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes remote changes into one app table through the sync engine's own connection, with
 * statements prepared once per column set. Values are bound by the dialect per column kind, so a
 * value written on another kind of database lands in this one's native form.
 */
final class TableWriter implements AutoCloseable {
    /** Upserts kept waiting in a JDBC batch at most. */
    private static final int FLUSH_ROWS = 500;
    private final Connection c;
    private final Dialect dialect;
    private final TableInfo table;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    /** Upserts by column list, each prepared once (its text is not built again per row). */
    private final Map<List<String>, Upsert> upserts = new HashMap<>();
    /** The upsert whose rows wait in its JDBC batch, and how many. */
    private Upsert pending;
    private int pendingCount;

    /** The upsert of one column list: its statement and each column's binding. */
    private record Upsert(PreparedStatement statement, ColumnInfo[] columns) { }

    TableWriter(Connection c, Dialect dialect, TableInfo table) {
        this.c = c;
        this.dialect = dialect;
        this.table = table;
    }

    TableInfo table() {
        return table;
    }

    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    private String keyCondition() {
        StringBuilder sb = new StringBuilder();
        for (String k : table.primaryKey()) {
            sb.append(sb.length() == 0 ? "" : " AND ").append(dialect.quote(k)).append(" = ?");
        }
        return sb.toString();
    }

    private int bindKey(PreparedStatement ps, int from, Object[] key) throws SQLException {
        int[] pk = table.primaryKeyPositions();
        for (int i = 0; i < pk.length; i++) {
            LoggedValues.bind(dialect, ps, from + i, key[i], table.columns().get(pk[i]));
        }
        return from + pk.length;
    }

    /**
     * Inserts the row, or sets these columns of the existing row with the same key. Runs in a JDBC
     * batch: call {@link #flush()} before reading this table.
     */
    void upsert(List<String> columns, List<Object> values) throws SQLException {
        Upsert u = pending != null && pendingColumns(columns) ? pending : upsertOf(columns);
        if (u != pending) {
            flush();
            pending = u;
        }
        ColumnInfo[] info = u.columns();
        for (int i = 0; i < info.length; i++) {
            LoggedValues.bind(dialect, u.statement(), i + 1, values.get(i), info[i]);
        }
        u.statement().addBatch();
        if (++pendingCount >= FLUSH_ROWS) {
            flush();
        }
    }

    private boolean pendingColumns(List<String> columns) {
        ColumnInfo[] p = pending.columns();
        if (p.length != columns.size()) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (!p[i].name().equals(columns.get(i))) {
                return false;
            }
        }
        return true;
    }

    private Upsert upsertOf(List<String> columns) throws SQLException {
        Upsert u = upserts.get(columns);
        if (u == null) {
            List<String> key = List.copyOf(columns);
            ColumnInfo[] info = new ColumnInfo[key.size()];
            for (int i = 0; i < info.length; i++) {
                info[i] = table.column(key.get(i));
            }
            u = new Upsert(c.prepareStatement(dialect.upsert(table.name(), key, table.primaryKey())), info);
            upserts.put(key, u);
        }
        return u;
    }

    /** Runs the batched upserts. */
    void flush() throws SQLException {
        if (pending != null && pendingCount > 0) {
            pendingCount = 0;
            pending.statement().executeBatch();
        }
    }

    /** Sets columns of an existing row; returns the number of rows changed (0 when it does not exist). */
    int update(Object[] key, List<String> columns, List<Object> values) throws SQLException {
        flush();
        StringBuilder sb = new StringBuilder("UPDATE ").append(dialect.quote(table.name())).append(" SET ");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(dialect.quote(columns.get(i))).append(" = ?");
        }
        PreparedStatement ps = statement(sb.append(" WHERE ").append(keyCondition()).toString());
        for (int i = 0; i < columns.size(); i++) {
            LoggedValues.bind(dialect, ps, i + 1, values.get(i), table.column(columns.get(i)));
        }
        bindKey(ps, columns.size() + 1, key);
        return ps.executeUpdate();
    }

    void delete(Object[] key) throws SQLException {
        flush();
        PreparedStatement ps = statement("DELETE FROM " + dialect.quote(table.name()) + " WHERE " + keyCondition());
        bindKey(ps, 1, key);
        ps.executeUpdate();
    }

    /** The full row with this key (table column order), or null. */
    Object[] select(Object[] key) throws SQLException {
        flush();
        StringBuilder sb = new StringBuilder("SELECT ");
        List<ColumnInfo> cols = table.columns();
        for (int i = 0; i < cols.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(dialect.selectColumn(cols.get(i)));
        }
        PreparedStatement ps = statement(sb.append(" FROM ").append(dialect.quote(table.name())).append(" WHERE ")
                .append(keyCondition()).toString());
        bindKey(ps, 1, key);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            Object[] row = new Object[cols.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = dialect.read(rs, i + 1, cols.get(i));
            }
            return row;
        }
    }

    /** Keys of rows other than {@code key} holding these values in these (unique) columns. */
    List<Object[]> holders(List<String> columns, List<Object> values, Object[] key) throws SQLException {
        flush();
        StringBuilder sb = new StringBuilder("SELECT ");
        List<String> pk = table.primaryKey();
        int[] pkPositions = table.primaryKeyPositions();
        for (int i = 0; i < pk.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(dialect.selectColumn(table.columns().get(pkPositions[i])));
        }
        sb.append(" FROM ").append(dialect.quote(table.name())).append(" WHERE ");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : " AND ").append(dialect.quote(columns.get(i))).append(" = ?");
        }
        PreparedStatement ps = statement(sb.toString());
        for (int i = 0; i < columns.size(); i++) {
            LoggedValues.bind(dialect, ps, i + 1, values.get(i), table.column(columns.get(i)));
        }
        List<Object[]> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Object[] k = new Object[pk.size()];
                for (int i = 0; i < k.length; i++) {
                    k[i] = dialect.read(rs, i + 1, table.columns().get(pkPositions[i]));
                }
                out.add(k);
            }
        }
        out.removeIf(k -> java.util.Arrays.equals(io.jdbcsync.internal.value.ValueCodec.encodeKey(canonicalKey(k)),
                io.jdbcsync.internal.value.ValueCodec.encodeKey(canonicalKey(key))));
        return out;
    }

    Object[] canonicalKey(Object[] key) {
        int[] pk = table.primaryKeyPositions();
        Object[] out = new Object[key.length];
        for (int i = 0; i < key.length; i++) {
            out[i] = dialect.logged(key[i], table.columns().get(pk[i]));
        }
        return out;
    }

    @Override
    public void close() throws SQLException {
        pending = null;
        pendingCount = 0;
        for (PreparedStatement ps : statements.values()) {
            ps.close();
        }
        statements.clear();
        for (Upsert u : upserts.values()) {
            u.statement().close();
        }
        upserts.clear();
    }
}
