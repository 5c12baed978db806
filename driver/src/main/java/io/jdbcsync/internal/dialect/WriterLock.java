package io.jdbcsync.internal.dialect;

import java.sql.SQLException;

/**
 * A writer number of one database held by this process: taken atomically among the processes
 * that open the database, released when it is closed or when the process dies (the lock is the
 * operating system's or the server's, so a crashed process never keeps its number).
 */
public interface WriterLock extends AutoCloseable {

    /** Writers one database can have at once. */
    int MAX_WRITERS = 64;

    /** The writer number, 0 to {@link #MAX_WRITERS} - 1; the lowest free one is taken. */
    int writer();

    @Override
    void close();

    /** Opens a connection to the database (used where a lock lives as long as a session). */
    @FunctionalInterface
    interface Opener {
        java.sql.Connection open() throws SQLException;
    }

    static SQLException allTaken(String location) {
        return new SQLException("all " + MAX_WRITERS + " jdbc-sync writer numbers of " + location
                + " are held by running processes; close some of them", "08004");
    }
}
