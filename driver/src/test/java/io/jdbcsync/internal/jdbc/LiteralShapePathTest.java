package io.jdbcsync.internal.jdbc;

import io.jdbcsync.internal.sql.LiteralShape;
import io.jdbcsync.internal.sql.LiteralTyping;
import io.jdbcsync.internal.sql.SqlAnalyzer;
import io.jdbcsync.internal.sql.SqlSyntax;
import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes sent through a plain statement with their values as literals run as their shape with the
 * values bound: the rows, the change log, the counts, keys and errors the app sees are those of
 * the text as sent, and the parse cache holds the shape, not every text.
 */
class LiteralShapePathTest {

    /** Texts for both databases, then for each one. */
    private static final List<String> COMMON = List.of(
            "INSERT INTO item (id, name, price, qty, ratio) VALUES (1, 'plain', 1.50, 3, 0.25)",
            "INSERT INTO item (id, name, price, qty, ratio) VALUES (2, 'it''s', -2.25, -7, -1.5)",
            "INSERT INTO item (id, name, big) VALUES (3, 'ünï€😀 \"q\"', 9223372036854775807)",
            "INSERT INTO item (id, name, big) VALUES (4, 'min', -9223372036854775807)",
            "INSERT INTO item (id, name, qty) VALUES (5, NULL, DEFAULT)",
            "INSERT INTO item (id, name, d) VALUES (6, 'date', DATE '2020-02-29')",
            "INSERT INTO item (id, qty) VALUES (8, 0x10)",
            "INSERT INTO item (id, name, price) VALUES (9, 'ten', '10.5')",
            "INSERT INTO item (id, qty, name) VALUES (10, '42', 42)",
            "INSERT INTO item (id, name) VALUES (11, 'a'), (12, 'b'), (13, 'c')",
            "INSERT INTO item(id,name,ratio) VALUES(14,'tight',.5)",
            "INSERT INTO item (id, name, ratio) VALUES (15, 'exp', 1.5e3)",
            "INSERT INTO item (id, name) VALUES (16, 'q?') -- a comment 'with quotes'",
            "INSERT INTO item (id, name, ratio, price) VALUES (17, '', 0.1, 0.00)",
            "INSERT INTO item (id, name, ratio) VALUES (18, 'digits', 12345678901234.56789)",
            "UPDATE item SET qty = qty + 1 WHERE id = 1",
            "UPDATE item SET name = 'renamed', ratio = 2.5 WHERE id = 2",
            "UPDATE item SET price = 0.01 WHERE id IN (11, 12)",
            "UPDATE item SET qty = 5 WHERE id BETWEEN 11 AND 13",
            "UPDATE item SET name = 'range' WHERE id >= 12 AND id < 14",
            "UPDATE item SET ratio = 1.0 / 3 WHERE id = 14",
            "UPDATE item SET qty=-5 WHERE id=16",
            "UPDATE item SET name = 'none' WHERE id = 999",
            "UPDATE item SET name = 'str key' WHERE id = '17'",
            "INSERT INTO item (id, name) VALUES (1, 'duplicate')",
            "DELETE FROM item WHERE id = 13",
            "DELETE FROM item WHERE id BETWEEN 11 AND 12",
            "INSERT INTO ev (kind, n) VALUES ('click', 1)",
            "INSERT INTO ev (kind, n) VALUES ('view', 2), ('view', 3)",
            "UPDATE ev SET n = 30 WHERE kind = 'click'",
            "DELETE FROM ev WHERE n = 2",
            "INSERT INTO scratch (x, y) VALUES (1, 'unsynced')",
            "UPDATE scratch SET y = 'still' WHERE x = 1");
    private static final List<String> SQLITE = List.of(
            "INSERT INTO item (id, name, data) VALUES (20, 'blob', X'00ff10')",
            "INSERT INTO item (id, name) VALUES (-21, 'negative key')",
            "INSERT INTO item (id, name) VALUES (21, 'back\\slash')",
            "INSERT INTO item (id, name, qty) VALUES (1, 'dup', 1) ON CONFLICT (id) DO UPDATE SET qty = 100, name = 'upserted'",
            "INSERT OR REPLACE INTO item (id, name) VALUES (2, 'replaced')",
            "INSERT OR IGNORE INTO item (id, name) VALUES (3, 'ignored')");
    private static final List<String> MARIADB = List.of(
            "INSERT INTO item (id, name, data) VALUES (20, 'blob', X'00ff10')",
            "INSERT INTO item (id, name) VALUES (-21, 'negative key')",
            "INSERT INTO item (id, name, qty) VALUES (22, 'hex to number', X'41')",
            "INSERT INTO item (id, name) VALUES (21, 'back\\\\slash\\'s')",
            "INSERT INTO item (id, name) VALUES (23, N'national')",
            "INSERT INTO item (id, name, qty) VALUES (1, 'dup', 1) ON DUPLICATE KEY UPDATE qty = 100, name = 'upserted'",
            "REPLACE INTO item (id, name) VALUES (2, 'replaced')",
            "INSERT IGNORE INTO item (id, name) VALUES (3, 'ignored')",
            "INSERT INTO item SET id = 24, name = 'set form'");

    private static List<String> corpus(Kind kind) {
        List<String> all = new ArrayList<>(COMMON);
        all.addAll(kind == Kind.SQLITE ? SQLITE : MARIADB);
        return all;
    }

