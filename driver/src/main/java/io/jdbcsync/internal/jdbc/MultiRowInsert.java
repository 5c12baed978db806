package io.jdbcsync.internal.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Plain inserts of many rows, several rows per statement ({@code VALUES (...), (...), ...}) in a
 * batch: a bulk copy then runs one statement per few dozen rows rather than one per row (on SQLite
 * about a third less time per row), the remainder through a one-row statement.
 */
public final class MultiRowInsert<R> implements AutoCloseable {
    /** Most rows per statement; fewer when a row has many columns (at most 999 parameters, every SQLite's limit). */
    public static final int MOST_ROWS = 50;
    private static final int MOST_PARAMETERS = 999;

    /** Binds one row's values from parameter {@code offset + 1} on. */
    public interface Binder<R> {
        void bind(PreparedStatement ps, int offset, R row) throws SQLException;
    }

    private final PreparedStatement many;
    private final PreparedStatement one;
    private final int rowsPerStatement;
    private final int parameters;
    private final Binder<R> binder;

    /**
     * @param head       {@code INSERT INTO t (a, b, c) VALUES }
     * @param rowMarks   one row's values, {@code (?, ?, ?)} (constants allowed)
     * @param parameters the parameters in {@code rowMarks}
     */
    public MultiRowInsert(Connection c, String head, String rowMarks, int parameters, Binder<R> binder) throws SQLException {
        this.rowsPerStatement = Math.max(1, Math.min(MOST_ROWS, MOST_PARAMETERS / Math.max(1, parameters)));
        this.parameters = parameters;
        this.binder = binder;
        this.one = c.prepareStatement(head + rowMarks);
        PreparedStatement m = null;
        if (rowsPerStatement > 1) {
            try {
                m = c.prepareStatement(head + (rowMarks + ", ").repeat(rowsPerStatement - 1) + rowMarks);
            } catch (SQLException e) {
                one.close();
                throw e;
            }
        }
        this.many = m;
    }

    /** Inserts the rows (in the caller's transaction). */
    public void insert(List<R> rows) throws SQLException {
        int whole = many == null ? 0 : rows.size() / rowsPerStatement * rowsPerStatement;
        for (int i = 0; i < whole; i += rowsPerStatement) {
            for (int r = 0; r < rowsPerStatement; r++) {
                binder.bind(many, r * parameters, rows.get(i + r));
            }
            many.addBatch();
        }
        if (whole > 0) {
            many.executeBatch();
        }
        for (int i = whole; i < rows.size(); i++) {
            binder.bind(one, 0, rows.get(i));
            one.addBatch();
        }
        if (whole < rows.size()) {
            one.executeBatch();
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            one.close();
        } finally {
            if (many != null) {
                many.close();
            }
        }
    }
}
