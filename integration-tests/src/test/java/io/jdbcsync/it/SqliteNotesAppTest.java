package io.jdbcsync.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small notes app written against plain JDBC, on a real SQLite file through {@code jdbc:sync:sqlite:}:
 * the app sees what it would see on the raw driver, and the log holds exactly one entry per changed row.
 */
class SqliteNotesAppTest {
    private ItDatabase db;
    private Connection app;

    @BeforeEach
    void open() throws Exception {
        db = ItDatabase.sqlite();
        app = db.openSync();
        try (Statement s = app.createStatement()) {
            s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT,"
                    + " pinned INTEGER NOT NULL DEFAULT 0)");
            s.execute("CREATE TABLE tags (name TEXT PRIMARY KEY, color TEXT)");
            s.execute("CREATE TABLE note_tags (note_id INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (note_id, tag))");
            // No primary key: the app may keep such tables, they are just not synced.
            s.execute("CREATE TABLE app_events (at INTEGER, what TEXT)");
        }
    }

    @AfterEach
    void close() throws Exception {
        try {
            app.close();
        } finally {
            db.close();
        }
    }

    @Test
    void notesAppLifecycle() throws Exception {
        // Autocommit: each insert is its own transaction.
        try (PreparedStatement ps = app.prepareStatement("INSERT INTO tags (name, color) VALUES (?, ?)")) {
            for (String[] t : new String[][] {{"work", "red"}, {"home", "blue"}, {"misc", "gray"}}) {
                ps.setString(1, t[0]);
                ps.setString(2, t[1]);
                assertEquals(1, ps.executeUpdate());
            }
        }

        // One transaction: notes with keys left to the database, then their tags as a batch.
        app.setAutoCommit(false);
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = app.prepareStatement("INSERT INTO notes (title, body) VALUES (?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            for (String title : new String[] {"Shopping", "Call Ann", "Taxes"}) {
                ps.setString(1, title);
                ps.setString(2, title.toLowerCase() + " body");
                assertEquals(1, ps.executeUpdate());
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    assertTrue(keys.next());
                    ids.add(keys.getLong(1));
                }
            }
        }
        long n1 = ids.get(0);
        long n2 = ids.get(1);
        long n3 = ids.get(2);
        for (long id : ids) {
            assertTrue(id > 1L << 40, "id " + id + " is not a driver-issued id");
        }
        assertTrue(n1 < n2 && n2 < n3, "ids follow insert order: " + ids);
        // An app that asks SQLite for the last rowid gets the id it was given.
        assertEquals(n3, single("SELECT last_insert_rowid()"));
        try (PreparedStatement ps = app.prepareStatement("INSERT INTO note_tags (note_id, tag) VALUES (?, ?)")) {
            Object[][] links = {{n1, "work"}, {n1, "home"}, {n2, "work"}, {n3, "misc"}};
            for (Object[] l : links) {
                ps.setLong(1, (Long) l[0]);
                ps.setString(2, (String) l[1]);
                ps.addBatch();
            }
            assertArrayEquals(new int[] {1, 1, 1, 1}, ps.executeBatch());
        }
        // Not committed yet: neither the notes nor their log rows are visible to anyone else.
        try (Connection other = db.openRaw()) {
            assertEquals(0, count(other, "notes"));
            assertEquals("tags I=3", ChangeLog.read(other).summary());
        }
        app.commit();
        assertEquals("note_tags I=4; notes I=3; tags I=3", db.log().summary());

        // A rolled-back transaction leaves no trace, in the tables or in the log.
        try (Statement s = app.createStatement()) {
            s.executeUpdate("INSERT INTO notes (title) VALUES ('draft')");
            s.executeUpdate("UPDATE notes SET title = 'oops' WHERE id = " + n1);
        }
        app.rollback();
        app.setAutoCommit(true);
        assertEquals("note_tags I=4; notes I=3; tags I=3", db.log().summary());

        // Updates: by key, by a range WHERE with a known value, and computed by the database.
        try (PreparedStatement ps = app.prepareStatement("UPDATE notes SET title = ? WHERE id = ?")) {
            ps.setString(1, "Groceries");
            ps.setLong(2, n1);
            assertEquals(1, ps.executeUpdate());
        }
        try (Statement s = app.createStatement()) {
            assertEquals(2, s.executeUpdate("UPDATE notes SET pinned = 1 WHERE title LIKE 'G%' OR id = " + n3));
        }
        app.setAutoCommit(false);
        try (PreparedStatement ps = app.prepareStatement("UPDATE notes SET body = body || ? WHERE pinned = 1")) {
            ps.setString(1, "!");
            assertEquals(2, ps.executeUpdate());
        }
        app.commit();

        // Renaming a key is a delete of the old row and an insert of the new one.
        try (Statement s = app.createStatement()) {
            assertEquals(1, s.executeUpdate("UPDATE tags SET name = 'house' WHERE name = 'home'"));
            assertEquals(1, s.executeUpdate("UPDATE note_tags SET tag = 'house' WHERE tag = 'home'"));
        }
        app.commit();

        // Deletes: by composite key, by key, by a range WHERE.
        try (PreparedStatement ps = app.prepareStatement("DELETE FROM note_tags WHERE note_id = ? AND tag = ?")) {
            ps.setLong(1, n2);
            ps.setString(2, "work");
            assertEquals(1, ps.executeUpdate());
        }
        try (PreparedStatement ps = app.prepareStatement("DELETE FROM notes WHERE id = ?")) {
            ps.setLong(1, n2);
            assertEquals(1, ps.executeUpdate());
        }
        try (Statement s = app.createStatement()) {
            assertEquals(1, s.executeUpdate("DELETE FROM tags WHERE color = 'gray'"));
        }
        app.commit();
        app.setAutoCommit(true);

        // A key the app gives is kept as it is.
        try (PreparedStatement ps = app.prepareStatement("INSERT INTO notes (id, title) VALUES (?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, 42);
            ps.setString(2, "Answer");
            assertEquals(1, ps.executeUpdate());
            try (ResultSet keys = ps.getGeneratedKeys()) {
                assertTrue(keys.next());
                assertEquals(42, keys.getLong(1));
            }
        }
        // Writes to a table without a primary key run, unlogged.
        try (Statement s = app.createStatement()) {
            assertEquals(1, s.executeUpdate("INSERT INTO app_events VALUES (1, 'opened')"));
        }

        // What the app sees.
        assertEquals(List.of(n1 + "|Groceries|shopping body!|1", n3 + "|Taxes|taxes body!|1", "42|Answer|null|0"),
                rows(app, "SELECT id, title, body, pinned FROM notes ORDER BY title = 'Answer', id"));
        assertEquals(List.of("house|blue", "work|red"), rows(app, "SELECT name, color FROM tags ORDER BY name"));
        assertEquals(List.of(n1 + "|house", n1 + "|work", n3 + "|misc"),
                rows(app, "SELECT note_id, tag FROM note_tags ORDER BY note_id, tag"));

        // What the log holds: one entry per changed row, nothing for app_events.
        ChangeLog log = db.log();
        assertEquals("note_tags I=5 D=2; notes I=4 U=5 D=1; tags I=4 D=2", log.summary());
        assertEquals(List.of(n1, n2, n3, 42L), log.keys("notes", 'I'));
        ChangeLog.Entry shopping = log.of("notes", 'I').get(0);
        // The column the insert left to its DEFAULT is logged with the value the database stored.
        assertEquals(0L, ((Number) shopping.value("pinned")).longValue());
        assertEquals("shopping body!", log.of("notes", 'U').get(3).value("body"));
        assertEquals(List.of("home", "misc"), log.keys("tags", 'D'));
        assertArrayEquals(new Object[] {n1, "home"}, log.of("note_tags", 'D').get(0).key());
        assertArrayEquals(new Object[] {n1, "house"}, log.of("note_tags", 'I').get(4).key());
        assertArrayEquals(new Object[] {n2, "work"}, log.of("note_tags", 'D').get(1).key());

        // Replaying the log from empty gives exactly the stored tables.
        try (Connection raw = db.openRaw()) {
            assertEquals(ChangeLog.tableState(raw, "notes", "id"), log.replay("notes"));
            assertEquals(ChangeLog.tableState(raw, "tags", "name"), log.replay("tags"));
            assertEquals(ChangeLog.tableState(raw, "note_tags", "note_id", "tag"), log.replay("note_tags"));
        }
        try (Statement s = app.createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
            assertTrue(rs.next());
            assertEquals(log.size(), rs.getLong("pending_changes"));
            assertEquals("app_events", rs.getString("unsynced_tables"));
        }
    }

    @Test
    void idsStayUniqueAndGrowingAcrossConnections() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            try (Connection c = db.openSync();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO notes (title) VALUES (?)",
                         Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 0; i < 100; i++) {
                    ps.setString(1, "n" + round + "-" + i);
                    ps.addBatch();
                }
                ps.executeBatch();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    while (keys.next()) {
                        ids.add(keys.getLong(1));
                    }
                }
            }
        }
        assertEquals(300, ids.size());
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i) > ids.get(i - 1), "ids grow: " + ids.get(i - 1) + " then " + ids.get(i));
        }
        ChangeLog log = db.log();
        assertEquals(ids, log.keys("notes", 'I'));
        try (Connection raw = db.openRaw()) {
            assertEquals(ChangeLog.tableState(raw, "notes", "id"), log.replay("notes"));
        }
    }

    private long single(String sql) throws SQLException {
        try (Statement s = app.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }
}
