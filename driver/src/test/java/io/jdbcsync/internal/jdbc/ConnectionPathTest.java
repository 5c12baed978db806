package io.jdbcsync.internal.jdbc;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way back from an object the driver hands out to a connection leads to the wrapping
 * connection: a write through the raw one would never be logged.
 */
class ConnectionPathTest {

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyPathLeadsBackToTheWrapper(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))",
                    "CREATE TABLE plain (n INTEGER)",
                    "INSERT INTO item (id, name) VALUES (1, 'a')");
            List<Connection> reached = new ArrayList<>();
            try (Statement s = c.createStatement()) {
                reached.add(s.getConnection());
                try (ResultSet rs = s.executeQuery("SELECT id FROM item")) {
                    assertSame(s, rs.getStatement());
                    reached.add(rs.getStatement().getConnection());
                }
                assertTrue(s.execute("SELECT name FROM item"));
                ResultSet rs = s.getResultSet();
                reached.add(rs.getStatement().getConnection());
                assertTrue(rs.next());
                assertEquals("a", rs.getString(1));
                rs.close();
                s.executeUpdate("INSERT INTO plain (n) VALUES (1)", Statement.RETURN_GENERATED_KEYS);
                try (ResultSet keys = s.getGeneratedKeys()) {
                    reached.add(keys.getStatement().getConnection());
                }
                s.executeUpdate("INSERT INTO item (name) VALUES ('g')", Statement.RETURN_GENERATED_KEYS);
                try (ResultSet keys = s.getGeneratedKeys()) {
                    reached.add(keys.getStatement().getConnection());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM item WHERE id = ?")) {
                ps.setLong(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    assertSame(ps, rs.getStatement());
                    reached.add(rs.getStatement().getConnection());
                }
                ps.execute();
                reached.add(ps.getResultSet().getStatement().getConnection());
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO plain (n) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setInt(1, 2);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    reached.add(keys.getStatement().getConnection());
                }
            }
            DatabaseMetaData md = c.getMetaData();
            reached.add(md.getConnection());
            try (ResultSet tables = md.getTables(null, null, "%", null)) {
                Statement owner = tables.getStatement();
                if (owner != null) {
                    reached.add(owner.getConnection());
                }
                assertNotNull(tables.unwrap(ResultSet.class));
            }
            for (Connection r : reached) {
                assertSame(c, r);
            }
            // What the app does with the connection it reached is captured.
            try (ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
                exec(rs.getStatement().getConnection(), "UPDATE item SET name = 'b' WHERE id = 1");
            }
            assertTrue(ChangeLog.lines(db).contains("U item [1] name='b'"), ChangeLog.lines(db).toString());
        }
    }
}
