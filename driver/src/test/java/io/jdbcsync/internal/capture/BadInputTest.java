package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writes the capture cannot log exactly are refused before they run; bad settings fail the connect. */
class BadInputTest {
    static final String ITEM = "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(50), n INTEGER)";
    static final String TAG = "CREATE TABLE tag (item_id BIGINT PRIMARY KEY, label VARCHAR(20))";
    static final String LOOSE = "CREATE TABLE loose (item_id BIGINT, note VARCHAR(20))";

    /** Writes to synced tables the database accepts but the capture cannot log exactly, and why. */
    private static List<String[]> uncapturable(Kind kind) {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"INSERT INTO item (id, name) VALUES (1 + 1, 'x')", "primary key id is given as an expression"});
        out.add(new String[] {(kind == Kind.SQLITE ? "INSERT OR IGNORE" : "INSERT IGNORE")
                + " INTO item (id, name) VALUES (5, 'x') RETURNING id", "RETURNING with a conflict clause"});
        out.add(new String[] {"UPDATE item SET name = 'x' WHERE id = 1; DELETE FROM item WHERE id = 2", "several statements"});
        out.add(new String[] {"INSERT INTO item (id, name) VALUES (5, 'x'", "cannot parse"});
        if (kind == Kind.SQLITE) {
            out.add(new String[] {"INSERT INTO item (id, name) VALUES (1, 'x') ON CONFLICT(id) DO UPDATE SET id = 100",
                "changes the primary key"});
            out.add(new String[] {"UPDATE item SET name = 'x' WHERE name GLOB 'a*'", "cannot parse"});
            out.add(new String[] {"UPDATE OR REPLACE item SET id = 2 WHERE id = 1", "UPDATE OR REPLACE"});
            out.add(new String[] {"UPDATE OR IGNORE item SET id = 2 WHERE id = 1", "UPDATE OR IGNORE"});
            out.add(new String[] {"INSERT INTO item DEFAULT VALUES", "DEFAULT VALUES"});
            out.add(new String[] {"UPDATE item SET (name, n) = ('x', 1) WHERE id = 1", "column list"});
        } else {
            out.add(new String[] {"INSERT INTO item (id, name) VALUES (5, _utf8mb4'x')", "cannot parse"});
            out.add(new String[] {"INSERT INTO item (id, name) VALUES (1, 'x') ON DUPLICATE KEY UPDATE id = id + 100",
                "changes the primary key"});
            out.add(new String[] {"TRUNCATE TABLE item", "TRUNCATE"});
            out.add(new String[] {"INSERT INTO item SET id = 5, name = 'x'", "INSERT ... SET"});
            out.add(new String[] {"UPDATE item i JOIN tag t ON t.item_id = i.id SET i.n = 1, t.label = 'z'",
                "changes columns of t"});
            out.add(new String[] {"DELETE i, t FROM item i JOIN tag t ON t.item_id = i.id", "several tables"});
            // The target is not synced, but a joined synced table is changed.
            out.add(new String[] {"DELETE l, i FROM loose l JOIN item i ON i.id = l.item_id", "several tables"});
            out.add(new String[] {"UPDATE loose JOIN item ON item.id = loose.item_id SET item.n = 5", "joins a synced table"});
            out.add(new String[] {"UPDATE loose l JOIN item i ON i.id = l.item_id SET n = 5, note = 'z'", "joins a synced table"});
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void uncapturableWritesAreRefusedBeforeTheyRun(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM, TAG, LOOSE, "INSERT INTO item (id, name, n) VALUES (1, 'a', 1), (2, 'b', 2)",
                    "INSERT INTO tag (item_id, label) VALUES (1, 'x')", "INSERT INTO loose (item_id, note) VALUES (1, 'l')");
            List<String> before = db.rawRows("SELECT * FROM item ORDER BY id");
            List<String> looseBefore = db.rawRows("SELECT * FROM loose");
            List<String> tagsBefore = db.rawRows("SELECT * FROM tag ORDER BY item_id");
            int logBefore = ChangeLog.count(db);
            for (String[] bad : uncapturable(kind)) {
                String sql = bad[0];
                SQLException e = assertThrows(SQLException.class, () -> {
                    try (Statement s = c.createStatement()) {
                        s.execute(sql);
                    }
                }, sql);
                assertInstanceOf(UncapturableWriteException.class, e, sql);
                assertEquals("0A000", e.getSQLState());
                assertTrue(e.getMessage().contains(sql.strip()), e.getMessage());
                assertTrue(e.getMessage().contains(bad[1]), "reason '" + bad[1] + "' in: " + e.getMessage());
                // The same through a prepared statement and a batch.
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    assertInstanceOf(UncapturableWriteException.class, assertThrows(SQLException.class, ps::executeUpdate), sql);
                } catch (SQLException prepareFailed) {
                    // The database itself rejects preparing it (e.g. several statements): equally nothing ran.
                }
                try (Statement s = c.createStatement()) {
                    s.addBatch("UPDATE item SET n = 7 WHERE id = 1");
                    s.addBatch(sql);
                    BatchUpdateException be = assertThrows(BatchUpdateException.class, s::executeBatch, sql);
                    assertEquals(1, be.getLargeUpdateCounts().length);
                }
                exec(c, "UPDATE item SET n = 1 WHERE id = 1");
            }
            assertEquals(before, db.rawRows("SELECT * FROM item ORDER BY id"));
            assertEquals(tagsBefore, db.rawRows("SELECT * FROM tag ORDER BY item_id"));
            assertEquals(looseBefore, db.rawRows("SELECT * FROM loose"));
            List<String> log = ChangeLog.lines(db).subList(logBefore, ChangeLog.count(db));
            for (String line : log) {
                assertTrue(line.equals("U item [1] n=7") || line.equals("U item [1] n=1"), line);
            }
            assertEquals(2 * uncapturable(kind).size(), log.size());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void passModeRunsTheWriteUnsyncedWithAWarning(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Properties p = new Properties();
            p.setProperty("sync.on-uncapturable", "pass");
            String marker = "m" + System.nanoTime();
            String sql = kind == Kind.SQLITE
                    ? "UPDATE item SET name = '" + marker + "' WHERE name GLOB 'a*'"
                    : "UPDATE item SET name = _utf8mb4'" + marker + "' WHERE id = 1";
            PrintStream err = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            try (Connection c = db.openSync(p)) {
                exec(c, ITEM, "INSERT INTO item (id, name) VALUES (1, 'a')");
                System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
                try {
                    exec(c, sql);
                } finally {
                    System.setErr(err);
                }
            }
            assertEquals(List.of(marker), db.rawRows("SELECT name FROM item"));
            assertEquals(List.of("I item [1] id=1 name='a' n=NULL"), ChangeLog.lines(db));
            String warning = captured.toString(StandardCharsets.UTF_8);
            assertTrue(warning.contains("WARN") && warning.contains("WITHOUT sync capture") && warning.contains(marker), warning);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void badOptionsFailTheConnect(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(db.syncUrl("sync.bogus=1")));
            assertTrue(e.getMessage().contains("unknown jdbc-sync option") && e.getMessage().contains("sync.bogus"), e.getMessage());
            Properties p = new Properties();
            p.setProperty("sync.tabels", "item");
            e = assertThrows(SQLException.class, () -> db.openSync(p));
            assertTrue(e.getMessage().contains("sync.tabels") && e.getMessage().contains("sync.tables"), e.getMessage());
            String[][] bad = {
                {"sync.on-uncapturable", "maybe", "'maybe' is not one of reject, pass"},
                {"sync.parse-cache-size", "0", "must be positive"},
                {"sync.parse-cache-size", "lots", "'lots' is not a whole number"},
                {"sync.interval", "soon", "not a duration"},
            };
            for (String[] b : bad) {
                Properties q = new Properties();
                q.setProperty(b[0], b[1]);
                e = assertThrows(SQLException.class, () -> db.openSync(q), b[0]);
                assertTrue(e.getMessage().contains(b[0]) && e.getMessage().contains(b[2]), e.getMessage());
                e = assertThrows(SQLException.class, () -> DriverManager.getConnection(db.syncUrl(b[0] + "=" + b[1])));
                assertTrue(e.getMessage().contains(b[0]) && e.getMessage().contains(b[2]), e.getMessage());
            }
            assertEquals("08001", assertThrows(SQLException.class,
                    () -> DriverManager.getConnection("jdbc:sync:postgresql://localhost/x")).getSQLState());
            // Nothing was set up by the failed connects.
            assertEquals(List.of(), db.rawRows(kind == Kind.SQLITE
                    ? "SELECT name FROM sqlite_master WHERE name LIKE '\\_sync%' ESCAPE '\\'"
                    : "SHOW TABLES LIKE '\\_sync%'"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void damagedSyncStateIsAClearErrorAtConnect(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            // A database with a table: the driver sets up its own tables at connect.
            db.execRaw("CREATE TABLE app (id INTEGER PRIMARY KEY)");
            db.openSync().close();
            String[][] damage = {
                {"device_id", "NOT A DEVICE!", "device_id = 'NOT A DEVICE!'"},
                {"node", "twelve", "node = 'twelve'"},
                {"format", "99", "newer jdbc-sync"},
            };
            for (String[] d : damage) {
                List<String> original = db.rawRows("SELECT value FROM _sync_state WHERE name = '" + d[0] + "'");
                assertEquals(1, original.size(), d[0]);
                db.execRaw("UPDATE _sync_state SET value = '" + d[1] + "' WHERE name = '" + d[0] + "'");
                SQLException e = assertThrows(SQLException.class, db::openSync, d[0]);
                assertTrue(e.getMessage().contains("_sync_state is damaged") && e.getMessage().contains(d[2]), e.getMessage());
                db.execRaw("UPDATE _sync_state SET value = '" + original.get(0) + "' WHERE name = '" + d[0] + "'");
                db.openSync().close();
            }
        }
    }
}
