package io.jdbcsync;

import java.sql.SQLException;

/**
 * The app's handle on sync for one database, reached through
 * {@code connection.unwrap(SyncClient.class)}.
 */
public interface SyncClient {

    /** Pushes local changes, pulls and integrates other devices' changes; blocks until done. */
    SyncResult syncNow() throws SQLException;

    /** This device's id (kept in the database itself). */
    String deviceId();

    void addListener(SyncListener listener);

    void removeListener(SyncListener listener);

    /** Counts of one sync. */
    record SyncResult(long pushed, long pulled, long applied, long conflicts) { }
}
