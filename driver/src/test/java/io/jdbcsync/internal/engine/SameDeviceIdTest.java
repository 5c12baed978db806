package io.jdbcsync.internal.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A copied database file opened next to its original in one process is refused, not synced as the original. */
class SameDeviceIdTest {
    @TempDir
    Path dir;

    @Test
    void copyOpenedNextToItsOriginalIsRefused() throws Exception {
        Properties p = new Properties();
        p.setProperty("sync.log", dir.resolve("log").toString());
        Path original = dir.resolve("original.db");
        try (Connection a = DriverManager.getConnection("jdbc:sync:sqlite:" + original, p); Statement s = a.createStatement()) {
            s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
            s.executeUpdate("INSERT INTO item (name) VALUES ('x')");
            s.executeQuery("CALL sync_now()").close();
        }
        Path copy = dir.resolve("copy.db");
        Files.copy(original, copy);
        try (Connection a = DriverManager.getConnection("jdbc:sync:sqlite:" + original, p)) {
            SQLException e = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection("jdbc:sync:sqlite:" + copy, p).close());
            assertTrue(e.getMessage().contains("copy"), e.getMessage());
            assertTrue(a.isValid(1));
        }
        // Alone, the copy opens and pushes its next batch; the original's different batch of the
        // same number is then refused loudly, and nothing is overwritten.
        try (Connection b = DriverManager.getConnection("jdbc:sync:sqlite:" + copy, p); Statement s = b.createStatement()) {
            s.executeUpdate("INSERT INTO item (name) VALUES ('only in the copy')");
            s.executeQuery("CALL sync_now()").close();
        }
        try (Connection a = DriverManager.getConnection("jdbc:sync:sqlite:" + original, p); Statement s = a.createStatement()) {
            s.executeUpdate("INSERT INTO item (name) VALUES ('only in the original')");
            SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("CALL sync_now()").close());
            assertTrue(e.getMessage().contains("two databases use the device id"), e.getMessage());
        }
    }
}
