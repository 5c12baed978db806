package io.jdbcsync.internal.engine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * One device run in its own JVM (tests start it under a faked clock): opens a jdbc-sync URL, runs
 * the statements it is given in order, then prints the rows of {@code t} as {@code ROW id|v}.
 */
public final class ClockDevice {
    private ClockDevice() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0]); Statement s = c.createStatement()) {
            for (int i = 1; i < args.length; i++) {
                s.execute(args[i]);
            }
            System.out.println("NOW " + System.currentTimeMillis());
            try (ResultSet rs = s.executeQuery("SELECT id, v FROM t ORDER BY id")) {
                while (rs.next()) {
                    System.out.println("ROW " + rs.getLong(1) + "|" + rs.getString(2));
                }
            }
            try (ResultSet rs = s.executeQuery("CALL sync_status()")) {
                rs.next();
                System.out.println("PARKED " + rs.getLong("parked_changes"));
            }
        }
    }
}
