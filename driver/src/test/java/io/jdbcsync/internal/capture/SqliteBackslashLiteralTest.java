package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * On SQLite a backslash in a string literal is a plain character, also right before a doubled
 * quote ({@code 'a\''b'} is {@code a\'b}): such writes are captured with the values SQLite stores.
 */
class SqliteBackslashLiteralTest {

    @Test
    void literalsWithBackslashesAreCapturedAsSqliteReadsThem() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE); Connection c = db.openSync();
             Statement s = c.createStatement()) {
            exec(c, "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, note TEXT)");
            assertEquals(1, s.executeUpdate("INSERT INTO item (id, name, note) VALUES (1, 'a\\''b', 'C:\\')"));
            assertEquals(1, s.executeUpdate("INSERT INTO item (id, name, note) VALUES (2, '\\''', '\\\\''')"));
            assertEquals(1, s.executeUpdate("UPDATE item SET note = 'x\\''; y' WHERE name = 'a\\''b'"));
            assertEquals(1, s.executeUpdate("DELETE FROM item WHERE note = '\\\\'''"));

            assertEquals(List.of("1|a\\'b|x\\'; y"), db.rawRows("SELECT id, name, note FROM item ORDER BY id"));
            assertEquals(List.of(
                    "I item [1] id=1 name='a\\'b' note='C:\\'",
                    "I item [2] id=2 name='\\'' note='\\\\''",
                    "U item [1] note='x\\'; y'",
                    "D item [2]"), ChangeLog.lines(db));
        }
    }
}
