package io.jdbcsync.internal.engine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A device in a JVM of its own that syncs once ({@code <jdbc:sync: url>}), for tests that kill it
 * in the middle: {@link InterruptedSnapshotJoinTest}.
 */
public final class JoiningDevice {
    private JoiningDevice() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0]); Statement s = c.createStatement()) {
            System.out.println("syncing");
            s.executeQuery("CALL sync_now()").close();
            System.out.println("synced");
        }
    }
}
