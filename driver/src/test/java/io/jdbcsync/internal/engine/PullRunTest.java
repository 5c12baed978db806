package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pull integrates a run of consecutive batches in one transaction; a batch that fails to apply
 * or to be read still stops its device where integrating batch by batch stopped it: every batch
 * before it applied, the cursor on the one before it.
 */
class PullRunTest {
    private static final String ITEMS = "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(40), n INTEGER)";

    /** Ten entries a batch: 95 inserts are ten batches, all in one run. */
    private static Fleet fleet(Kind kind) throws Exception {
        Properties p = new Properties();
        p.setProperty("sync.batch-max-entries", "10");
        Fleet f = new Fleet(List.of(kind, kind), null, p);
        f.everywhere(ITEMS);
        return f;
    }

    /** Inserts rows 1 to 95 on device 0, row {@code poison} (0: none) named "poison", and pushes them. */
    private static String push95(Fleet f, int poison) throws SQLException {
        for (int i = 1; i <= 95; i++) {
            f.exec(0, "INSERT INTO item (id, name, n) VALUES (" + i + ", '" + (i == poison ? "poison" : "r" + i) + "', " + i + ")");
        }
        assertEquals(95, f.sync(0)[0]);
        return f.database(0).rawRows("SELECT value FROM _sync_state WHERE name = 'device_id'").get(0);
    }

    private static long cursor(Fleet f, String remote) throws SQLException {
        List<String> rows = f.database(1).rawRows("SELECT sequence FROM _sync_cursor WHERE device = '" + remote + "'");
        return rows.isEmpty() ? 0 : Long.parseLong(rows.get(0));
    }

    private static long count(Fleet f) throws SQLException {
        return Long.parseLong(f.database(1).rawRows("SELECT COUNT(*) FROM item").get(0));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRunOfBatchesAppliesEveryChangeAndEndsOnTheCursorOfItsLast(Kind kind) throws Exception {
        try (Fleet f = fleet(kind)) {
            for (int i = 1; i <= 40; i++) {
                f.exec(0, "INSERT INTO item (id, name, n) VALUES (" + i + ", 'r" + i + "', " + i + ")");
            }
            // Updates and deletes of rows inserted in earlier batches of the same run.
            f.exec(0, "UPDATE item SET name = 'changed' WHERE id IN (3, 17, 38)", "DELETE FROM item WHERE id IN (5, 25)");
            for (int i = 41; i <= 95; i++) {
                f.exec(0, "INSERT INTO item (id, name, n) VALUES (" + i + ", 'r" + i + "', " + i + ")");
            }
            f.exec(0, "UPDATE item SET n = 0 WHERE id = 90");
            long pushed = f.sync(0)[0];
            String remote = f.database(0).rawRows("SELECT value FROM _sync_state WHERE name = 'device_id'").get(0);
            assertEquals(pushed, f.sync(1)[1]);
            assertEquals(f.rows(0, "item", "id"), f.rows(1, "item", "id"));
            assertEquals(f.database(0).versions(), f.database(1).versions());
            assertEquals((pushed + 9) / 10, cursor(f, remote));
            // Later changes both ways still converge.
            f.exec(1, "UPDATE item SET name = 'from 1' WHERE id = 4");
            f.exec(0, "DELETE FROM item WHERE id = 4");
            f.syncAll();
            assertEquals(f.rows(0, "item", "id"), f.rows(1, "item", "id"));
        }
    }

    /**
     * A trigger on device 1 refuses row 45 (in the fifth batch, within the run) or row 95 (in the
     * last batch, found only when the run's writes are flushed at its end).
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aBatchThatCannotBeAppliedStopsItsDeviceAfterTheBatchesBeforeIt(Kind kind) throws Exception {
        for (int poison : new int[] {45, 95}) {
            try (Fleet f = fleet(kind)) {
                f.database(1).execRaw(kind == Kind.SQLITE
                        ? "CREATE TRIGGER refuse BEFORE INSERT ON item WHEN NEW.name = 'poison'"
                                + " BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END"
                        : "CREATE TRIGGER refuse BEFORE INSERT ON item FOR EACH ROW BEGIN IF NEW.name = 'poison' THEN"
                                + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by trigger'; END IF; END");
                String remote = push95(f, poison);
                SQLException e = assertThrows(SQLException.class, () -> f.sync(1));
                assertTrue(String.valueOf(e.getMessage()).contains("refused by trigger")
                        || e.getCause() != null && String.valueOf(e.getCause().getMessage()).contains("refused by trigger"),
                        e.toString());
                long before = (poison - 1) / 10; // whole batches before the refused row's
                assertEquals(before, cursor(f, remote), "row " + poison);
                assertEquals(before * 10, count(f), "row " + poison);
                f.database(1).execRaw("DROP TRIGGER refuse");
                f.sync(1);
                assertEquals(10, cursor(f, remote));
                assertEquals(f.rows(0, "item", "id"), f.rows(1, "item", "id"));
            }
        }
    }

    /** The sixth batch's file is damaged: it is read ahead while the fifth is integrated, and the run ends there. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void anUnreadableBatchEndsTheRunAfterTheBatchesBeforeIt(Kind kind) throws Exception {
        try (Fleet f = fleet(kind)) {
            String remote = push95(f, 0);
            Path batch = Path.of(f.log(), "devices", remote, "batches", String.format("%020d.batch", 6));
            byte[] good = Files.readAllBytes(batch);
            byte[] bad = good.clone();
            bad[bad.length / 2] ^= 0x5A;
            Files.write(batch, bad);
            SQLException e = assertThrows(SQLException.class, () -> f.sync(1));
            assertTrue(e.getMessage().contains("checksum"), e.getMessage());
            assertEquals(5, cursor(f, remote));
            assertEquals(50, count(f));
            Files.write(batch, good);
            f.sync(1);
            assertEquals(10, cursor(f, remote));
            assertEquals(f.rows(0, "item", "id"), f.rows(1, "item", "id"));
        }
    }
}
