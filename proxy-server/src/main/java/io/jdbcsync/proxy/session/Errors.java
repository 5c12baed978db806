package io.jdbcsync.proxy.session;

import io.jdbcsync.proxy.protocol.ErrPacket;

import java.sql.SQLException;

/** MariaDB error codes and messages from the exceptions of the driver stack. */
final class Errors {

    private Errors() {
    }

    /** The server's own code; the driver's refusals (no vendor code) get a code by their SQLSTATE. */
    static int code(SQLException e) {
        if (e.getErrorCode() > 0 && e.getErrorCode() < 0xFFFF) {
            return e.getErrorCode();
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("0A")) {
            return ErrPacket.ER_NOT_SUPPORTED_YET;
        }
        if (state.startsWith("08")) {
            return 2013; // CR_SERVER_LOST: the backend connection went away
        }
        return ErrPacket.ER_UNKNOWN_ERROR;
    }

    /** The message without Connector/J's "(conn=123) " prefix, as the server itself words it. */
    static String message(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (m.startsWith("(conn=")) {
            int end = m.indexOf(") ");
            if (end > 0) {
                m = m.substring(end + 2);
            }
        }
        return m;
    }
}
