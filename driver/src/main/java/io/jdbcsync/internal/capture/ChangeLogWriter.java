package io.jdbcsync.internal.capture;

import io.jdbcsync.internal.clock.Hlc;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.log.PackedChanges;
import io.jdbcsync.internal.schema.ColumnInfo;
import io.jdbcsync.internal.schema.TableInfo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends change-log rows ({@link ChangeLogTable}) on the app's own connection, inside the app's
 * (or our) transaction, so that a commit holds data and log together or neither.
 */
final class ChangeLogWriter implements AutoCloseable {
    private static final byte[] EMPTY = new byte[0];
    private static final String PACKED = String.valueOf(PackedChanges.PACKED);

    private final Connection raw;
    private final Hlc clock;
    private final Dialect dialect;
    /** The changes of the statement, in order, as runs of one table and operation. */
    private final List<PackedChanges.Run> runs = new ArrayList<>();
    private PreparedStatement insert;
    private boolean statementRan;

    ChangeLogWriter(Connection raw, Hlc clock, Dialect dialect) {
        this.raw = raw;
        this.clock = clock;
        this.dialect = dialect;
    }

    /** A change given as its encoded key and row data (null: none). */
    void add(String table, Op op, byte[] key, byte[] data) {
        run(table, op, null).add(key, data == null ? EMPTY : data);
    }

    /**
     * A change given as its key values in their log form (the array may be reused once this
     * returns) and its encoded row data (null: none), the key encoded straight into its packed row.
     */
    void addKey(String table, Op op, Object[] key, byte[] data) {
        run(table, op, null).add(key, data == null ? EMPTY : data);
    }

    /**
     * A full row in table column order (an insert), encoded straight into its packed row. The row
     * is the caller's to give up: its values are brought to their log form in place.
     */
    void addRow(TableInfo table, Op op, Object[] row) {
        run(table.name(), op, table.columnNames()).add(RowCodec.toLoggedRow(dialect, table, row),
                table.primaryKeyPositions(), 0);
    }

    /**
     * An update given as a row of the key values, then the new values of {@code columns} (named
     * {@code names}), encoded straight into its packed row. The row is the caller's to give up:
     * its values are brought to their log form in place.
     */
    void addUpdate(TableInfo table, List<String> names, List<ColumnInfo> columns, Object[] row) {
        int[] keyPositions = RowCodec.toLogged(dialect, table, columns, row);
        run(table.name(), Op.UPDATE, names).add(row, keyPositions, keyPositions.length);
    }

    /** The run the next change joins: the last one if it takes it, else a new one. */
    private PackedChanges.Run run(String table, Op op, List<String> names) {
        PackedChanges.Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
        if (last == null || !last.takes(table, op, names)) {
            last = new PackedChanges.Run(table, op, names == null ? List.of() : names);
            runs.add(last);
        }
        return last;
    }

    void startStatement() {
        statementRan = false;
        runs.clear();
    }

    /** Called right after the app's statement changed the database. */
    void statementRan() {
        statementRan = true;
    }

    boolean ranStatement() {
        return statementRan;
    }

    int pendingCount() {
        int count = 0;
        for (PackedChanges.Run run : runs) {
            count += run.count();
        }
        return count;
    }

    void discard() {
        runs.clear();
    }

    /**
     * Writes the collected changes, each with its own clock value: a run of changes to one table
     * with one operation as packed rows ({@link PackedChanges}), a lone change as a plain row.
     */
    void flush() throws SQLException {
        if (runs.isEmpty()) {
            return;
        }
        try {
            write();
        } catch (SQLException e) {
            if (!dialect.lostPreparedStatement(e)) {
                throw e;
            }
            // The connection was reset under the kept statement: the server refused it before
            // writing any row, so the rows are written again through a new one.
            close();
            write();
        } finally {
            runs.clear();
        }
    }

    private void write() throws SQLException {
        if (insert == null) {
            insert = ChangeLogTable.prepareInsert(raw);
        }
        for (PackedChanges.Run run : runs) {
            long[] hlcs = new long[run.count()];
            clock.now(hlcs);
            if (hlcs.length == 1) {
                LogEntry only = run.single(hlcs[0]);
                bind(hlcs[0], run.table(), String.valueOf(run.op().code()), only.key(), only.data());
            } else {
                bind(hlcs[hlcs.length - 1], run.table(), PACKED, run.header(), run.data(hlcs));
            }
            if (runs.size() > 1) {
                insert.addBatch();
            }
        }
        if (runs.size() == 1) {
            insert.executeUpdate();
        } else {
            insert.executeBatch();
        }
    }

    private void bind(long hlc, String table, String op, byte[] key, byte[] data) throws SQLException {
        ChangeLogTable.bind(insert, hlc, table, op, key, data);
    }

    @Override
    public void close() throws SQLException {
        if (insert != null) {
            insert.close();
            insert = null;
        }
    }
}
