package io.jdbcsync.capture;

import io.jdbcsync.clock.Hlc;
import io.jdbcsync.dialect.Dialect;
import io.jdbcsync.log.Op;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends change-log rows on the app's own connection, inside the app's (or our) transaction, so
 * that a commit holds data and log together or neither.
 */
final class ChangeLogWriter implements AutoCloseable {
    private static final String INSERT = "INSERT INTO _sync_log (hlc, tbl, op, pk, data) VALUES (?, ?, ?, ?, ?)";
    private static final byte[] EMPTY = new byte[0];

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

    /** Writes the collected rows, each with its own clock value. */
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
            insert = raw.prepareStatement(INSERT);
        }
        if (pending.size() == 1) {
            bind(pending.get(0));
            insert.executeUpdate();
        } else {
            for (Object[] row : pending) {
                bind(row);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private void bind(Object[] row) throws SQLException {
        insert.setLong(1, clock.now());
        insert.setString(2, (String) row[0]);
        insert.setString(3, String.valueOf(((Op) row[1]).code()));
        insert.setBytes(4, (byte[]) row[2]);
        insert.setBytes(5, (byte[]) row[3]);
    }

    @Override
    public void close() throws SQLException {
        if (insert != null) {
            insert.close();
            insert = null;
        }
    }
}
