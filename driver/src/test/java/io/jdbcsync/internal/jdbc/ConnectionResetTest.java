package io.jdbcsync.internal.jdbc;

import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Connector/J's {@code reset()} (COM_RESET_CONNECTION, as a pool resetting a connection does)
 * drops every server-side prepared statement of the session, also the one behind the driver's
 * change-log insert when a multi-row write sends its rows as a bulk batch.
 */
class ConnectionResetTest {

    @ParameterizedTest
    @ValueSource(strings = {"useResetConnection=true", "useResetConnection=true&useServerPrepStmts=true",
            "useResetConnection=true&useBulkStmts=true",
            "useResetConnection=true&useServerPrepStmts=true&useBulkStmts=true&cachePrepStmts=false"})
    void multiRowWritesAreLoggedAfterTheConnectionIsReset(String options) throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.MARIADB);
             Connection c = DriverManager.getConnection(db.syncUrl(options))) {
            TestDatabase.exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, note VARCHAR(40))");
            try (Statement s = c.createStatement()) {
                assertEquals(3, s.executeUpdate("INSERT INTO item (id, note) VALUES (1, 'a'), (2, 'b'), (3, 'c')"));
                s.execute("SET @before_reset = 1");
            }
            c.unwrap(org.mariadb.jdbc.Connection.class).reset();
            try (Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT @before_reset")) {
                    rs.next();
                    assertNull(rs.getObject(1), "the session was reset on the server");
                }
                assertEquals(3, s.executeUpdate("INSERT INTO item (id, note) VALUES (4, 'd'), (5, 'e'), (6, 'f')"));
                assertEquals(2, s.executeUpdate("UPDATE item SET note = 'z' WHERE id IN (1, 4)"));
            }
            assertEquals(8, db.logRows().size());
            assertEquals(6, db.rawRows("SELECT id FROM item").size());
        }
    }
}
