package io.jdbcsync.internal.capture;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Gives the capture underlying prepared statements, so the wrapper can reuse and close them. */
public interface StatementSource {
    PreparedStatement prepare(String sql) throws SQLException;

    /** Like {@link #prepare}, prepared on the client even on a connection that prepares on the server. */
    default PreparedStatement prepareOnClient(String sql) throws SQLException {
        return prepare(sql);
    }
}
