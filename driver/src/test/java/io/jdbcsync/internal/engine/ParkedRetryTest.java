package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.Fleet;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parked changes are retried only when something that could unpark them changed. */
class ParkedRetryTest {

    @Test
    void syncWithNothingNewLeavesParkedChangesAlone() throws Exception {
        try (Fleet f = Fleet.sqlite(2)) {
            f.everywhere("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            f.exec(0, "CREATE TABLE extra (id INTEGER PRIMARY KEY, v TEXT)");
            f.exec(0, "INSERT INTO extra (id, v) VALUES (1, 'a')", "INSERT INTO extra (id, v) VALUES (2, 'b')");
            f.sync(0);
            // Every removal from the parked table is counted (a re-park is a removal and an insert).
            try (Connection raw = DriverManager.getConnection(f.database(1).rawUrl()); Statement s = raw.createStatement()) {
                s.execute("CREATE TABLE unparked (n INTEGER)");
                s.execute("INSERT INTO unparked VALUES (0)");
                s.execute("CREATE TRIGGER count_unparked AFTER DELETE ON _sync_pending BEGIN UPDATE unparked SET n = n + 1; END");
            }
            f.sync(1);
            assertEquals(2, parked(f));
            long afterFirst = unparked(f);

            f.sync(1);
            f.sync(1);
            assertEquals(afterFirst, unparked(f), "syncs with nothing new re-parked the parked changes");

            // New rows of another table wake nothing parked either.
            f.exec(0, "INSERT INTO t (id, v) VALUES (1, 'x')");
            f.sync(0);
            f.sync(1);
            assertEquals(afterFirst, unparked(f));
            assertEquals(2, parked(f));

            // The schema catching up does unpark them.
            f.exec(1, "CREATE TABLE extra (id INTEGER PRIMARY KEY, v TEXT)");
            f.sync(1);
            assertEquals(0, parked(f));
            assertEquals(f.rows(0, "extra", "id"), f.rows(1, "extra", "id"));
            assertTrue(unparked(f) >= afterFirst + 2);
        }
    }

    @Test
    void updateWaitingForItsRowIsRetriedWhenTheRowArrives() throws Exception {
        try (Fleet f = Fleet.sqlite(3)) {
            f.everywhere("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            f.exec(0, "INSERT INTO t (id, v) VALUES (1, 'a')");
            f.sync(0);
            f.sync(2);
            f.exec(2, "UPDATE t SET v = 'b' WHERE id = 1");
            f.sync(2);
            // Device 1 gets the update before the insert: parked until the row arrives.
            try (Connection raw = DriverManager.getConnection(f.database(1).rawUrl()); Statement s = raw.createStatement()) {
                s.execute("INSERT INTO _sync_cursor (device, sequence, hlc) VALUES ('"
                        + f.device(0).unwrap(io.jdbcsync.SyncClient.class).deviceId() + "', 1, 0)");
            }
            f.sync(1);
            assertEquals(1, parked(f));
            f.sync(1);
            assertEquals(1, parked(f));
            try (Connection raw = DriverManager.getConnection(f.database(1).rawUrl()); Statement s = raw.createStatement()) {
                s.execute("DELETE FROM _sync_cursor WHERE device = '"
                        + f.device(0).unwrap(io.jdbcsync.SyncClient.class).deviceId() + "'");
            }
            f.sync(1);
            assertEquals(0, parked(f));
            assertEquals(f.rows(2, "t", "id"), f.rows(1, "t", "id"));
        }
    }

    private static long parked(Fleet f) throws Exception {
        try (Statement s = f.device(1).createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
            rs.next();
            return rs.getLong("parked_changes");
        }
    }

    private static long unparked(Fleet f) throws Exception {
        try (Connection raw = DriverManager.getConnection(f.database(1).rawUrl());
             Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT n FROM unparked")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
