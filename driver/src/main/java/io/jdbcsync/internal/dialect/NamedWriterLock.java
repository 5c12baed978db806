package io.jdbcsync.internal.dialect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A writer number of a MariaDB database: a named lock ({@code GET_LOCK}) held by a connection of
 * its own, which the server releases when the connection ends, also when the process dies.
 */
final class NamedWriterLock implements WriterLock {
    private final Connection connection;
    private final int writer;

    private NamedWriterLock(Connection connection, int writer) {
        this.connection = connection;
        this.writer = writer;
    }

    static WriterLock acquire(String location, WriterLock.Opener opener) throws SQLException {
        Connection c = opener.open();
        try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            String prefix = "jdbcsync." + digest(location) + ".";
            for (int w = 0; w < MAX_WRITERS; w++) {
                ps.setString(1, prefix + w);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getInt(1) == 1) {
                        return new NamedWriterLock(c, w);
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        c.close();
        throw WriterLock.allTaken(location);
    }

    /** Lock names are at most 64 characters; a database location can be longer. */
    private static String digest(String location) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(location.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 12; i++) {
                sb.append(String.format("%02x", h[i]));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int writer() {
        return writer;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the server drops the lock with the connection anyway
        }
    }
}
