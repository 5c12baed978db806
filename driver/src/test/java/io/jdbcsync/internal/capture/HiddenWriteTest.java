package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes that hide in a text the driver would otherwise take for a read: a second statement, or
 * code in a MariaDB executable comment. Each is refused before anything runs; texts that only look
 * like them pass.
 */
class HiddenWriteTest {

    private static Connection open(TestDatabase db) throws SQLException {
        // MariaDB runs several statements in one text only when asked to.
        return db.kind() == Kind.MARIADB ? DriverManager.getConnection(db.syncUrl("allowMultiQueries=true"))
                : db.openSync();
    }

    private static void assertRefused(Connection c, String sql) {
        UncapturableWriteException e = assertThrows(UncapturableWriteException.class, () -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate(sql);
            }
        }, sql);
        assertTrue(e.getMessage().contains("cannot capture"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aSecondStatementThatWritesIsRefused(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = open(db)) {
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))",
                    "CREATE TABLE note (id BIGINT, txt VARCHAR(20))",
                    "INSERT INTO item (id, name) VALUES (1, 'a'), (2, 'b')");
            assertRefused(c, "SELECT 1; DELETE FROM item WHERE id = 1");
            assertRefused(c, "SELECT 1;\nUPDATE item SET name = 'x' WHERE id = 2;");
            assertRefused(c, "INSERT INTO note (id) VALUES (1); DELETE FROM item");
            assertRefused(c, "SELECT ';' AS a; DELETE FROM item WHERE id = 1");
            assertRefused(c, "SELECT \"x\"\"\"; /* ; */ DELETE FROM item WHERE id = 1");
            assertRefused(c, "SELECT 1; WITH k AS (SELECT 1 AS id) DELETE FROM item WHERE id IN (SELECT id FROM k)");
            // Only the statements on tables that are not synced: they run as they are.
            try (Statement s = c.createStatement()) {
                // sqlite-jdbc runs every statement of the text in executeUpdate (execute stops after the first).
                s.executeUpdate("INSERT INTO note (id, txt) VALUES (1, 'n'); UPDATE note SET txt = 'm' WHERE id = 1");
            }
            // Look like several statements, are one.
            exec(c, "UPDATE item SET name = 'p;q' WHERE id = 2 -- ; DELETE FROM item",
                    "UPDATE item SET name = 'r' /* ; DELETE FROM item */ WHERE id = 1");
            assertEquals(List.of("1|r", "2|p;q"), db.rawRows("SELECT id, name FROM item ORDER BY id"));
            assertEquals(List.of("m"), db.rawRows("SELECT txt FROM note"));
            assertEquals(List.of("I item [1] id=1 name='a'", "I item [2] id=2 name='b'", "U item [2] name='p;q'",
                    "U item [1] name='r'"), ChangeLog.lines(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void triggerBodiesAreOneStatement(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = open(db)) {
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))",
                    "CREATE TABLE note (id BIGINT, txt VARCHAR(20))");
            exec(c, kind == Kind.SQLITE
                    ? "CREATE TRIGGER item_note AFTER INSERT ON item BEGIN INSERT INTO note (id, txt) VALUES (new.id, 'i');"
                            + " UPDATE note SET txt = 'j' WHERE id = new.id; END"
                    : "CREATE TRIGGER item_note AFTER INSERT ON item FOR EACH ROW BEGIN INSERT INTO note (id, txt)"
                            + " VALUES (new.id, CASE WHEN new.id > 0 THEN 'i' ELSE 'x' END);"
                            + " IF new.id > 0 THEN UPDATE note SET txt = 'j' WHERE id = new.id; END IF; END");
            exec(c, "INSERT INTO item (id, name) VALUES (1, 'a')");
            assertEquals(List.of("j"), db.rawRows("SELECT txt FROM note"));
            assertEquals(List.of("I item [1] id=1 name='a'"), ChangeLog.lines(db));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "MARIADB")
    void mariaDbCommentsAreReadAsTheServerReadsThem(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = open(db)) {
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))",
                    "INSERT INTO item (id, name) VALUES (1, 'a'), (2, 'b')");
            // The server runs the text of executable comments.
            assertRefused(c, "/*! DELETE FROM item WHERE id = 1 */");
            assertRefused(c, "/*!50000 UPDATE item SET name = 'x' WHERE id = 2 */");
            assertRefused(c, "/*M!100000 DELETE FROM item */");
            assertRefused(c, "SELECT 1 /*!; DELETE FROM item */");
            // '--' starts a comment only before a space; '1--1' is arithmetic.
            assertRefused(c, "SELECT 1--1; DELETE FROM item");
            // A backslash escapes a quote: the string goes on past it.
            assertRefused(c, "SELECT 'a\\'; DELETE FROM item WHERE id = 1; SELECT ''");
            assertRefused(c, "SELECT \"a\\\"; DELETE FROM item WHERE id = 1; SELECT \"\"");
            // Several statements on tables that are not synced, prepared with parameters: they run.
            exec(c, "CREATE TABLE note (id BIGINT, txt VARCHAR(20))");
            try (java.sql.PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO note (id, txt) VALUES (?, 'a'); UPDATE note SET txt = ? WHERE id = 1")) {
                ps.setLong(1, 1);
                ps.setString(2, "b");
                ps.execute();
            }
            assertEquals(List.of("1|b"), db.rawRows("SELECT id, txt FROM note"));
            // Comments the server skips.
            exec(c, "SELECT 1 # ; DELETE FROM item", "SELECT 1 -- ; DELETE FROM item", "/* DELETE FROM item */ SELECT 1");
            assertEquals(List.of("1|a", "2|b"), db.rawRows("SELECT id, name FROM item ORDER BY id"));
            assertEquals(2, ChangeLog.count(db));
        }
    }
}
