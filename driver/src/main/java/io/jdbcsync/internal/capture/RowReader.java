package io.jdbcsync.internal.capture;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.schema.ColumnInfo;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Runs a read inside the capture and returns its rows as loggable values. */
final class RowReader {

    private RowReader() {
    }

    static List<Object[]> read(StatementSource source, Dialect dialect, String sql, List<Object> parameters)
            throws SQLException {
        return read(source, dialect, sql, parameters, null);
    }

    /**
     * Reads columns of a table selected with {@link Dialect#selectColumn} (one per result column,
     * in order), each exactly as stored.
     */
    static List<Object[]> read(StatementSource source, Dialect dialect, String sql, List<Object> parameters,
                               List<ColumnInfo> columns) throws SQLException {
        PreparedStatement ps = source.prepare(sql);
        for (int i = 0; i < parameters.size(); i++) {
            ps.setObject(i + 1, parameters.get(i));
        }
        return rows(ps, dialect, columns);
    }

    static List<Object[]> rows(PreparedStatement ps, Dialect dialect) throws SQLException {
        return rows(ps, dialect, null);
    }

    static List<Object[]> rows(PreparedStatement ps, Dialect dialect, List<ColumnInfo> columns)
            throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    row[i] = columns == null ? dialect.read(rs, i + 1) : dialect.read(rs, i + 1, columns.get(i));
                }
                out.add(row);
            }
        }
        return out;
    }
}
