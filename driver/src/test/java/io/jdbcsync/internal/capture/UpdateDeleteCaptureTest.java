package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** UPDATE and DELETE log one entry per affected row: the changed columns as stored, or the deleted key. */
class UpdateDeleteCaptureTest {
    static final String ITEM = "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(50), n INTEGER)";
    static final String TAG = "CREATE TABLE tag (item_id BIGINT, label VARCHAR(20))";

    /** Creates item rows 1..5 (name r1.., n 10, 20, ...) and returns the log lines so far. */
    private static List<String> seed(TestDatabase db, Connection c) throws Exception {
        exec(c, ITEM, TAG, "INSERT INTO item (id, name, n) VALUES (1, 'r1', 10), (2, 'r2', 20), (3, 'r3', 30),"
                + " (4, 'r4', 40), (5, 'r5', 50)",
                "INSERT INTO tag (item_id, label) VALUES (2, 'x2'), (4, 'x4'), (4, 'y4'), (9, 'x9')");
        List<String> lines = ChangeLog.lines(db);
        assertEquals(5, lines.size());
        return lines;
    }

    /** The log lines after the first {@code skip}. */
    private static List<String> after(TestDatabase db, int skip) throws Exception {
        List<String> all = ChangeLog.lines(db);
        return all.subList(skip, all.size());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void updateByKeyLogsTheGivenValues(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            seed(db, c);
            try (Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("UPDATE item SET name = 'a' WHERE id = 1"));
                assertFalse(s.execute("UPDATE item SET name = 'b', n = NULL WHERE id = 2"));
                assertEquals(1, s.getUpdateCount());
                assertEquals(0L, s.executeLargeUpdate("UPDATE item SET name = 'none' WHERE id = 99"));
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE item SET name = ?, n = ? WHERE id = ?")) {
                ps.setString(1, "c");
                ps.setInt(2, 33);
                ps.setLong(3, 3);
                assertFalse(ps.execute());
                assertEquals(1, ps.getUpdateCount());
                ps.setString(1, "d");
                ps.setInt(2, 44);
                ps.setLong(3, 4);
                ps.addBatch();
                ps.setString(1, "missing");
                ps.setInt(2, 0);
                ps.setLong(3, 77);
                ps.addBatch();
                ps.setString(1, "e");
                ps.setInt(2, 55);
                ps.setLong(3, 5);
                ps.addBatch();
                assertArrayEquals(new long[] {1, 0, 1}, ps.executeLargeBatch());
            }
            assertEquals(List.of(
                    "U item [1] name='a'",
                    "U item [2] name='b' n=NULL",
                    "U item [3] name='c' n=33",
                    "U item [4] name='d' n=44",
                    "U item [5] name='e' n=55"), after(db, 5));
            assertEquals(List.of("1|a|10", "2|b|null", "3|c|33", "4|d|44", "5|e|55"),
                    db.rawRows("SELECT id, name, n FROM item ORDER BY id"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void updateByRangeAndSubquery(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            seed(db, c);
            try (Statement s = c.createStatement()) {
                assertEquals(2, s.executeUpdate("UPDATE item SET name = 'big' WHERE n > 30"));
                assertEquals(2, s.executeUpdate("UPDATE item SET n = 0 WHERE id IN (SELECT item_id FROM tag WHERE label LIKE 'x%')"));
                assertEquals(0, s.executeUpdate("UPDATE item SET n = 1 WHERE n > 1000"));
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE item SET name = ? WHERE n BETWEEN ? AND ?")) {
                ps.setString(1, "mid");
                ps.setInt(2, 10);
                ps.setInt(3, 30);
                assertEquals(2, ps.executeUpdate());
            }
            assertEquals(List.of(
                    "U item [4] name='big'",
                    "U item [5] name='big'",
                    "U item [2] n=0",
                    "U item [4] n=0",
                    "U item [1] name='mid'",
                    "U item [3] name='mid'"), after(db, 5));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void updateWithExpressionsLogsTheStoredResult(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            seed(db, c);
            exec(c, "ALTER TABLE item ADD COLUMN t " + (kind == Kind.SQLITE ? "TIMESTAMP" : "DATETIME"));
            try (Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("UPDATE item SET n = n + 1 WHERE id = 1"));
                assertEquals(2, s.executeUpdate("UPDATE item SET n = n * 2, name = UPPER(name) WHERE n >= 40"));
                assertEquals(1, s.executeUpdate("UPDATE item SET t = CURRENT_TIMESTAMP WHERE id = 2"));
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE item SET n = n - ? WHERE id = ?")) {
                ps.setInt(1, 5);
                ps.setLong(2, 3);
                ps.executeUpdate();
            }
            // Values come in SET order.
            List<ChangeLog.Change> log = ChangeLog.read(db);
            assertEquals(List.of(
                    "U item [1] n=11",
                    "U item [4] n=80 name='R4'",
                    "U item [5] n=100 name='R5'"), log.subList(5, 8).stream().map(Object::toString).toList());
            ChangeLog.Change stamp = log.get(8);
            assertEquals("U item [2]", stamp.op() + " " + stamp.table() + " " + stamp.key().toString().replace(" ", ""));
            assertEquals(List.of("t"), List.copyOf(stamp.data().keySet()));
            String storedText = db.rawRows("SELECT t FROM item WHERE id = 2").get(0);
            if (kind == Kind.SQLITE) {
                // SQLite keeps CURRENT_TIMESTAMP as TEXT: logged as that TEXT, not as a converted date.
                assertEquals(storedText, stamp.get("t"), "the stored timestamp, not the expression: " + stamp);
            } else {
                LocalDateTime stored = LocalDateTime.parse(storedText.replace(' ', 'T').replaceAll("\\.0$", ""));
                assertInstanceOf(LocalDateTime.class, stamp.get("t"), "the stored timestamp, not the expression: " + stamp);
                assertEquals(stored, stamp.get("t"));
            }
            assertEquals("U item [3] n=25", log.get(9).toString());
            assertEquals(10, log.size());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void primaryKeyChangeIsDeleteAndInsert(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            seed(db, c);
            try (Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("UPDATE item SET id = 10, name = 'ten' WHERE id = 1"));
                assertEquals(2, s.executeUpdate("UPDATE item SET id = id + 100 WHERE n >= 40"));
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE item SET id = ? WHERE id = ?")) {
                ps.setLong(1, 20);
                ps.setLong(2, 2);
                assertEquals(1, ps.executeUpdate());
            }
            assertEquals(List.of(
                    "D item [1]",
                    "I item [10] id=10 name='ten' n=10",
                    "D item [4]",
                    "I item [104] id=104 name='r4' n=40",
                    "D item [5]",
                    "I item [105] id=105 name='r5' n=50",
                    "D item [2]",
                    "I item [20] id=20 name='r2' n=20"), after(db, 5));
            assertEquals(List.of("3", "10", "20", "104", "105"), db.rawRows("SELECT id FROM item ORDER BY id"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void deleteByKeyRangeSubqueryAndAll(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            seed(db, c);
            try (Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("DELETE FROM item WHERE id = 1"));
                assertEquals(0, s.executeUpdate("DELETE FROM item WHERE id = 1"));
                assertEquals(1, s.executeUpdate("DELETE FROM item WHERE id IN (SELECT item_id FROM tag WHERE label = 'x2')"));
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM item WHERE n > ?")) {
                ps.setInt(1, 40);
                assertEquals(1L, ps.executeLargeUpdate());
                assertFalse(ps.execute());
                assertEquals(0, ps.getUpdateCount());
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM item WHERE id = ?")) {
                ps.setLong(1, 3);
                ps.addBatch();
                ps.setLong(1, 99);
                ps.addBatch();
                assertArrayEquals(new int[] {1, 0}, ps.executeBatch());
            }
            exec(c, "INSERT INTO item (id, name, n) VALUES (6, 'r6', 60)");
            try (Statement s = c.createStatement()) {
                assertEquals(2, s.executeUpdate("DELETE FROM item"));
            }
            assertEquals(List.of(
                    "D item [1]",
                    "D item [2]",
                    "D item [5]",
                    "D item [3]",
                    "I item [6] id=6 name='r6' n=60",
                    "D item [4]",
                    "D item [6]"), after(db, 5));
            assertEquals(List.of(), db.rawRows("SELECT id FROM item"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aliasedAndQuotedTargets(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            seed(db, c);
            String q = kind == Kind.SQLITE ? "\"" : "`";
            try (Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("UPDATE item AS i SET n = 7 WHERE i.id = 1"));
                assertEquals(1, s.executeUpdate("UPDATE " + q + "item" + q + " SET " + q + "name" + q + " = 'q' WHERE "
                        + q + "id" + q + " = 2"));
                assertEquals(1, s.executeUpdate("DELETE FROM " + q + "item" + q + " WHERE n = 30"));
                assertEquals(1, s.executeUpdate("update " + (kind == Kind.SQLITE ? "ITEM" : "item") + " set N = 8 where ID = 4 -- trailing comment"));
            }
            assertEquals(List.of(
                    "U item [1] n=7",
                    "U item [2] name='q'",
                    "D item [3]",
                    "U item [4] n=8"), after(db, 5));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void compositePrimaryKey(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE pair (a INTEGER NOT NULL, b VARCHAR(10) NOT NULL, v INTEGER, PRIMARY KEY (a, b))");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pair (a, b, v) VALUES (?, ?, ?)")) {
                ps.setInt(1, 1);
                ps.setString(2, "x");
                ps.setInt(3, 1);
                ps.addBatch();
                ps.setInt(1, 1);
                ps.setString(2, "y");
                ps.setInt(3, 2);
                ps.addBatch();
                ps.executeBatch();
            }
            exec(c, "UPDATE pair SET v = 5 WHERE a = 1 AND b = 'x'",
                    "UPDATE pair SET v = v + 1 WHERE b = 'y'",
                    "UPDATE pair SET b = 'z' WHERE a = 1 AND b = 'y'",
                    "DELETE FROM pair WHERE a = 1 AND b = 'x'");
            assertEquals(List.of(
                    "I pair [1, 'x'] a=1 b='x' v=1",
                    "I pair [1, 'y'] a=1 b='y' v=2",
                    "U pair [1, 'x'] v=5",
                    "U pair [1, 'y'] v=3",
                    "D pair [1, 'y']",
                    "I pair [1, 'z'] a=1 b='z' v=3",
                    "D pair [1, 'x']"), ChangeLog.lines(db));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "MARIADB")
    void mariadbMultiTableForms(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            seed(db, c);
            try (Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("UPDATE item i JOIN tag t ON t.item_id = i.id SET i.name = t.label"
                        + " WHERE t.label = 'x2'"));
                assertEquals(1, s.executeUpdate("UPDATE item JOIN tag ON tag.item_id = item.id SET item.n = item.n + 1"
                        + " WHERE tag.label LIKE 'y%'"));
                assertEquals(2, s.executeUpdate("UPDATE item SET n = 0 ORDER BY id DESC LIMIT 2"));
                assertEquals(1, s.executeUpdate("DELETE i FROM item i JOIN tag t ON t.item_id = i.id WHERE t.label = 'x2'"));
                assertEquals(1, s.executeUpdate("DELETE item FROM item, tag WHERE tag.item_id = item.id AND tag.label = 'y4'"));
                assertEquals(1, s.executeUpdate("DELETE FROM item ORDER BY id LIMIT 1"));
            }
            assertEquals(List.of(
                    "U item [2] name='x2'",
                    "U item [4] n=41",
                    "U item [5] n=0",
                    "U item [4] n=0",
                    "D item [2]",
                    "D item [4]",
                    "D item [1]"), after(db, 5));
            assertEquals(List.of("3|r3|30", "5|r5|0"), db.rawRows("SELECT id, name, n FROM item ORDER BY id"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "SQLITE")
    void sqliteUpdateFrom(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            seed(db, c);
            try (Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("UPDATE item SET name = tag.label FROM tag WHERE tag.item_id = item.id"
                        + " AND tag.label = 'x2'"));
                assertEquals(1, s.executeUpdate("UPDATE item SET n = n + 1 FROM (SELECT DISTINCT item_id FROM tag"
                        + " WHERE label LIKE 'y%') AS t WHERE t.item_id = item.id"));
            }
            assertEquals(List.of("U item [2] name='x2'", "U item [4] n=41"), after(db, 5));
        }
    }
    @ParameterizedTest
    @EnumSource(Kind.class)
    void textKeysAreLoggedAsStoredNotAsWritten(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            // MariaDB compares VARCHAR case-insensitively by default; SQLite when the column says so.
            exec(c, kind == Kind.SQLITE
                    ? "CREATE TABLE doc (id TEXT COLLATE NOCASE PRIMARY KEY, title VARCHAR(20))"
                    : "CREATE TABLE doc (id VARCHAR(20) PRIMARY KEY, title VARCHAR(20))",
                    "INSERT INTO doc (id, title) VALUES ('abc', 'a'), ('def', 'd')");
            exec(c, "UPDATE doc SET title = 'A' WHERE id = 'ABC'");
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM doc WHERE id = ?")) {
                ps.setString(1, "DEF");
                assertEquals(1, ps.executeUpdate());
            }
            assertEquals(List.of(
                    "I doc ['abc'] id='abc' title='a'",
                    "I doc ['def'] id='def' title='d'",
                    "U doc ['abc'] title='A'",
                    "D doc ['def']"), ChangeLog.lines(db));
        }
    }
    @ParameterizedTest
    @EnumSource(Kind.class)
    void quotedNamesWithSpacesAndCase(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            String q = kind == Kind.SQLITE ? "\"" : "`";
            String table = q + "My Item" + q;
            String id = q + "Item Id" + q;
            String name = q + "the name" + q;
            exec(c, "CREATE TABLE " + table + " (" + id + " " + db.autoKey() + ", " + name + " VARCHAR(20))");
            exec(c, "INSERT INTO " + table + " (" + name + ") VALUES ('a')");
            long key = Long.parseLong(db.rawRows("SELECT " + id + " FROM " + table).get(0));
            exec(c, "INSERT INTO " + table + " (" + id + ", " + name + ") VALUES (5, 'b')",
                    "UPDATE " + table + " SET " + name + " = 'c' WHERE " + id + " = 5",
                    "UPDATE " + table + " SET " + name + " = 'd' WHERE " + name + " = 'a'",
                    "DELETE FROM " + table + " WHERE " + id + " = 5");
            assertEquals(List.of(
                    "I My Item [" + key + "] Item Id=" + key + " the name='a'",
                    "I My Item [5] Item Id=5 the name='b'",
                    "U My Item [5] the name='c'",
                    "U My Item [" + key + "] the name='d'",
                    "D My Item [5]"), ChangeLog.lines(db));
        }
    }
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "MARIADB")
    void columnsTheDatabaseUpdatesByItselfAreLogged(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20),"
                    + " changed DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6))",
                    "INSERT INTO item (id, name) VALUES (1, 'a'), (2, 'b')");
            Thread.sleep(5);
            exec(c, "UPDATE item SET name = 'z' WHERE id = 1", "UPDATE item SET name = 'y' WHERE name = 'b'");
            List<ChangeLog.Change> log = ChangeLog.read(db);
            assertEquals(4, log.size());
            List<String> stored = db.rawRows("SELECT changed FROM item ORDER BY id");
            for (int i = 0; i < 2; i++) {
                ChangeLog.Change update = log.get(2 + i);
                assertEquals(List.of("name", "changed"), List.copyOf(update.data().keySet()), update.toString());
                assertEquals(LocalDateTime.parse(stored.get(i).replace(' ', 'T')), update.get("changed"));
                assertFalse(update.get("changed").equals(log.get(i).get("changed")), "the time moved on");
            }
        }
    }
}
