package io.jdbcsync.internal.jdbc;

import io.jdbcsync.internal.sql.Analysis;
import io.jdbcsync.internal.sql.StatementKind;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A callable statement: {@code CALL sync_...()} control procedures are answered by the driver;
 * other calls are the underlying driver's (stored procedures that write synced tables cannot be
 * captured: see the README's limits). OUT and named parameters are the underlying statement's
 * ({@link ForwardingCallableStatement}).
 */
final class SyncCallableStatement extends SyncPreparedStatement implements ForwardingCallableStatement {
    private final CallableStatement call;

    private SyncCallableStatement(SyncConnection connection, Analysis analysis, PreparedStatement raw, CallableStatement call) {
        super(connection, analysis, raw);
        this.call = call;
    }

    static SyncCallableStatement openCall(SyncConnection connection, String sql, Preparer<CallableStatement> preparer)
            throws SQLException {
        Analysis a = connection.analyze(sql);
        if (a.kind() == StatementKind.CONTROL) {
            return new SyncCallableStatement(connection, a, connection.raw().prepareStatement("SELECT 1"), null);
        }
        CallableStatement cs = preparer.prepare(sql);
        return new SyncCallableStatement(connection, a, cs, cs);
    }

    @Override
    public CallableStatement callable() throws SQLException {
        if (call == null) {
            throw new SQLException("jdbc-sync control statements have no OUT parameters", "HY000");
        }
        return call;
    }
}
