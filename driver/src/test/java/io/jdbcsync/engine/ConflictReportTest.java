package io.jdbcsync.engine;

import io.jdbcsync.testing.Fleet;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a user sees of conflicts and of the last sync, from this process and from a later one. */
class ConflictReportTest {

    @Test
    void syncConflictsListsTheLosingVersionDecoded() throws Exception {
        try (Fleet f = Fleet.sqlite(2)) {
            f.everywhere("CREATE TABLE person (id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT, photo BLOB)");
            f.exec(0, "INSERT INTO person (email, name) VALUES ('a@x.org', 'first')");
            f.exec(1, "INSERT INTO person (email, name, photo) VALUES ('a@x.org', 'it''s second', X'00ff')");
            f.syncAll();
            for (int d = 0; d < 2; d++) {
                try (Statement s = f.device(d).createStatement(); ResultSet rs = s.executeQuery("CALL sync_conflicts()")) {
                    assertTrue(rs.next(), "device " + d + " lists the conflict");
                    assertEquals("person", rs.getString("table_name"));
                    String losing = rs.getString("losing_row");
                    assertTrue(losing.contains("email: 'a@x.org'"), losing);
                    assertTrue(losing.contains("name: 'it''s second'") || losing.contains("name: 'first'"), losing);
                    assertNotNull(rs.getString("row_key"));
                    assertNotNull(rs.getString("losing_device"));
                    assertEquals(1L, rs.getLong("active"));
                    assertFalse(rs.next());
                }
            }
        }
    }

    @Test
    void statusShowsTheLastSyncAfterTheProcessForgotIt() throws Exception {
        try (Fleet f = Fleet.sqlite(1)) {
            f.everywhere("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            f.sync(0);
            String first = status(f, "last_sync");
            assertNotNull(first);
            // Every connection closed: the engine and what it held in memory are gone.
            f.reopen(0);
            assertEquals(first, status(f, "last_sync"));
            assertNull(status(f, "last_error"));
        }
    }

    private static String status(Fleet f, String column) throws SQLException {
        try (Statement s = f.device(0).createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
            rs.next();
            return rs.getString(column);
        }
    }
}
