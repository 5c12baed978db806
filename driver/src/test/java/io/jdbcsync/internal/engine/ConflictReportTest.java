package io.jdbcsync.internal.engine;

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

    /**
     * Updates made on devices that had not seen a delete of their row lose to it: every device lists
     * the same lost column values (per column the newest), whatever the order changes arrived in,
     * and the list empties when an insert brings the row back.
     */
    @Test
    void columnValuesLostToARacingDeleteAreListedAlikeEverywhere() throws Exception {
        try (Fleet f = Fleet.sqlite(3)) {
            f.everywhere("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, note TEXT)");
            f.exec(0, "INSERT INTO t (id, name, note) VALUES (1, 'a', 'n')");
            f.syncAll();
            f.exec(0, "DELETE FROM t WHERE id = 1");
            Thread.sleep(5);
            f.exec(1, "UPDATE t SET name = 'b', note = 'kept?' WHERE id = 1");
            Thread.sleep(5);
            f.exec(2, "UPDATE t SET name = 'c' WHERE id = 1");
            f.sync(0);
            f.sync(1);
            f.sync(2);
            f.syncAll();
            f.syncAll();
            String d1 = f.device(1).unwrap(io.jdbcsync.SyncClient.class).deviceId();
            String d2 = f.device(2).unwrap(io.jdbcsync.SyncClient.class).deviceId();
            java.util.List<String> expected = java.util.List.of("name {name: 'c'} " + d2, "note {note: 'kept?'} " + d1);
            for (int d = 0; d < 3; d++) {
                assertEquals(java.util.List.of(), f.rows(d, "t", "id"), "the delete wins on device " + d);
                assertEquals(expected, lostColumns(f, d), "device " + d);
            }
            Thread.sleep(5);
            f.exec(0, "INSERT INTO t (id, name, note) VALUES (1, 'again', NULL)");
            f.syncAll();
            f.syncAll();
            for (int d = 0; d < 3; d++) {
                assertEquals(java.util.List.of(), lostColumns(f, d), "the row is back on device " + d);
                assertEquals(java.util.List.of("1|again|null"), f.rows(d, "t", "id"));
            }
        }
    }

    /** The lost column values listed by sync_conflicts(): column, losing value, losing device. */
    private static java.util.List<String> lostColumns(Fleet f, int d) throws SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Statement s = f.device(d).createStatement(); ResultSet rs = s.executeQuery("CALL sync_conflicts()")) {
            while (rs.next()) {
                if (rs.getString("column_name") != null) {
                    assertEquals(0L, rs.getLong("active"));
                    assertTrue(rs.getString("reason").contains("lost to a delete"), rs.getString("reason"));
                    assertEquals("t", rs.getString("table_name"));
                    assertEquals("1", rs.getString("row_key"));
                    out.add(rs.getString("column_name") + " " + rs.getString("losing_row") + " " + rs.getString("losing_device"));
                }
            }
        }
        java.util.Collections.sort(out);
        return out;
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
