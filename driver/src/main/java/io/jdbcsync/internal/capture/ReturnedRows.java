package io.jdbcsync.internal.capture;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.schema.TableInfo;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The rows of a {@code RETURNING} clause on a synced table: the write runs without the clause (the
 * capture rewrites and logs it), then its list is read from the rows it touched, by primary key, in
 * the same transaction. So the rows say what was stored, generated keys included; a DELETE's rows
 * are read before they go.
 */
public final class ReturnedRows {
    private final StatementSource source;
    private final String select;
    private String[] names;
    private int[] types;
    private final List<Object[]> rows = new ArrayList<>();

    ReturnedRows(StatementSource source, Dialect dialect, TableInfo table, String list) {
        this.source = source;
        this.select = "SELECT " + list + " FROM " + dialect.quote(table.name()) + " WHERE "
                + dialect.quote(table.primaryKey().get(0)) + " = ?";
    }

    /** Reads the list for rows by their (single-column) keys: each a key value or a one-element array. */
    void read(List<?> keys) throws SQLException {
        PreparedStatement ps = source.prepare(select);
        for (Object key : keys) {
            Object k = key instanceof Object[] a ? a[0] : key;
            if (k == null) {
                continue;
            }
            ps.setObject(1, k);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                if (names == null) {
                    names = new String[n];
                    types = new int[n];
                    for (int i = 0; i < n; i++) {
                        names[i] = md.getColumnLabel(i + 1);
                        types[i] = md.getColumnType(i + 1);
                    }
                }
                while (rs.next()) {
                    Object[] row = new Object[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    rows.add(row);
                }
            }
        }
    }

    /** Column labels (empty when no row was touched and none could be described). */
    public String[] names() throws SQLException {
        describe();
        return names.clone();
    }

    public int[] types() throws SQLException {
        describe();
        return types.clone();
    }

    public List<Object[]> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** No row touched: the columns still come from the list, read for no row. */
    private void describe() throws SQLException {
        if (names != null) {
            return;
        }
        PreparedStatement ps = source.prepare(select);
        ps.setNull(1, Types.NULL);
        try (ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            names = new String[n];
            types = new int[n];
            for (int i = 0; i < n; i++) {
                names[i] = md.getColumnLabel(i + 1);
                types[i] = md.getColumnType(i + 1);
            }
        }
    }
}
