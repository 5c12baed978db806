package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A device joining from a snapshot loads the rows of the tables it holds nothing of in bulk and
 * ends exactly where a device that integrated every change one by one is: same rows, same
 * versions, same decisions on later conflicting writes. Device 0 writes, device 1 follows change
 * by change, device 2 joins from the snapshot.
 */
class SnapshotJoinTest {
    private static final String TABLE = "CREATE TABLE item (id BIGINT PRIMARY KEY, note VARCHAR(40), n INTEGER,"
            + " email VARCHAR(60) UNIQUE, price DECIMAL(10,2))";

    private static Properties options() {
        Properties p = new Properties();
        p.setProperty("sync.batch-max-entries", "200");
        return p;
    }

    private static void write(Connection c, int from, int n, String tag) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (int i = from; i < from + n; i++) {
                s.executeUpdate("INSERT INTO item (id, note, n, email, price) VALUES (" + i + ", '" + tag + i + "', " + i
                        + ", '" + tag + i + "@x', " + i + ".25)");
            }
        }
        c.commit();
        c.setAutoCommit(true);
    }

    private static void compact(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("CALL sync_compact()").close();
        }
    }

    private static List<String> versions(Fleet f, int device) throws SQLException {
        return f.database(device).versions();
    }

    private static void assertSame(Fleet f, int expected, int actual) throws SQLException {
        assertEquals(f.rows(expected, "item", "id"), f.rows(actual, "item", "id"));
        assertEquals(versions(f, expected), versions(f, actual));
    }

    /**
     * Inserts, updates, deletes, a re-insert and a unique clash from two devices (in the snapshot
     * both clashing rows are live: loading them in bulk hits the unique constraint and that part
     * goes to the integrator), then a compaction.
     */
    private static void history(Fleet f) throws SQLException {
        write(f.device(0), 1, 300, "a");
        f.sync(0);
        f.sync(1);
        write(f.device(1), 1001, 100, "b");
        f.exec(1, "UPDATE item SET note = 'b-changed', n = n + 1 WHERE id BETWEEN 10 AND 40",
                "DELETE FROM item WHERE id BETWEEN 50 AND 60");
        f.exec(0, "UPDATE item SET price = 9.5 WHERE id BETWEEN 30 AND 70",
                "INSERT INTO item (id, note, n, email, price) VALUES (2001, 'clash', 1, 'b1001@x', 1)");
        f.sync(1);
        f.sync(0);
        f.sync(1);
        f.exec(0, "INSERT INTO item (id, note, n, email, price) VALUES (55, 'back', 55, 'back@x', 5)");
        f.sync(0);
        f.sync(1);
        // A newer batch of each device, so that the ones above (the unique clash included) are folded.
        f.exec(1, "INSERT INTO item (id, note, n, email, price) VALUES (1200, 'b-last', 1, 'b-last@x', 1)");
        f.sync(1);
        f.sync(0);
        f.exec(0, "INSERT INTO item (id, note, n, email, price) VALUES (400, 'a-last', 1, 'a-last@x', 1)");
        f.sync(0);
        f.sync(1);
        f.sync(0);
        compact(f.device(0));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void joiningFromASnapshotEndsWhereChangeByChangeIntegrationEnds(Kind kind) throws Exception {
        joinAndCompare(kind);
    }

    /** The same with at most three first inserts a pack: packs meet, split and lose rows throughout. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void joiningWithTinyInsertPacksEndsTheSame(Kind kind) throws Exception {
        System.setProperty("jdbcsync.pack.min-entries", "1");
        System.setProperty("jdbcsync.pack.max-entries", "3");
        try {
            joinAndCompare(kind);
        } finally {
            System.clearProperty("jdbcsync.pack.min-entries");
            System.clearProperty("jdbcsync.pack.max-entries");
        }
    }

    private static void joinAndCompare(Kind kind) throws Exception {
        try (Fleet f = new Fleet(List.of(kind, kind, kind), null, options())) {
            f.everywhere(TABLE);
            history(f);
            long[] joined = f.sync(2);
            assertTrue(joined[1] > 0, "the newcomer pulled the snapshot");
            assertEquals(f.rows(0, "item", "id"), f.rows(1, "item", "id"));
            assertSame(f, 1, 2);
            assertEquals(List.of(), f.database(2).rawRows("SELECT value FROM _sync_state WHERE name = 'snapshot.join'"));
            // Later conflicting writes are decided alike everywhere.
            f.exec(2, "UPDATE item SET note = 'from-2' WHERE id = 5", "DELETE FROM item WHERE id = 6");
            f.exec(1, "UPDATE item SET note = 'from-1', n = 0 WHERE id = 5", "UPDATE item SET note = 'lost' WHERE id = 6");
            f.exec(0, "INSERT INTO item (id, note, n, email, price) VALUES (3000, 'new', 1, 'new@x', 1)");
            f.syncAll();
            assertSame(f, 0, 1);
            assertSame(f, 1, 2);
        }
    }

    @Test
    void aDeviceThatHoldsRowsGoesThroughTheIntegratorAndStillConverges() throws Exception {
        try (Fleet f = new Fleet(List.of(Kind.SQLITE, Kind.SQLITE, Kind.SQLITE), null, options())) {
            f.everywhere(TABLE);
            history(f);
            // Written offline on the newcomer: one row of its own, one with a key the group uses too.
            f.database(2).execRaw("INSERT INTO item (id, note, n, email, price) VALUES (7, 'offline', 7, 'off7@x', 7)",
                    "INSERT INTO item (id, note, n, email, price) VALUES (5000, 'mine', 1, 'mine@x', 1)");
            f.sync(2);
            f.syncAll();
            assertEquals(f.rows(0, "item", "id"), f.rows(2, "item", "id"));
            assertEquals(f.rows(1, "item", "id"), f.rows(2, "item", "id"));
        }
    }

    @Test
    void anInterruptedJoinResumesAndEndsIdentical() throws Exception {
        Properties p = options();
        p.setProperty("sync.batch-max-entries", "2000");
        // The parts of one transaction, then two more parts of 5,000 entries and one of 2,000.
        int committed = Puller.PARTS_PER_TRANSACTION * 5000;
        int rows = committed + 12000;
        try (Fleet f = new Fleet(List.of(Kind.SQLITE, Kind.SQLITE, Kind.SQLITE), null, p)) {
            f.everywhere(TABLE);
            write(f.device(0), 1, rows, "a");
            f.sync(0);
            f.sync(1);
            f.sync(0);
            compact(f.device(0));
            // The second part of the second transaction fails, in bulk and through the integrator alike.
            f.database(2).execRaw("CREATE TRIGGER stop BEFORE INSERT ON item WHEN NEW.id = " + (committed + 7000)
                    + " BEGIN SELECT RAISE(ABORT, 'interrupted'); END");
            assertThrows(SQLException.class, () -> f.sync(2));
            List<String> partial = f.database(2).rawRows("SELECT COUNT(*) FROM item");
            assertEquals(List.of(Integer.toString(committed)), partial, "the parts of the first transaction stay");
            assertEquals(1, f.database(2).rawRows("SELECT value FROM _sync_state WHERE name = 'snapshot.join'").size());
            f.database(2).execRaw("DROP TRIGGER stop");
            f.sync(2);
            assertSame(f, 1, 2);
            assertEquals(rows, f.rows(2, "item", "id").size());
        }
    }
}
