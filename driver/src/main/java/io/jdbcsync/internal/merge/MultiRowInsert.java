package io.jdbcsync.internal.merge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Runs many rows of one single-row INSERT text (one {@code VALUES (?, ..., ?)} tuple) as few
 * multi-row statements: each statement carries as many rows as fit a parameter budget, is prepared
 * once, and the rows left over go through the single-row text. The rows go in the given order, so
 * the result is that of running the single-row text once per row.
 */
final class MultiRowInsert implements AutoCloseable {
    /** Parameters per statement: well under every supported database's limit (SQLite's older 999). */
    static final int MAX_PARAMETERS = 900;
    private static final int MAX_ROWS = 200;

    /** Binds one row's values from parameter {@code first} on; returns the next free parameter. */
    interface Binder<T> {
        int bind(PreparedStatement ps, int first, T row) throws SQLException;
    }

    private final Connection c;
    private final String single;
    private final String multi;
    private final int rowsPerStatement;
    private PreparedStatement singleStatement;
    private PreparedStatement multiStatement;

    MultiRowInsert(Connection c, String singleRowSql, int width) {
        this.c = c;
        this.single = singleRowSql;
        String tuple = "(" + "?, ".repeat(width - 1) + "?)";
        int at = singleRowSql.indexOf("VALUES " + tuple);
        if (at < 0) {
            throw new IllegalArgumentException("not a single-row INSERT of " + width + " values: " + singleRowSql);
        }
        this.rowsPerStatement = Math.max(1, Math.min(MAX_ROWS, MAX_PARAMETERS / width));
        int end = at + "VALUES ".length() + tuple.length();
        this.multi = singleRowSql.substring(0, end) + (", " + tuple).repeat(rowsPerStatement - 1) + singleRowSql.substring(end);
    }

    /** Inserts these rows, in order. */
    <T> void run(List<T> rows, Binder<T> binder) throws SQLException {
        int full = rowsPerStatement > 1 ? rows.size() / rowsPerStatement * rowsPerStatement : 0;
        if (full > 0) {
            if (multiStatement == null) {
                multiStatement = c.prepareStatement(multi);
            }
            for (int from = 0; from < full; from += rowsPerStatement) {
                int p = 1;
                for (int i = from; i < from + rowsPerStatement; i++) {
                    p = binder.bind(multiStatement, p, rows.get(i));
                }
                multiStatement.addBatch();
            }
            multiStatement.executeBatch();
        }
        if (full < rows.size()) {
            if (singleStatement == null) {
                singleStatement = c.prepareStatement(single);
            }
            for (int i = full; i < rows.size(); i++) {
                binder.bind(singleStatement, 1, rows.get(i));
                singleStatement.addBatch();
            }
            singleStatement.executeBatch();
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            if (singleStatement != null) {
                singleStatement.close();
            }
        } finally {
            if (multiStatement != null) {
                multiStatement.close();
            }
        }
    }
}
