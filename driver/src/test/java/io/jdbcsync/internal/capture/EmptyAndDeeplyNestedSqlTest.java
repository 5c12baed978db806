package io.jdbcsync.internal.capture;

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

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Texts without a statement give a SQLException; deeply nested writes the database accepts are captured. */
class EmptyAndDeeplyNestedSqlTest {

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anEmptyTextGivesASqlExceptionAndLeavesTheConnectionUsable(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            for (String sql : new String[] {"", "   ", " \n\t ", "-- nothing", "/* nothing */"}) {
                try (Statement s = c.createStatement()) {
                    assertEquals("42000", assertThrows(SQLException.class, () -> s.execute(sql)).getSQLState());
                    assertThrows(SQLException.class, () -> s.executeUpdate(sql));
                    assertThrows(SQLException.class, () -> s.executeQuery(sql));
                }
                assertThrows(SQLException.class, () -> c.prepareStatement(sql));
            }
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO item (id, name) VALUES (1, 'a')");
            assertEquals(1, ChangeLog.count(db));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void writesNestedDeeperThanTheParserLikesAreCaptured(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, n BIGINT, name VARCHAR(20))");
            for (int depth : new int[] {17, 40}) {
                String open = "(".repeat(depth);
                String close = ")".repeat(depth);
                exec(c, "INSERT INTO item (id, n, name) VALUES (" + depth + ", " + open + "7" + close + ", 'x')");
                exec(c, "UPDATE item SET n = " + open + "n + 1" + close + " WHERE id = " + open + depth + close);
                try (PreparedStatement ps = c.prepareStatement("UPDATE item SET name = " + open + "?" + close + " WHERE id = ?")) {
                    ps.setString(1, "y");
                    ps.setLong(2, depth);
                    assertEquals(1, ps.executeUpdate());
                }
            }
            assertEquals(List.of("17|8|y", "40|8|y"), db.rawRows("SELECT id, n, name FROM item ORDER BY id"));
            assertEquals(6, ChangeLog.count(db));
        }
    }
}
