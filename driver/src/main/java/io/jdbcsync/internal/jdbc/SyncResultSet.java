package io.jdbcsync.internal.jdbc;

import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A result set of the underlying driver, handed to the app with its owner replaced: the app's own
 * statement (or none, for metadata), so that {@code rs.getStatement().getConnection()} leads back
 * to the wrapping connection, never around the capture to the raw one. Everything else is the
 * underlying result set's ({@link ForwardingResultSet}).
 */
final class SyncResultSet extends ForwardingResultSet {
    private final Statement owner;

    private SyncResultSet(Statement owner, ResultSet raw) {
        super(raw);
        this.owner = owner;
    }

    /** {@code raw} owned by {@code owner} (null for result sets no statement made); null stays null. */
    static ResultSet of(Statement owner, ResultSet raw) {
        return raw == null || raw instanceof SyncResultSet || raw instanceof ListResultSet ? raw : new SyncResultSet(owner, raw);
    }

    @Override
    public Statement getStatement() {
        return owner;
    }
}
