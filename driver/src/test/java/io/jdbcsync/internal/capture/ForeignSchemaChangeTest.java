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
 * Tables and columns another process creates are seen by the next write that names them, at once:
 * the write is captured, never passed through as touching no synced table, nor refused.
 */
class ForeignSchemaChangeTest {

    @ParameterizedTest
    @EnumSource(Kind.class)
    void writesSeeTablesAndColumnsOtherProcessesJustCreated(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync(); Connection raw = db.openRaw()) {
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))",
                    "INSERT INTO item (id, name) VALUES (1, 'a')");
            // Right after this device read the schema: another process creates a table and a column.
            exec(raw, "CREATE TABLE late (id BIGINT PRIMARY KEY, v INTEGER)",
                    "ALTER TABLE item ADD COLUMN extra INTEGER");
            exec(c, "INSERT INTO late (id, v) VALUES (1, 10)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name, extra) VALUES (?, ?, ?)")) {
                ps.setLong(1, 2);
                ps.setString(2, "b");
                ps.setInt(3, 5);
                ps.executeUpdate();
            }
            exec(raw, "ALTER TABLE late ADD COLUMN w INTEGER DEFAULT 3");
            exec(c, "UPDATE late SET w = 4 WHERE id = 1", "INSERT INTO late (id, v) VALUES (2, 20)");
            // Temporary tables stay unknown: passed through, every time.
            exec(c, "CREATE TEMPORARY TABLE scratch (id BIGINT PRIMARY KEY)");
            for (int i = 0; i < 3; i++) {
                exec(c, "INSERT INTO scratch (id) VALUES (" + i + ")");
            }
            assertEquals(List.of("I item [1] id=1 name='a'",
                    "I late [1] id=1 v=10",
                    "I item [2] id=2 name='b' extra=5",
                    "U late [1] w=4",
                    "I late [2] id=2 v=20 w=3"), ChangeLog.lines(db));
        }
    }
}