    private static void createTables(TestDatabase db, Connection c) throws SQLException {
        boolean sqlite = db.kind() == Kind.SQLITE;
        TestDatabase.exec(c, "CREATE TABLE item (id " + (sqlite ? "INTEGER" : "BIGINT") + " PRIMARY KEY, name VARCHAR(100),"
                        + " price DECIMAL(10,2), qty INT DEFAULT 7, big BIGINT, ratio DOUBLE, data "
                        + (sqlite ? "BLOB" : "VARBINARY(50)") + ", d DATE)",
                "CREATE TABLE ev (id " + db.autoKey() + ", kind VARCHAR(20), n INT)",
                "CREATE TABLE scratch (x INT, y VARCHAR(20))");
    }

    /** What the app saw and what is stored, after running the corpus with the shape path on or off. */
    private static List<String> run(TestDatabase db, List<String> texts, boolean shapes) throws SQLException {
        List<String> seen = new ArrayList<>();
        boolean before = SyncStatement.hoistLiterals;
        SyncStatement.hoistLiterals = shapes;
        try (Connection c = db.openSync()) {
            createTables(db, c);
            try (Statement s = c.createStatement()) {
                for (String sql : texts) {
                    try {
                        int n = s.executeUpdate(sql, Statement.RETURN_GENERATED_KEYS);
                        int keys = 0;
                        try (ResultSet rs = s.getGeneratedKeys()) {
                            while (rs.next()) {
                                keys++;
                            }
                        }
                        seen.add(sql + " -> " + n + " rows, " + keys + " keys");
                    } catch (SQLException e) {
                        seen.add(sql + " -> error " + e.getSQLState() + " " + e.getErrorCode());
                    }
                }
            }
        } finally {
            SyncStatement.hoistLiterals = before;
        }
        seen.addAll(db.rawRows("SELECT id, name, price, qty, big, ratio, hex(data), d FROM item ORDER BY id"));
        seen.addAll(db.rawRows("SELECT kind, n FROM ev ORDER BY kind, n"));
        seen.addAll(db.rawRows("SELECT x, y FROM scratch ORDER BY x"));
        // generated keys differ between devices: the log lines of ev are compared without them
        for (String line : ChangeLog.lines(db)) {
            seen.add(line.contains(" ev ") ? line.replaceAll("\\[-?\\d+]", "[key]").replaceAll("id=-?\\d+", "id=key") : line);
        }
        return seen;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shapePathStoresLogsAndAnswersAsTheTextAsSent(Kind kind) throws Exception {
        try (TestDatabase withShapes = TestDatabase.create(kind); TestDatabase asSent = TestDatabase.create(kind)) {
            List<String> expected = run(asSent, corpus(kind), false);
            List<String> actual = run(withShapes, corpus(kind), true);
            assertEquals(String.join("\n", expected), String.join("\n", actual));
            assertTrue(ChangeLog.count(withShapes) > 20, "the corpus logs its writes");
            long shaped = corpus(kind).stream().filter(sql -> LiteralShape.of(sql, syntax(kind), typing(kind)) != null).count();
            assertTrue(shaped >= 30, "texts that run as a shape: " + shaped);
        }
    }

    private static SqlSyntax syntax(Kind kind) {
        return kind == Kind.SQLITE ? SqlSyntax.SQLITE : SqlSyntax.MARIADB;
    }

    private static LiteralTyping typing(Kind kind) {
        return kind == Kind.SQLITE ? LiteralTyping.REAL_DECIMALS : LiteralTyping.EXACT_DECIMALS;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aNullTextIsRefusedAsBefore(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync(); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate(null));
            assertEquals("42000", e.getSQLState());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void distinctTextsOfOneShapeLeaveOneCacheEntry(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            createTables(db, c);
            SqlAnalyzer analyzer = ((SyncConnection) c).device().analyzer();
            int before = analyzer.cachedCount();
            try (Statement s = c.createStatement()) {
                for (int i = 0; i < 1000; i++) {
                    assertEquals(1, s.executeUpdate("INSERT INTO item (id, name, price) VALUES (" + i + ", 'name " + i
                            + "', " + i + ".5)"));
                }
            }
            assertTrue(analyzer.cachedCount() - before <= 1, "cached texts: " + (analyzer.cachedCount() - before));
            assertEquals(1000, ChangeLog.count(db));
            assertEquals(kind == Kind.SQLITE ? "999|name 999|999.5" : "999|name 999|999.50", db.rawRows("SELECT id, name, price FROM item WHERE id = 999").get(0));
        }
    }

    /** A batch of new texts takes the same path: its texts do not fill the parse cache either. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aBatchOfDistinctTextsLeavesOneCacheEntry(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            createTables(db, c);
            SqlAnalyzer analyzer = ((SyncConnection) c).device().analyzer();
            int before = analyzer.cachedCount();
            try (Statement s = c.createStatement()) {
                for (int i = 0; i < 500; i++) {
                    s.addBatch("INSERT INTO item (id, name) VALUES (" + i + ", 'batched " + i + "')");
                }
                long[] counts = s.executeLargeBatch();
                assertEquals(500, counts.length);
                for (long n : counts) {
                    assertEquals(1, n);
                }
            }
            assertTrue(analyzer.cachedCount() - before <= 1, "cached texts: " + (analyzer.cachedCount() - before));
            assertEquals(500, ChangeLog.count(db));
        }
    }
}
