package io.jdbcsync.proxy.session;

import com.zaxxer.hikari.SQLExceptionOverride;

import java.sql.SQLException;

/**
 * HikariCP takes SQLSTATE 0A000 (feature not supported) for a broken connection and evicts it; the
 * driver uses that state to refuse a write it cannot capture, on a perfectly good connection.
 */
public final class RefusalsKeepConnections implements SQLExceptionOverride {

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("0A") ? Override.DO_NOT_EVICT : Override.CONTINUE_EVICT;
    }
}
