package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.sql.Statement;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Metadata edited by hand: impossible values are found before they are acted on or published,
 * and reported as a SQLException that says what is damaged.
 */
class DamagedMetadataTest {
    static final String ITEM = "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)";

    private static String deviceId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
            rs.next();
            return rs.getString("device_id");
        }
    }

    private static long batchFiles(Fleet f, String device) throws Exception {
        Path dir = Path.of(f.log(), "devices", device, "batches");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".batch")).count();
        }
    }

    private static void assertDamaged(SQLException e, String what) {
        assertEquals("XX001", e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void damagedChangeLogRowsAreRefusedBeforeTheyArePublished() throws Exception {
        String[] damage = {
            "UPDATE _sync_log SET pk = X'FFFF01'",
            "UPDATE _sync_log SET data = X'0102030405'",
            "UPDATE _sync_log SET pk = X''",
            "UPDATE _sync_log SET tbl = 'no_such_table'",
            "UPDATE _sync_log SET hlc = -5",
            "UPDATE _sync_log SET hlc = 9223372036854775000",
        };
        for (String sql : damage) {
            try (Fleet f = Fleet.sqlite(1)) {
                f.everywhere(ITEM);
                f.exec(0, "INSERT INTO item (id, name) VALUES (1, 'a')");
                f.database(0).execRaw(sql);
                SQLException e = assertThrows(SQLException.class, () -> f.sync(0), sql);
                assertDamaged(e, "_sync_log is damaged");
                assertEquals(0, batchFiles(f, deviceId(f.device(0))), "nothing was published after " + sql);
            }
        }
    }

    /**
     * A push acknowledges a written batch in the transaction that assigns the next: when the next
     * one is damaged, the written batch is still acknowledged (its log rows go), nothing after it
     * is published.
     */
    @Test
    void aDamagedBatchAfterAWrittenOneLeavesTheWrittenOneAcknowledged() throws Exception {
        java.util.Properties one = new java.util.Properties();
        one.setProperty("sync.batch-max-entries", "1");
        try (Fleet f = new Fleet(List.of(io.jdbcsync.testing.TestDatabase.Kind.SQLITE), null, one)) {
            f.everywhere(ITEM);
            f.exec(0, "INSERT INTO item (id, name) VALUES (1, 'a')");
            f.exec(0, "INSERT INTO item (id, name) VALUES (2, 'b')");
            f.database(0).execRaw("UPDATE _sync_log SET data = X'0102030405' WHERE hlc = (SELECT MAX(hlc) FROM _sync_log)");
            SQLException e = assertThrows(SQLException.class, () -> f.sync(0));
            assertDamaged(e, "_sync_log is damaged");
            assertEquals(1, batchFiles(f, deviceId(f.device(0))), "the first batch was published, the damaged one not");
            assertEquals(List.of("1"), f.database(0).rawRows("SELECT COUNT(*) FROM _sync_log"),
                    "the published batch was acknowledged; only the damaged row is left");
        }
    }

    /** The same for a packed log row (several changes of one statement in one row). */
    @Test
    void damagedPackedLogRowsAreRefusedBeforeTheyArePublished() throws Exception {
        String[] damage = {
            "UPDATE _sync_log SET pk = X'FFFF01'",
            "UPDATE _sync_log SET pk = X'0351'",
            "UPDATE _sync_log SET data = X'0102030405'",
            "UPDATE _sync_log SET data = SUBSTR(data, 1, LENGTH(data) - 1)",
            "UPDATE _sync_log SET hlc = hlc + 1",
            "UPDATE _sync_log SET op = 'Q'",
        };
        for (String sql : damage) {
            try (Fleet f = Fleet.sqlite(1)) {
                f.everywhere(ITEM);
                f.exec(0, "INSERT INTO item (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
                assertEquals(List.of("P"), f.database(0).rawRows("SELECT op FROM _sync_log"), "one packed row");
                f.database(0).execRaw(sql);
                SQLException e = assertThrows(SQLException.class, () -> f.sync(0), sql);
                assertDamaged(e, "_sync_log is damaged");
                assertEquals(0, batchFiles(f, deviceId(f.device(0))), "nothing was published after " + sql);
            }
        }
    }

    /** Found before the batch that changes the row is published; once repaired as the message says, nothing is lost. */
    @Test
    void damagedColumnVersionsAreFoundBeforeTheyArePublished() throws Exception {
        try (Fleet f = Fleet.sqlite(2)) {
            f.everywhere(ITEM);
            f.exec(0, "INSERT INTO item (id, name) VALUES (1, 'a')");
            f.sync(0);
            f.database(0).execRaw("UPDATE _sync_row SET cols = X'03FF'");
            f.exec(0, "UPDATE item SET name = 'b' WHERE id = 1");
            SQLException e = assertThrows(SQLException.class, () -> f.sync(0));
            assertDamaged(e, "_sync_row is damaged");
            assertEquals(1, batchFiles(f, deviceId(f.device(0))), "the batch with the update was not published");
            assertThrows(SQLException.class, () -> f.sync(0), "still refused while damaged");
            f.database(0).execRaw("DELETE FROM _sync_row WHERE cols = X'03FF'");
            f.sync(0);
            f.sync(1);
            assertEquals(f.rows(0, "item", "id"), f.rows(1, "item", "id"));
            assertEquals("[1|b]", f.rows(1, "item", "id").toString());
        }
    }

    /** The same for a pack of insert versions ({@code _sync_pack}): found before anything is published. */
    @Test
    void aDamagedInsertPackIsFoundBeforeItIsPublished() throws Exception {
        try (Fleet f = Fleet.sqlite(2)) {
            f.everywhere(ITEM);
            StringBuilder rows = new StringBuilder();
            for (int id = 1; id <= 40; id++) {
                rows.append(id == 1 ? "" : ", ").append("(").append(id).append(", 'n").append(id).append("')");
            }
            f.exec(0, "INSERT INTO item (id, name) VALUES " + rows);
            f.sync(0);
            assertEquals(List.of("1"), f.database(0).rawRows("SELECT COUNT(*) FROM _sync_pack"), "one pack");
            f.database(0).execRaw("UPDATE _sync_pack SET body = X'03FF'");
            f.exec(0, "UPDATE item SET name = 'b' WHERE id = 3");
            SQLException e = assertThrows(SQLException.class, () -> f.sync(0));
            assertDamaged(e, "_sync_pack is damaged");
            assertEquals(1, batchFiles(f, deviceId(f.device(0))), "the batch with the update was not published");
            f.database(0).execRaw("DELETE FROM _sync_pack");
            f.sync(0);
            f.sync(1);
            assertEquals(f.rows(0, "item", "id"), f.rows(1, "item", "id"));
            assertTrue(f.rows(1, "item", "id").contains("3|b"));
        }
    }

    @Test
    void aNegativeNextBatchIsRefused() throws Exception {
        try (Fleet f = Fleet.sqlite(1)) {
            f.everywhere(ITEM);
            f.exec(0, "INSERT INTO item (id, name) VALUES (1, 'a')");
            f.sync(0);
            f.database(0).execRaw("UPDATE _sync_state SET value = '-7' WHERE name = 'next_batch'");
            f.exec(0, "INSERT INTO item (id, name) VALUES (2, 'b')");
            SQLException e = assertThrows(SQLException.class, () -> f.sync(0));
            assertDamaged(e, "next_batch");
            assertEquals(1, batchFiles(f, deviceId(f.device(0))));
        }
    }

    @Test
    void anImpossibleClockOrAMissingIdentityIsRefusedAtConnect() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.SQLITE)) {
            Path log = Files.createTempDirectory("jdbc-sync-log");
            java.util.Properties p = new java.util.Properties();
            p.setProperty("sync.log", log.toString());
            try (Connection c = db.openSync(p)) {
                TestDatabase.exec(c, ITEM, "INSERT INTO item (id, name) VALUES (1, 'a')", "CALL sync_now()");
            }
            db.execRaw("UPDATE _sync_state SET value = '" + Long.MAX_VALUE + "' WHERE name = 'hlc'");
            assertDamaged(assertThrows(SQLException.class, () -> db.openSync(p)), "hlc");
            db.execRaw("UPDATE _sync_state SET value = '-3' WHERE name = 'hlc'");
            assertDamaged(assertThrows(SQLException.class, () -> db.openSync(p)), "hlc");
            db.execRaw("UPDATE _sync_state SET value = '0' WHERE name = 'hlc'");
            db.openSync(p).close();

            db.execRaw("DELETE FROM _sync_state WHERE name = 'device_id'");
            assertDamaged(assertThrows(SQLException.class, () -> db.openSync(p)), "device_id");
        }
    }

    @Test
    void aCursorBeyondTheNewestBatchIsReported() throws Exception {
        try (Fleet f = Fleet.sqlite(2)) {
            f.everywhere(ITEM);
            f.exec(0, "INSERT INTO item (id, name) VALUES (1, 'a')");
            f.syncAll();
            String a = deviceId(f.device(0));
            f.database(1).execRaw("UPDATE _sync_cursor SET sequence = 50 WHERE device = '" + a + "'");
            f.reopen(1);
            SQLException e = assertThrows(SQLException.class, () -> f.sync(1));
            assertTrue(e.getMessage().contains("_sync_cursor is damaged"), e.getMessage());
        }
    }
}
