package io.jdbcsync.internal.engine;

import io.jdbcsync.internal.sql.ControlCall;

import java.sql.Connection;
import java.sql.SQLException;

/** What the sync engine hears from a connection of its device. */
public interface ConnectionEvents {
    /** A transaction that held captured changes committed. */
    void committed();

    /** The connection closed. */
    void closed();

    /**
     * Answers a control statement ({@code CALL sync_...()}) the capture layer does not handle itself,
     * read through {@code raw}, the connection's underlying one; {@code inTransaction} when the app
     * holds a transaction open on it.
     */
    ControlRows control(ControlCall call, Connection raw, boolean inTransaction) throws SQLException;

    /** The app asked for something through {@link Connection#unwrap}; null if it is not ours. */
    <T> T unwrap(Class<T> iface);
}
