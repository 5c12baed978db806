package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys the app leaves to the database become globally unique ones: time-ordered 63-bit ids for
 * integer keys, UUIDv7 for text and binary keys. The app sees the keys actually used.
 */
class KeyGenerationTest {
    /** Below this, an id is one the database would have counted up to, not a time-ordered one. */
    static final long SMALLEST_GENERATED = 1L << 40;

    private static String itemDdl(TestDatabase db) {
        return "CREATE TABLE item (id " + db.autoKey() + ", name VARCHAR(50))";
    }

    private static List<Long> ids(TestDatabase db) throws SQLException {
        return db.rawRows("SELECT id FROM item ORDER BY id").stream().map(Long::valueOf).toList();
    }

    private static List<Object> logKeys(TestDatabase db) throws SQLException {
        return ChangeLog.read(db).stream().map(ch -> ch.key().get(0)).toList();
    }

    private static List<Object> keys(Statement s) throws SQLException {
        List<Object> out = new ArrayList<>();
        try (ResultSet rs = s.getGeneratedKeys()) {
            while (rs.next()) {
                out.add(rs.getObject(1));
            }
        }
        return out;
    }

    private static long lastInsertId(Connection c, Kind kind) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(kind == Kind.SQLITE ? "SELECT last_insert_rowid()" : "SELECT LAST_INSERT_ID()")) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    private static void assertGenerated(List<Long> ids) {
        long previous = 0;
        for (long id : ids) {
            assertTrue(id > SMALLEST_GENERATED, "time-ordered id expected, got " + id);
            assertTrue(id > previous, "ids increase: " + ids);
            previous = id;
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void integerKeysLeftToTheDatabase(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, itemDdl(db));
            exec(c, "INSERT INTO item (name) VALUES ('omitted')");
            long first = lastInsertId(c, kind);
            exec(c, "INSERT INTO item (id, name) VALUES (NULL, 'null')");
            long second = lastInsertId(c, kind);
            if (kind == Kind.MARIADB) {
                exec(c, "INSERT INTO item (id, name) VALUES (DEFAULT, 'default')");
            } else {
                exec(c, "INSERT INTO item (id, name) VALUES (NULL, 'default')");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name) VALUES (?, ?)")) {
                ps.setNull(1, Types.BIGINT);
                ps.setString(2, "bound null");
                ps.executeUpdate();
            }
            long fourth = lastInsertId(c, kind);
            exec(c, "INSERT INTO item (name) VALUES ('m1'), ('m2'), ('m3')");
            long multi = lastInsertId(c, kind);
            exec(c, "INSERT INTO item (id, name) VALUES (42, 'explicit')");

            List<Long> ids = ids(db);
            assertEquals(8, ids.size());
            assertEquals(42L, ids.get(0), "explicit keys are kept");
            List<Long> generated = ids.subList(1, 8);
            assertGenerated(generated);
            assertEquals(generated.get(0), first);
            assertEquals(generated.get(1), second);
            assertEquals(generated.get(3), fourth);
            // Like AUTO_INCREMENT, a multi-row insert reports its first row on MariaDB; SQLite its last.
            assertEquals(kind == Kind.MARIADB ? generated.get(4) : generated.get(6), multi);
            List<Object> expected = new ArrayList<>(generated);
            expected.add(42L);
            assertEquals(expected, logKeys(db));
            assertEquals(List.of("omitted", "null", "default", "bound null", "m1", "m2", "m3"),
                    db.rawRows("SELECT name FROM item WHERE id <> 42 ORDER BY id"));
            ChangeLog.Change one = ChangeLog.read(db).get(0);
            assertEquals("I item [" + first + "] id=" + first + " name='omitted'", one.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void textAndBinaryKeysGetUuid7(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE doc (id " + (kind == Kind.SQLITE ? "TEXT" : "VARCHAR(36)") + " PRIMARY KEY, title VARCHAR(20))",
                    "CREATE TABLE blobdoc (id " + (kind == Kind.SQLITE ? "BLOB" : "BINARY(16)") + " PRIMARY KEY, title VARCHAR(20))");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO doc (title) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, "a");
                ps.executeUpdate();
                List<Object> keys = keys(ps);
                assertEquals(1, keys.size());
                UUID u = UUID.fromString((String) keys.get(0));
                assertEquals(7, u.version());
            }
            exec(c, "INSERT INTO doc (id, title) VALUES (NULL, 'b'), ('given', 'c')",
                    "INSERT INTO blobdoc (title) VALUES ('x')");
            List<String> stored = db.rawRows("SELECT id FROM doc ORDER BY title");
            assertEquals(3, stored.size());
            assertEquals(7, UUID.fromString(stored.get(0)).version());
            assertEquals(7, UUID.fromString(stored.get(1)).version());
            assertEquals("given", stored.get(2));
            assertTrue(stored.get(0).compareTo(stored.get(1)) < 0, "UUIDv7 are time-ordered: " + stored);
            List<ChangeLog.Change> log = ChangeLog.read(db);
            assertEquals(List.of(stored.get(0), stored.get(1), "given"), log.subList(0, 3).stream().map(ch -> ch.key().get(0)).toList());
            byte[] key = (byte[]) log.get(3).key().get(0);
            assertEquals(16, key.length);
            assertEquals(7, (key[6] >> 4) & 0xf, "UUID version nibble");
            try (Connection raw = db.openRaw(); Statement s = raw.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM blobdoc")) {
                assertTrue(rs.next());
                assertArrayEquals(key, rs.getBytes(1));
            }
            assertArrayEquals(key, (byte[]) log.get(3).get("id"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void generatedKeysThroughStatement(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync(); Statement s = c.createStatement()) {
            s.execute(itemDdl(db));
            assertEquals(1, s.executeUpdate("INSERT INTO item (name) VALUES ('a')", Statement.RETURN_GENERATED_KEYS));
            List<Object> a = keys(s);
            assertFalse(s.execute("INSERT INTO item (name) VALUES ('b'), ('c')", new int[] {1}));
            List<Object> bc = keys(s);
            assertEquals(1L, s.executeLargeUpdate("INSERT INTO item (name) VALUES ('d')", new String[] {"id"}));
            List<Object> d = keys(s);
            s.executeUpdate("INSERT INTO item (id, name) VALUES (7, 'e')", Statement.RETURN_GENERATED_KEYS);
            List<Object> e = keys(s);
            s.addBatch("INSERT INTO item (name) VALUES ('f')");
            s.addBatch("INSERT INTO item (name) VALUES ('g'), ('h')");
            s.executeBatch();
            List<Object> batch = keys(s);

            List<Object> all = new ArrayList<>();
            all.addAll(a);
            all.addAll(bc);
            all.addAll(d);
            all.addAll(batch);
            assertEquals(1, a.size());
            assertEquals(2, bc.size());
            assertEquals(1, d.size());
            assertEquals(List.of(7L), e);
            assertEquals(3, batch.size());
            all.forEach(k -> assertInstanceOf(Long.class, k));
            assertGenerated(all.stream().map(Long.class::cast).toList());
            List<Object> expected = new ArrayList<>(all);
            expected.add(4, 7L);
            assertEquals(expected, logKeys(db));
            assertEquals(List.of("a", "b", "c", "d", "f", "g", "h", "e"),
                    db.rawRows("SELECT name FROM item ORDER BY CASE WHEN id = 7 THEN 1 ELSE 0 END, id"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void generatedKeysThroughPreparedStatement(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, itemDdl(db));
            List<Object> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (name) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, "a");
                ps.executeUpdate();
                List<Object> one = keys(ps);
                assertEquals(1, one.size());
                all.addAll(one);
                for (String n : new String[] {"b", "c", "d"}) {
                    ps.setString(1, n);
                    ps.addBatch();
                }
                assertArrayEquals(new int[] {1, 1, 1}, ps.executeBatch());
                List<Object> batch = keys(ps);
                assertEquals(3, batch.size());
                all.addAll(batch);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (name) VALUES (?), (?)", new int[] {1})) {
                ps.setString(1, "e");
                ps.setString(2, "f");
                assertEquals(2, ps.executeUpdate());
                List<Object> two = keys(ps);
                assertEquals(2, two.size());
                all.addAll(two);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name) VALUES (?, ?)", new String[] {"id"})) {
                ps.setNull(1, Types.BIGINT);
                ps.setString(2, "g");
                ps.addBatch();
                ps.setLong(1, 5);
                ps.setString(2, "h");
                ps.addBatch();
                ps.executeBatch();
                List<Object> mixed = keys(ps);
                assertEquals(2, mixed.size());
                assertEquals(5L, mixed.get(1));
                all.add(mixed.get(0));
                assertGenerated(all.stream().map(Long.class::cast).toList());
                all.add(5L);
            }
            assertEquals(all, logKeys(db));
            List<Object> stored = new ArrayList<>(ids(db));
            stored.remove(5L);
            stored.add(5L);
            assertEquals(all, stored);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void insertSelectGeneratesKeysPerRow(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, itemDdl(db), "CREATE TABLE src (label VARCHAR(20))", "INSERT INTO src VALUES ('x'), ('y')");
            try (Statement s = c.createStatement()) {
                assertEquals(2, s.executeUpdate("INSERT INTO item (name) SELECT label FROM src ORDER BY label",
                        Statement.RETURN_GENERATED_KEYS));
                List<Object> keys = keys(s);
                assertEquals(2, keys.size());
                assertGenerated(keys.stream().map(Long.class::cast).toList());
                assertEquals(keys, logKeys(db));
                assertEquals(keys, new ArrayList<Object>(ids(db)));
            }
        }
    }
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "MARIADB")
    void narrowKeysOfADeviceWithoutSharedLogAreRefusedClearly(Kind kind) throws Exception {
        // INT keys come from blocks claimed through the shared log; without one there is no block.
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE small (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10))");
            for (String sql : new String[] {"INSERT INTO small (v) VALUES ('a')", "INSERT INTO small (id, v) VALUES (NULL, 'a')",
                "INSERT INTO small (id, v) VALUES (DEFAULT, 'a')"}) {
                SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> exec(c, sql));
                assertEquals("55000", e.getSQLState(), sql);
                assertTrue(e.getMessage().contains("small") && e.getMessage().contains("sync.log"), e.getMessage());
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO small (id, v) VALUES (?, ?)")) {
                ps.setNull(1, Types.INTEGER);
                ps.setString(2, "b");
                SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, ps::executeUpdate);
                assertEquals("55000", e.getSQLState());
                ps.setInt(1, 7);
                ps.executeUpdate();
            }
            assertEquals(List.of("7"), db.rawRows("SELECT id FROM small"));
            assertEquals(List.of("I small [7] id=7 v='b'"), ChangeLog.lines(db));
        }
    }
}
