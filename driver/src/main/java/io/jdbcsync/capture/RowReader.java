package io.jdbcsync.capture;

import io.jdbcsync.dialect.Dialect;

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
        PreparedStatement ps = source.prepare(sql);
        for (int i = 0; i < parameters.size(); i++) {
            ps.setObject(i + 1, parameters.get(i));
        }
        return rows(ps, dialect);
    }

    static List<Object[]> rows(PreparedStatement ps, Dialect dialect) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    row[i] = dialect.read(rs, i + 1);
                }
                out.add(row);
            }
        }
        return out;
    }
}
