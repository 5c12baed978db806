package io.jdbcsync.internal.capture;

import io.jdbcsync.internal.sql.TransactionText;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The app's transaction on one connection as far as capture cares: what its SQL text opened and
 * ended ({@code BEGIN}, {@code SAVEPOINT}, {@code RELEASE}, {@code COMMIT}, {@code ROLLBACK} sent as
 * statements, which JDBC state does not show), and the rule that a transaction in which a capture
 * failed after the app's statement ran never commits: the change would be stored without its log rows.
 */
public final class AppTransaction {
    /** How a statement left the transaction. */
    public enum End { NONE, COMMITTED, ROLLED_BACK }

    private final WriteCapture capture;
    private final boolean savepointBeginsTransaction;
    private boolean openAsText;
    /**
     * Savepoints open in a transaction that a {@code SAVEPOINT} statement began (SQLite), innermost
     * first; releasing the outermost commits. Null when the transaction began otherwise.
     */
    private Deque<String> savepoints;

    public AppTransaction(WriteCapture capture, boolean savepointBeginsTransaction) {
        this.capture = capture;
        this.savepointBeginsTransaction = savepointBeginsTransaction;
    }

    /** True while a transaction the app began with SQL text is open. */
    public boolean openAsText() {
        return openAsText;
    }

    /** True when committing now would commit a change without its log rows: roll back instead. */
    public boolean mustNotCommit() {
        return capture.failedInTransaction();
    }

    /** True when {@code sql}, sent now, would commit a change without its log rows: roll back instead. */
    public boolean mustNotCommit(String sql) {
        return capture.failedInTransaction()
                && (TransactionText.endsTransactionWithCommit(sql) || releasesOutermost(sql));
    }

    /** What the app gets when its commit was turned into a rollback. */
    public static SQLException rolledBack() {
        return new SQLException("this transaction was rolled back: a change in it could not be written to the"
                + " jdbc-sync change log, and committing it would have left the change unsynced", "40000");
    }

    private boolean releasesOutermost(String sql) {
        String released = TransactionText.savepointReleased(sql);
        return released != null && savepoints != null && savepoints.getLast().equalsIgnoreCase(released);
    }

    /** Follows transaction text the database ran; {@code autoCommit} is the connection's JDBC autocommit mode. */
    public End ran(String sql, boolean autoCommit) {
        String opened = TransactionText.savepointOpened(sql);
        String released = TransactionText.savepointReleased(sql);
        if (TransactionText.beginsTransaction(sql)) {
            openAsText = true;
        } else if (opened != null) {
            if (savepoints != null) {
                savepoints.push(opened);
            } else if (!openAsText && savepointBeginsTransaction && autoCommit) {
                // SQLite: a SAVEPOINT outside a transaction begins one, and releasing it commits.
                openAsText = true;
                savepoints = new ArrayDeque<>();
                savepoints.push(opened);
            }
        } else if (released != null) {
            if (savepoints != null) {
                // RELEASE removes the innermost savepoint of that name and every one inside it.
                while (!savepoints.isEmpty() && !savepoints.pop().equalsIgnoreCase(released)) {
                    // popped a savepoint nested inside the released one
                }
                if (savepoints.isEmpty()) {
                    ended();
                    return End.COMMITTED;
                }
            }
        } else if (TransactionText.endsTransaction(sql)) {
            ended();
            return TransactionText.endsTransactionWithCommit(sql) ? End.COMMITTED : End.ROLLED_BACK;
        }
        return End.NONE;
    }

    /** A transaction begun as text ended through JDBC ({@code commit()}, {@code rollback()}). */
    public void ended() {
        openAsText = false;
        savepoints = null;
    }
}
