package io.jdbcsync.internal.capture;

import io.jdbcsync.internal.log.Op;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An autocommit write of one row whose log row is known before it runs, sent with the log row and
 * the commit as one text (a connection that takes several statements per text): one round trip
 * instead of four. The log row is written only when the write changed (found) its row
 * ({@code ROW_COUNT()}, counted as the update count is), so data and log commit together or not
 * at all. A write that changed more than one row raises an error inside the text, before its
 * {@code COMMIT}, so nothing of it is committed.
 */
final class OneTripWrite {
    /** The error the log insert raises for a write of several rows. */
    private static boolean severalRows(SQLException e) {
        return e.getErrorCode() == 1139 && String.valueOf(e.getMessage()).contains("missing closing parenthesis at offset 1");
    }

    /** Binds the app's parameters of the write (1-based, first in the text). */
    interface Parameters {
        int bind(PreparedStatement ps) throws SQLException;
    }

    private OneTripWrite() {
    }

    /**
     * True when {@code statement} can be followed by another in the same text: it ends in a token
     * of its own, not in a semicolon or a comment.
     */
    static boolean endsCleanly(String statement) {
        String s = statement.stripTrailing();
        return !s.isEmpty() && (s.charAt(s.length() - 1) == ')' || Character.isLetterOrDigit(s.charAt(s.length() - 1)))
                && s.indexOf("--") < 0 && s.indexOf('#') < 0 && s.indexOf("/*") < 0;
    }

    /** Runs the write and its log row; returns the write's update count. */
    static long run(StatementSource source, Connection raw, String statement, Parameters app, long hlc, String table,
                    Op op, byte[] key, byte[] data) throws SQLException {
        PreparedStatement ps = source.prepareOnClient("START TRANSACTION; " + statement + "; " + ChangeLogTable.ONE_ROW_INSERT + "; COMMIT");
        int p = app.bind(ps);
        ps.setLong(++p, hlc);
        ps.setString(++p, table);
        ps.setString(++p, String.valueOf(op.code()));
        ps.setBytes(++p, key);
        ps.setBytes(++p, data);
        try {
            long count;
            long logged;
            try {
                ps.execute();
                ps.getMoreResults(); // past START TRANSACTION
                count = ps.getLargeUpdateCount();
                ps.getMoreResults();
                logged = ps.getLargeUpdateCount();
                ps.getMoreResults(); // COMMIT
            } catch (SQLException e) {
                if (severalRows(e)) {
                    throw new SQLException("one write of a row of " + table + " changed several rows; it was rolled back"
                            + " and nothing of it was committed", "XX000", e);
                }
                throw e;
            }
            if (logged != Math.min(count, 1)) {
                // Cannot happen after the guard; said as it is if it does: the text's COMMIT has run.
                throw new SQLException("one write of a row of " + table + " changed " + count + " rows and logged "
                        + logged + "; both were committed, so the change log may not match the table", "XX000");
            }
            return count;
        } catch (SQLException | RuntimeException e) {
            // A failing statement ends the text there: the transaction it started is still open.
            try (Statement s = raw.createStatement()) {
                s.execute("ROLLBACK");
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
