package io.jdbcsync.internal.capture;

import io.jdbcsync.internal.clock.Hlc;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.log.PackedChanges;

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
    private final List<Object[]> pending = new ArrayList<>();
    private PreparedStatement insert;
    private boolean statementRan;

    ChangeLogWriter(Connection raw, Hlc clock, Dialect dialect) {
        this.raw = raw;
        this.clock = clock;
        this.dialect = dialect;
    }

    void add(String table, Op op, byte[] key, byte[] data) {
        pending.add(new Object[] {table, op, key, data == null ? EMPTY : data});
    }

    void startStatement() {
        statementRan = false;
        pending.clear();
    }

    /** Called right after the app's statement changed the database. */
    void statementRan() {
        statementRan = true;
    }

    boolean ranStatement() {
        return statementRan;
    }

    int pendingCount() {
        return pending.size();
    }

    void discard() {
        pending.clear();
    }

    /**
     * Writes the collected changes, each with its own clock value: a run of changes to one table
     * with one operation as packed rows ({@link PackedChanges}), a lone change as a plain row.
     */
    void flush() throws SQLException {
        if (pending.isEmpty()) {
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
            pending.clear();
        }
    }

    private void write() throws SQLException {
        if (insert == null) {
            insert = ChangeLogTable.prepareInsert(raw);
        }
        int rows = 0;
        for (int from = 0; from < pending.size(); ) {
            int to = runEnd(from);
            if (to - from == 1) {
                Object[] row = pending.get(from);
                bind(clock.now(), (String) row[0], String.valueOf(((Op) row[1]).code()), (byte[]) row[2], (byte[]) row[3]);
            } else {
                PackedChanges.Body body = new PackedChanges.Body();
                for (int i = from; i < to; i++) {
                    Object[] row = pending.get(i);
                    body.add(clock.now(), (byte[]) row[2], (byte[]) row[3]);
                }
                Object[] first = pending.get(from);
                bind(body.lastHlc(), (String) first[0], PACKED, PackedChanges.header((Op) first[1], body.count()),
                        body.toByteArray());
            }
            rows++;
            from = to;
            if (to < pending.size() || rows > 1) {
                insert.addBatch();
            }
        }
        if (rows == 1) {
            insert.executeUpdate();
        } else {
            insert.executeBatch();
        }
    }

    /** The end of the run starting at {@code from} that fits one packed row. */
    private int runEnd(int from) {
        Object[] first = pending.get(from);
        int bytes = 0;
        int to = from;
        while (to < pending.size() && to - from < PackedChanges.MAX_CHANGES && bytes < PackedChanges.MAX_BYTES) {
            Object[] row = pending.get(to);
            if (row[1] != first[1] || !row[0].equals(first[0])) {
                break;
            }
            bytes += ((byte[]) row[2]).length + ((byte[]) row[3]).length + 12;
            to++;
        }
        return to;
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
