package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two devices inserting the same explicit key: the newer insert wins and the other is recorded. */
class KeyConflictTest {

    @Test
    void sameKeyInsertedTwiceIsRecordedOnEveryDevice() throws Exception {
        try (Fleet f = new Fleet(List.of(TestDatabase.Kind.SQLITE, TestDatabase.Kind.MARIADB, TestDatabase.Kind.SQLITE), null, null)) {
            f.everywhere("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(16))");
            f.exec(0, "INSERT INTO t (id, v) VALUES (7, 'first')");
            f.exec(1, "INSERT INTO t (id, v) VALUES (7, 'second')");
            f.sync(0);
            long[] second = f.sync(1);
            assertEquals(1, second[3], "the device whose insert wins reports the conflict");
            f.syncAll();
            assertEquals(List.of("7|second"), f.rows(0, "t", "id"));
            List<String> expected = conflicts(f, 0);
            assertEquals(1, expected.size(), expected.toString());
            assertTrue(expected.get(0).contains("first"), "the losing row is kept: " + expected);
            for (int i = 1; i < f.size(); i++) {
                assertEquals(f.rows(0, "t", "id"), f.rows(i, "t", "id"));
                assertEquals(expected, conflicts(f, i), "conflicts of device " + i);
            }
            // Delivered again (cursors reset): still one record each.
            f.exec(2, "DELETE FROM _sync_cursor");
            f.syncAll();
            assertEquals(expected, conflicts(f, 2));
        }
    }

    @Test
    void insertAfterADeleteIsNoConflictWhateverTheArrivalOrder() throws Exception {
        try (Fleet f = Fleet.sqlite(3)) {
            f.everywhere("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            f.exec(0, "INSERT INTO t (id, v) VALUES (7, 'first')");
            f.sync(0);
            f.sync(1);
            f.exec(1, "DELETE FROM t WHERE id = 7", "INSERT INTO t (id, v) VALUES (7, 'again')");
            f.sync(1);
            // Device 2 sees device 1's delete and re-insert before device 0's first insert.
            f.sync(2);
            f.syncAll();
            for (int i = 0; i < f.size(); i++) {
                assertEquals(List.of("7|again"), f.rows(i, "t", "id"));
                assertEquals(List.of(), conflicts(f, i), "device " + i);
            }
        }
    }

    /**
     * A newer insert of a key replaces a row whose column a still newer update wrote, and loses a
     * unique collision where it arrives: the copy kept aside is the row as that insert leaves it
     * (the newer update's value included), so the row comes back with it once the value is free.
     */
    @Test
    void displacedInsertKeepsColumnsOfNewerUpdates() throws Exception {
        try (Fleet f = Fleet.sqlite(3)) {
            f.everywhere("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, note TEXT)");
            f.exec(1, "INSERT INTO t (id, name) VALUES (100, 'eve')");
            pause();
            f.exec(0, "INSERT INTO t (id, note) VALUES (1, 'first')");
            pause();
            f.exec(2, "INSERT INTO t (id, name) VALUES (1, 'eve')");
            pause();
            f.exec(0, "UPDATE t SET note = 'later' WHERE id = 1");
            f.sync(1);
            f.sync(0);
            f.sync(2);
            // Device 0 receives device 2's insert of key 1 while device 1's row holds 'eve' with an older claim.
            f.sync(0);
            assertEquals(List.of("100|eve|null"), f.rows(0, "t", "id"));
            f.exec(1, "DELETE FROM t WHERE id = 100");
            f.syncAll();
            f.syncAll();
            for (int i = 0; i < f.size(); i++) {
                assertEquals(List.of("1|eve|later"), f.rows(i, "t", "id"), "device " + i);
            }
        }
    }

    /**
     * A delete arrives for a row that is out of its table after a unique collision, and an update
     * newer than the delete wrote it: the update is kept for a re-insert from the kept copy, as on
     * devices where the row was in its table.
     */
    @Test
    void deleteOfADisplacedRowKeepsNewerUpdates() throws Exception {
        try (Fleet f = Fleet.sqlite(3)) {
            f.everywhere("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, note TEXT)");
            f.exec(0, "INSERT INTO t (id, note) VALUES (1, 'a')");
            f.syncAll();
            pause();
            f.exec(1, "INSERT INTO t (id, name) VALUES (100, 'eve')");
            pause();
            f.exec(2, "DELETE FROM t WHERE id = 1");
            pause();
            f.exec(2, "INSERT INTO t (id, note) VALUES (1, 'c')");
            pause();
            f.exec(0, "UPDATE t SET name = 'eve', note = 'b' WHERE id = 1");
            f.sync(1);
            f.sync(0);
            assertEquals(List.of("100|eve|null"), f.rows(0, "t", "id"), "row 1 is displaced on device 0");
            f.sync(2);
            f.sync(0);
            f.syncAll();
            for (int i = 0; i < f.size(); i++) {
                assertEquals(List.of("100|eve|null"), f.rows(i, "t", "id"), "device " + i);
            }
        }
    }

    /** Lets each device's clock move on, so the order of the steps is the order of their versions. */
    private static void pause() throws InterruptedException {
        Thread.sleep(5);
    }

    /** Conflict records as (table, losing version, reason, kept row), comparable across devices. */
    private static List<String> conflicts(Fleet f, int device) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection raw = DriverManager.getConnection(f.database(device).rawUrl());
             Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT tbl, hlc, device, reason, data FROM _sync_conflict ORDER BY hlc, device")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getLong(2) + " " + rs.getString(3) + " " + rs.getString(4) + " "
                        + io.jdbcsync.internal.value.ValueCodec.decodeRow(rs.getBytes(5)));
            }
        }
        return out;
    }
}
