package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Every form of INSERT logs one 'I' (or, on conflict, 'U'/'D') entry per row it created or changed. */
class InsertCaptureTest {
    static final String ITEM = "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(50), n INTEGER)";
    static final String ITEM_UNIQUE = "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(50), n INTEGER,"
            + " code VARCHAR(20) UNIQUE)";

    @ParameterizedTest
    @EnumSource(Kind.class)
    void oneRowThroughEveryExecuteMethod(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM);
            try (Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("INSERT INTO item (id, name, n) VALUES (1, 'a', 10)"));
                assertFalse(s.execute("INSERT INTO item (id, name, n) VALUES (2, 'b', 20)"));
                assertEquals(1, s.getUpdateCount());
                assertEquals(1L, s.executeLargeUpdate("INSERT INTO item (id, name, n) VALUES (3, 'c', 30)"));
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name, n) VALUES (?, ?, ?)")) {
                ps.setLong(1, 4);
                ps.setString(2, "d");
                ps.setInt(3, 40);
                assertEquals(1, ps.executeUpdate());
                ps.setLong(1, 5);
                ps.setString(2, "e");
                ps.setInt(3, 50);
                assertFalse(ps.execute());
                assertEquals(1, ps.getUpdateCount());
                ps.setLong(1, 6);
                ps.setString(2, "f");
                ps.setNull(3, java.sql.Types.INTEGER);
                assertEquals(1L, ps.executeLargeUpdate());
            }
            assertEquals(List.of(
                    "I item [1] id=1 name='a' n=10",
                    "I item [2] id=2 name='b' n=20",
                    "I item [3] id=3 name='c' n=30",
                    "I item [4] id=4 name='d' n=40",
                    "I item [5] id=5 name='e' n=50",
                    "I item [6] id=6 name='f' n=NULL"), ChangeLog.lines(db));
            assertEquals(List.of("1|a|10", "2|b|20", "3|c|30", "4|d|40", "5|e|50", "6|f|null"),
                    db.rawRows("SELECT id, name, n FROM item ORDER BY id"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void manyValuesRowsLogOneEntryEach(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM);
            try (Statement s = c.createStatement()) {
                assertEquals(3, s.executeUpdate("INSERT INTO item (id, name, n) VALUES (1, 'a', 1), (2, 'b''s', -2),"
                        + " (3, NULL, NULL)"));
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name, n) VALUES (?, ?, ?), (?, ?, 7)")) {
                ps.setLong(1, 4);
                ps.setString(2, "d");
                ps.setInt(3, 4);
                ps.setLong(4, 5);
                ps.setString(5, "e");
                assertEquals(2, ps.executeUpdate());
            }
            assertEquals(List.of(
                    "I item [1] id=1 name='a' n=1",
                    "I item [2] id=2 name='b's' n=-2",
                    "I item [3] id=3 name=NULL n=NULL",
                    "I item [4] id=4 name='d' n=4",
                    "I item [5] id=5 name='e' n=7"), ChangeLog.lines(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void preparedBatches(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name, n) VALUES (?, ?, ?)")) {
                for (int i = 1; i <= 3; i++) {
                    ps.setLong(1, i);
                    ps.setString(2, "r" + i);
                    ps.setInt(3, i * 10);
                    ps.addBatch();
                }
                assertArrayEquals(new int[] {1, 1, 1}, ps.executeBatch());
                for (int i = 4; i <= 5; i++) {
                    ps.setLong(1, i);
                    ps.setString(2, "r" + i);
                    ps.setInt(3, i * 10);
                    ps.addBatch();
                }
                assertArrayEquals(new long[] {1, 1}, ps.executeLargeBatch());
                assertArrayEquals(new int[0], ps.executeBatch());
            }
            assertEquals(List.of(
                    "I item [1] id=1 name='r1' n=10",
                    "I item [2] id=2 name='r2' n=20",
                    "I item [3] id=3 name='r3' n=30",
                    "I item [4] id=4 name='r4' n=40",
                    "I item [5] id=5 name='r5' n=50"), ChangeLog.lines(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void statementBatchOfMixedWrites(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM);
            try (Statement s = c.createStatement()) {
                s.addBatch("INSERT INTO item (id, name, n) VALUES (1, 'a', 1)");
                s.addBatch("INSERT INTO item (id, name, n) VALUES (2, 'b', 2), (3, 'c', 3)");
                s.addBatch("UPDATE item SET name = 'z' WHERE id = 2");
                s.addBatch("DELETE FROM item WHERE id = 1");
                assertArrayEquals(new int[] {1, 2, 1, 1}, s.executeBatch());
                s.addBatch("UPDATE item SET n = 9 WHERE id = 3");
                assertArrayEquals(new long[] {1}, s.executeLargeBatch());
            }
            assertEquals(List.of(
                    "I item [1] id=1 name='a' n=1",
                    "I item [2] id=2 name='b' n=2",
                    "I item [3] id=3 name='c' n=3",
                    "U item [2] name='z'",
                    "D item [1]",
                    "U item [3] n=9"), ChangeLog.lines(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void insertWithoutColumnList(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM, "INSERT INTO item VALUES (1, 'a', 5)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item VALUES (?, ?, ?)")) {
                ps.setLong(1, 2);
                ps.setString(2, "b");
                ps.setInt(3, 6);
                ps.executeUpdate();
            }
            assertEquals(List.of("I item [1] id=1 name='a' n=5", "I item [2] id=2 name='b' n=6"), ChangeLog.lines(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void omittedDefaultsAndComputedValuesAreLoggedAsStored(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(50), status VARCHAR(10) DEFAULT 'new',"
                    + " qty INTEGER DEFAULT 5, note VARCHAR(10))");
            exec(c, "INSERT INTO item (id, name) VALUES (1, 'a')",
                    "INSERT INTO item (id, name, qty) VALUES (2, UPPER('b'), 2 * 3 + 1)");
            if (kind == Kind.MARIADB) { // SQLite has no DEFAULT in VALUES
                exec(c, "INSERT INTO item (id, name, status, qty) VALUES (3, 'c', DEFAULT, DEFAULT)");
            } else {
                exec(c, "INSERT INTO item (id, name) VALUES (3, 'c')");
            }
            assertEquals(List.of(
                    "I item [1] id=1 name='a' status='new' qty=5 note=NULL",
                    "I item [2] id=2 name='B' status='new' qty=7 note=NULL",
                    "I item [3] id=3 name='c' status='new' qty=5 note=NULL"), ChangeLog.lines(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void insertSelect(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM, "CREATE TABLE src (k INTEGER, label VARCHAR(20))",
                    "INSERT INTO src (k, label) VALUES (1, 'one'), (2, 'two'), (3, 'three')");
            assertEquals(List.of(), ChangeLog.lines(db), "src has no primary key: not synced");
            try (Statement s = c.createStatement()) {
                assertEquals(2, s.executeUpdate("INSERT INTO item (id, name, n) SELECT k, label, k * 10 FROM src WHERE k >= 2"));
                assertEquals(0, s.executeUpdate("INSERT INTO item (id, name, n) SELECT k, label, 0 FROM src WHERE k > 99"));
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name, n) SELECT k + 100, label, ? FROM src WHERE k = ?")) {
                ps.setInt(1, 7);
                ps.setInt(2, 1);
                assertEquals(1, ps.executeUpdate());
            }
            assertEquals(List.of(
                    "I item [2] id=2 name='two' n=20",
                    "I item [3] id=3 name='three' n=30",
                    "I item [101] id=101 name='one' n=7"), ChangeLog.lines(db));
            assertEquals(List.of("2|two|20", "3|three|30", "101|one|7"), db.rawRows("SELECT id, name, n FROM item ORDER BY id"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void replaceIntoDeletesTheRowsItReplaces(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM_UNIQUE);
            exec(c, "INSERT INTO item (id, name, n, code) VALUES (1, 'a', 1, 'x'), (2, 'b', 2, 'y')");
            try (Statement s = c.createStatement()) {
                s.executeUpdate("REPLACE INTO item (id, name, n, code) VALUES (1, 'a2', 1, 'x')");
                s.executeUpdate("REPLACE INTO item (id, name, n, code) VALUES (3, 'c', 3, 'y')");
                s.executeUpdate("REPLACE INTO item (id, name, n, code) VALUES (4, 'd', 4, 'w')");
            }
            assertEquals(List.of(
                    "I item [1] id=1 name='a' n=1 code='x'",
                    "I item [2] id=2 name='b' n=2 code='y'",
                    "I item [1] id=1 name='a2' n=1 code='x'",
                    "D item [2]",
                    "I item [3] id=3 name='c' n=3 code='y'",
                    "I item [4] id=4 name='d' n=4 code='w'"), ChangeLog.lines(db));
            assertEquals(List.of("1|a2|x", "3|c|y", "4|d|w"), db.rawRows("SELECT id, name, code FROM item ORDER BY id"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "SQLITE")
    void sqliteInsertOrReplace(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM_UNIQUE, "INSERT INTO item (id, name, n, code) VALUES (1, 'a', 1, 'x'), (2, 'b', 2, 'y')");
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO item (id, name, n, code) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, 2);
                ps.setString(2, "b2");
                ps.setInt(3, 2);
                ps.setString(4, "x");
                ps.executeUpdate();
            }
            assertEquals(List.of(
                    "I item [1] id=1 name='a' n=1 code='x'",
                    "I item [2] id=2 name='b' n=2 code='y'",
                    "D item [1]",
                    "I item [2] id=2 name='b2' n=2 code='x'"), ChangeLog.lines(db));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "SQLITE")
    void sqliteIgnoreAndDoNothing(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM_UNIQUE, "INSERT INTO item (id, name, n, code) VALUES (1, 'a', 1, 'x')");
            try (Statement s = c.createStatement()) {
                assertEquals(0, s.executeUpdate("INSERT OR IGNORE INTO item (id, name, n, code) VALUES (1, 'z', 9, 'q')"));
                assertEquals(0, s.executeUpdate("INSERT OR IGNORE INTO item (id, name, n, code) VALUES (7, 'z', 9, 'x')"));
                assertEquals(1, s.executeUpdate("INSERT OR IGNORE INTO item (id, name, n, code) VALUES (1, 'z', 9, 'q'),"
                        + " (2, 'b', 2, 'y')"));
                assertEquals(0, s.executeUpdate("INSERT INTO item (id, name, n, code) VALUES (1, 'z', 9, 'q') ON CONFLICT DO NOTHING"));
                assertEquals(1, s.executeUpdate("INSERT INTO item (id, name, n, code) VALUES (3, 'c', 3, 'w') ON CONFLICT(id) DO NOTHING"));
            }
            assertEquals(List.of(
                    "I item [1] id=1 name='a' n=1 code='x'",
                    "I item [2] id=2 name='b' n=2 code='y'",
                    "I item [3] id=3 name='c' n=3 code='w'"), ChangeLog.lines(db));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "SQLITE")
    void sqliteOnConflictDoUpdate(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM_UNIQUE, "INSERT INTO item (id, name, n, code) VALUES (1, 'a', 1, 'x')");
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO item (id, name, n, code) VALUES (1, 'a', 10, 'x')"
                        + " ON CONFLICT(id) DO UPDATE SET n = n + excluded.n");
                s.executeUpdate("INSERT INTO item (id, name, n, code) VALUES (5, 'e', 0, 'x')"
                        + " ON CONFLICT(code) DO UPDATE SET name = excluded.name");
                s.executeUpdate("INSERT INTO item (id, name, n, code) VALUES (2, 'b', 2, 'y')"
                        + " ON CONFLICT(id) DO UPDATE SET n = 0");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name, n, code) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT(id) DO UPDATE SET n = excluded.n")) {
                for (long id : new long[] {1, 3}) {
                    ps.setLong(1, id);
                    ps.setString(2, "p" + id);
                    ps.setInt(3, 100);
                    ps.setString(4, "c" + id);
                    ps.addBatch();
                }
                assertArrayEquals(new int[] {1, 1}, ps.executeBatch());
            }
            assertEquals(List.of(
                    "I item [1] id=1 name='a' n=1 code='x'",
                    "U item [1] n=11",
                    "U item [1] name='e'",
                    "I item [2] id=2 name='b' n=2 code='y'",
                    "U item [1] n=100",
                    "I item [3] id=3 name='p3' n=100 code='c3'"), ChangeLog.lines(db));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "MARIADB")
    void mariadbInsertIgnore(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM_UNIQUE, "INSERT INTO item (id, name, n, code) VALUES (1, 'a', 1, 'x')");
            try (Statement s = c.createStatement()) {
                assertEquals(0, s.executeUpdate("INSERT IGNORE INTO item (id, name, n, code) VALUES (1, 'z', 9, 'q')"));
                assertEquals(0, s.executeUpdate("INSERT IGNORE INTO item (id, name, n, code) VALUES (7, 'z', 9, 'x')"));
                assertEquals(1, s.executeUpdate("INSERT IGNORE INTO item (id, name, n, code) VALUES (1, 'z', 9, 'q'),"
                        + " (2, 'b', 2, 'y')"));
            }
            assertEquals(List.of(
                    "I item [1] id=1 name='a' n=1 code='x'",
                    "I item [2] id=2 name='b' n=2 code='y'"), ChangeLog.lines(db));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "MARIADB")
    void mariadbOnDuplicateKeyUpdate(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM_UNIQUE, "INSERT INTO item (id, name, n, code) VALUES (1, 'a', 1, 'x')");
            try (Statement s = c.createStatement()) {
                assertEquals(2, s.executeUpdate("INSERT INTO item (id, name, n, code) VALUES (1, 'a', 10, 'x')"
                        + " ON DUPLICATE KEY UPDATE n = n + VALUES(n)"));
                s.executeUpdate("INSERT INTO item (id, name, n, code) VALUES (5, 'e', 0, 'x')"
                        + " ON DUPLICATE KEY UPDATE name = VALUES(name)");
                assertEquals(1, s.executeUpdate("INSERT INTO item (id, name, n, code) VALUES (2, 'b', 2, 'y')"
                        + " ON DUPLICATE KEY UPDATE n = 0"));
                // Same values: the database changes nothing, and nothing is logged.
                s.executeUpdate("INSERT INTO item (id, name, n, code) VALUES (2, 'b', 2, 'y')"
                        + " ON DUPLICATE KEY UPDATE n = 2");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name, n, code) VALUES (?, ?, ?, ?)"
                    + " ON DUPLICATE KEY UPDATE n = ?")) {
                for (long id : new long[] {1, 3}) {
                    ps.setLong(1, id);
                    ps.setString(2, "p" + id);
                    ps.setInt(3, 100);
                    ps.setString(4, "c" + id);
                    ps.setInt(5, 100);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            assertEquals(List.of(
                    "I item [1] id=1 name='a' n=1 code='x'",
                    "U item [1] n=11",
                    "U item [1] name='e'",
                    "I item [2] id=2 name='b' n=2 code='y'",
                    "U item [1] n=100",
                    "I item [3] id=3 name='p3' n=100 code='c3'"), ChangeLog.lines(db));
        }
    }
    @ParameterizedTest
    @EnumSource(Kind.class)
    void insertSelectWithAConflictClause(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM_UNIQUE, "CREATE TABLE src (k INTEGER, label VARCHAR(20))",
                    "INSERT INTO src (k, label) VALUES (1, 'one'), (2, 'two')",
                    "INSERT INTO item (id, name, n, code) VALUES (1, 'a', 0, 'x')");
            exec(c, kind == Kind.SQLITE
                    ? "INSERT INTO item (id, name, n, code) SELECT k, label, k * 10, label FROM src WHERE true"
                            + " ON CONFLICT(id) DO UPDATE SET n = excluded.n"
                    : "INSERT INTO item (id, name, n, code) SELECT k, label, k * 10, label FROM src"
                            + " ON DUPLICATE KEY UPDATE n = VALUES(n)");
            assertEquals(List.of(
                    "I item [1] id=1 name='a' n=0 code='x'",
                    "U item [1] n=10",
                    "I item [2] id=2 name='two' n=20 code='two'"), ChangeLog.lines(db));
            assertEquals(List.of("1|a|10|x", "2|two|20|two"), db.rawRows("SELECT id, name, n, code FROM item ORDER BY id"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void upsertWithAGeneratedKeyReportsTheRowItHit(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE tagged (id " + db.autoKey() + ", code VARCHAR(20) UNIQUE, hits INTEGER)");
            String sql = kind == Kind.SQLITE
                    ? "INSERT INTO tagged (code, hits) VALUES (?, 1) ON CONFLICT(code) DO UPDATE SET hits = hits + 1"
                    : "INSERT INTO tagged (code, hits) VALUES (?, 1) ON DUPLICATE KEY UPDATE hits = hits + 1";
            List<Long> keys = new java.util.ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
                for (String code : new String[] {"x", "y", "x"}) {
                    ps.setString(1, code);
                    ps.executeUpdate();
                    try (java.sql.ResultSet rs = ps.getGeneratedKeys()) {
                        rs.next();
                        keys.add(rs.getLong(1));
                    }
                }
            }
            assertEquals(keys.get(0), keys.get(2), "the second x hit the first row: " + keys);
            assertEquals(List.of(keys.get(0) + "|x|2", keys.get(1) + "|y|1"),
                    db.rawRows("SELECT id, code, hits FROM tagged ORDER BY code"));
            assertEquals(List.of(
                    "I tagged [" + keys.get(0) + "] id=" + keys.get(0) + " code='x' hits=1",
                    "I tagged [" + keys.get(1) + "] id=" + keys.get(1) + " code='y' hits=1",
                    "U tagged [" + keys.get(0) + "] hits=2"), ChangeLog.lines(db));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "SQLITE")
    void sqliteWithClauses(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, ITEM, "WITH s(k, v) AS (VALUES (1, 'a'), (2, 'b'), (3, 'c')) INSERT INTO item (id, name, n) SELECT k, v, k FROM s",
                    "WITH small AS (SELECT id FROM item WHERE n < 2) UPDATE item SET name = 'small' WHERE id IN (SELECT id FROM small)",
                    "WITH big AS (SELECT id FROM item WHERE n > 2) DELETE FROM item WHERE id IN (SELECT id FROM big)");
            assertEquals(List.of(
                    "I item [1] id=1 name='a' n=1",
                    "I item [2] id=2 name='b' n=2",
                    "I item [3] id=3 name='c' n=3",
                    "U item [1] name='small'",
                    "D item [3]"), ChangeLog.lines(db));
        }
    }
}
