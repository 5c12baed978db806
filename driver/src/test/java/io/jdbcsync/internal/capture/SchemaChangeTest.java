package io.jdbcsync.internal.capture;

import io.jdbcsync.internal.jdbc.SyncConnection;
import io.jdbcsync.internal.sql.SqlAnalyzer;
import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DDL through the driver is picked up by the next statement, on every connection, without reconnecting. */
class SchemaChangeTest {

    @ParameterizedTest
    @EnumSource(Kind.class)
    void createAndAlterAreSeenByLaterStatements(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync(); Connection other = db.openSync()) {
            assertThrows(SQLException.class, () -> exec(c, "INSERT INTO item (id, name) VALUES (1, 'a')"));
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))");
            try (PreparedStatement before = c.prepareStatement("INSERT INTO item (id, name) VALUES (?, ?)")) {
                before.setLong(1, 1);
                before.setString(2, "a");
                before.executeUpdate();
                try (PreparedStatement alter = c.prepareStatement("ALTER TABLE item ADD COLUMN qty INTEGER DEFAULT 7")) {
                    alter.execute();
                }
                // Prepared before the ALTER, run after it: the new column's default is logged too.
                before.setLong(1, 2);
                before.setString(2, "b");
                before.executeUpdate();
            }
            exec(other, "INSERT INTO item (id, name, qty) VALUES (3, 'c', 3)", "UPDATE item SET qty = qty + 1 WHERE id = 1");
            try (Statement s = other.createStatement()) {
                s.addBatch("ALTER TABLE item ADD COLUMN note VARCHAR(10)");
                s.addBatch("INSERT INTO item (id, name, note) VALUES (4, 'd', 'n')");
                s.executeBatch();
            }
            exec(c, "CREATE TABLE later (k VARCHAR(10) PRIMARY KEY, v INTEGER)", "INSERT INTO later (k, v) VALUES ('x', 1)");
            assertEquals(List.of(
                    "I item [1] id=1 name='a'",
                    "I item [2] id=2 name='b' qty=7",
                    "I item [3] id=3 name='c' qty=3",
                    "U item [1] qty=8",
                    "I item [4] id=4 name='d' qty=7 note='n'",
                    "I later ['x'] k='x' v=1"), ChangeLog.lines(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void droppingOrAddingTheKeyChangesWhatIsSynced(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO item (id, name) VALUES (1, 'a')",
                    "DROP TABLE item", "CREATE TABLE item (id BIGINT, name VARCHAR(20))", "INSERT INTO item (id, name) VALUES (2, 'b')");
            if (kind == Kind.MARIADB) {
                exec(c, "ALTER TABLE item ADD PRIMARY KEY (id)");
            } else {
                exec(c, "ALTER TABLE item RENAME TO old_item", "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))",
                        "INSERT INTO item (id, name) SELECT id, name FROM old_item", "DROP TABLE old_item");
            }
            exec(c, "INSERT INTO item (id, name) VALUES (3, 'c')");
            List<String> log = ChangeLog.lines(db);
            String copied = kind == Kind.SQLITE ? "I item [2] id=2 name='b'" : null;
            assertEquals(kind == Kind.SQLITE
                    ? List.of("I item [1] id=1 name='a'", copied, "I item [3] id=3 name='c'")
                    : List.of("I item [1] id=1 name='a'", "I item [3] id=3 name='c'"), log);
        }
    }

    /** The analyzer is the same for every database; SQLite keeps the 50,000 statements quick. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "SQLITE")
    void parseCacheIsBounded(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Properties p = new Properties();
            p.setProperty("sync.parse-cache-size", "1000");
            try (Connection c = db.openSync(p)) {
                SqlAnalyzer analyzer = c.unwrap(SyncConnection.class).device().analyzer();
                exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))");
                int statements = 50_000;
                int writes = 200; // parsing a write takes milliseconds
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    for (int i = 0; i < statements; i++) {
                        if (i < writes) {
                            s.executeUpdate("INSERT INTO item (id, name) VALUES (" + i + ", 'n" + i + "')");
                        } else if (i < 5_000) {
                            // Distinct texts that only the analyzer sees: prepared, never run.
                            s.getConnection().prepareStatement("SELECT name FROM item WHERE id = " + i).close();
                        } else {
                            // The rest straight to the device's analyzer, as every statement goes.
                            analyzer.analyze("SELECT name FROM item WHERE id = " + i);
                        }
                        assertTrue(analyzer.cachedCount() <= 1000, "cache holds " + analyzer.cachedCount() + " after " + i);
                    }
                }
                c.commit();
                assertTrue(analyzer.cachedCount() > 400, "the cache is used: " + analyzer.cachedCount());
                String sql = "UPDATE item SET name = 'x' WHERE id = 1";
                assertSame(analyzer.analyze(sql), analyzer.analyze(sql));
                assertEquals(writes, ChangeLog.count(db));
            }
        }
    }
}
