package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.util.List;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A write qualified by this database's own name is a write to the synced table; one qualified by
 * another database or schema is not this device's and passes through uncaptured.
 */
class QualifiedNameTest {

    @ParameterizedTest
    @EnumSource(Kind.class)
    void onlyTheSyncedDatabaseIsCaptured(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); TestDatabase other = TestDatabase.create(kind);
             Connection c = db.openSync()) {
            String self;
            String elsewhere;
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))");
            other.execRaw("CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))");
            if (kind == Kind.SQLITE) {
                String file = other.rawUrl().substring("jdbc:sqlite:".length(), other.rawUrl().indexOf('?'));
                exec(c, "ATTACH DATABASE '" + file + "' AS other");
                self = "main";
                elsewhere = "other";
            } else {
                self = "`" + c.getCatalog() + "`";
                try (Connection o = other.openRaw()) {
                    elsewhere = o.getCatalog();
                }
            }
            exec(c, "INSERT INTO " + elsewhere + ".item (id, name) VALUES (1, 'x'), (2, 'y')",
                    "UPDATE " + elsewhere + ".item SET name = 'z' WHERE id = 1",
                    "DELETE FROM " + elsewhere + ".item WHERE id = 2",
                    "INSERT INTO " + self + ".item (id, name) VALUES (1, 'a'), (2, 'b')",
                    "UPDATE " + self + ".item SET name = 'c' WHERE id = 1",
                    "DELETE FROM " + self + ".item WHERE id = 2");
            if (kind == Kind.MARIADB) {
                // USE makes unqualified names another database's: those writes are not this device's.
                exec(c, "USE " + elsewhere, "INSERT INTO item (id, name) VALUES (5, 'o')");
                UncapturableWriteException e = org.junit.jupiter.api.Assertions.assertThrows(UncapturableWriteException.class,
                        () -> exec(c, "INSERT INTO " + self + ".item (id, name) VALUES (6, 'm')"));
                org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("USE"), e.getMessage());
                exec(c, "USE " + self);
                assertEquals(List.of("1|z", "5|o"), other.rawRows("SELECT id, name FROM item ORDER BY id"));
                other.execRaw("DELETE FROM item WHERE id = 5");
            }
            if (kind == Kind.SQLITE) {
                exec(c, "CREATE TEMP TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))",
                        "INSERT INTO temp.item (id, name) VALUES (7, 't')", "DROP TABLE temp.item");
            }
            assertEquals(List.of("1|z"), other.rawRows("SELECT id, name FROM item"));
            assertEquals(List.of("1|c"), db.rawRows("SELECT id, name FROM item"));
            assertEquals(List.of("I item [1] id=1 name='a'", "I item [2] id=2 name='b'", "U item [1] name='c'",
                    "D item [2]"), ChangeLog.lines(db));
        }
    }
}
