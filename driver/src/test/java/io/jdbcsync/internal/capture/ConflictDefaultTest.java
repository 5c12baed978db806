package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An insert with a conflict clause that leaves a unique column to its default collides on that
 * default like on a given value: the row it replaces or updates is logged.
 */
class ConflictDefaultTest {

    private static void create(Connection c) throws Exception {
        exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, code VARCHAR(10) NOT NULL DEFAULT 'c' UNIQUE, name VARCHAR(20))",
                "INSERT INTO item (id, name) VALUES (1, 'a')");
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "SQLITE")
    void sqliteForms(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            create(c);
            exec(c, "INSERT OR REPLACE INTO item (id, name) VALUES (2, 'b')",
                    "REPLACE INTO item (id, name) VALUES (3, 'r')",
                    "INSERT INTO item (id, name) VALUES (4, 'u') ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                    "INSERT INTO item (id, name) VALUES (5, 'v') ON CONFLICT DO NOTHING");
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO item (id, name) VALUES (?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name || '!'")) {
                ps.setLong(1, 6);
                ps.setString(2, "p");
                ps.executeUpdate();
            }
            assertEquals(List.of("3|c|p!"), db.rawRows("SELECT id, code, name FROM item"));
            assertEquals(List.of("I item [1] id=1 code='c' name='a'",
                    "D item [1]", "I item [2] id=2 code='c' name='b'",
                    "D item [2]", "I item [3] id=3 code='c' name='r'",
                    "U item [3] name='u'",
                    "U item [3] name='p!'"), ChangeLog.lines(db));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "MARIADB")
    void mariaDbForms(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            create(c);
            exec(c, "REPLACE INTO item (id, name) VALUES (2, 'b')",
                    "INSERT INTO item (id, name) VALUES (3, 'u') ON DUPLICATE KEY UPDATE name = VALUES(name)",
                    "INSERT INTO item (id, code, name) VALUES (4, DEFAULT, 'w') ON DUPLICATE KEY UPDATE name = 'w'",
                    "INSERT IGNORE INTO item (id, name) VALUES (5, 'z')");
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO item (id, name) VALUES (?, ?) ON DUPLICATE KEY UPDATE name = CONCAT(VALUES(name), '!')")) {
                ps.setLong(1, 6);
                ps.setString(2, "p");
                ps.executeUpdate();
            }
            assertEquals(List.of("2|c|p!"), db.rawRows("SELECT id, code, name FROM item"));
            assertEquals(List.of("I item [1] id=1 code='c' name='a'",
                    "D item [1]", "I item [2] id=2 code='c' name='b'",
                    "U item [2] name='u'",
                    "U item [2] name='w'",
                    "U item [2] name='p!'"), ChangeLog.lines(db));
        }
    }
}
