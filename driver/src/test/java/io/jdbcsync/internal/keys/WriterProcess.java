package io.jdbcsync.internal.keys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A second process writing the same database: inserts rows with generated keys into every table
 * given and bumps a shared counter row, as fast as it can. Prints {@code READY <writer>}, waits for
 * the start file, then prints {@code DONE <failures>} and one {@code FAIL} line per failed statement.
 */
public final class WriterProcess {
    private WriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int rows = Integer.parseInt(args[1]);
        Path start = Path.of(args[2]);
        String[] tables = args[3].split(",");
        try (Connection c = DriverManager.getConnection(url)) {
            long writer;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_keys()")) {
                rs.next();
                writer = rs.getLong("writer");
            }
            System.out.println("READY " + writer);
            System.out.flush();
            while (!Files.exists(start)) {
                Thread.sleep(5);
            }
            int failures = 0;
            for (int i = 0; i < rows; i++) {
                for (String t : tables) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + " (name) VALUES (?)")) {
                        ps.setString(1, "w" + writer + "-" + i);
                        ps.executeUpdate();
                    } catch (SQLException e) {
                        failures++;
                        System.out.println("FAIL " + e.getMessage().replace('\n', ' '));
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE counter SET n = n + 1 WHERE id = 1");
                } catch (SQLException e) {
                    failures++;
                    System.out.println("FAIL " + e.getMessage().replace('\n', ' '));
                }
            }
            System.out.println("DONE " + failures);
        }
    }
}
