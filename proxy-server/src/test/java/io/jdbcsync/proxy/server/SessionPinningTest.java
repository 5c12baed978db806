package io.jdbcsync.proxy.server;

import io.jdbcsync.proxy.RunningProxy;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A session owns one backend connection for its life, so every kind of session state holds
 * between its statements; and none of it reaches the next session that gets the same backend
 * connection (a pool of one here).
 */
class SessionPinningTest {

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void sessionStateHoldsWithinASessionAndNeverLeaksToTheNext() throws Exception {
        try (RunningProxy proxy = RunningProxy.start(Files.createTempDirectory("proxy-log"),
                c -> c.withLimits(1, Duration.ofSeconds(10), Duration.ofHours(1), 1 << 24))) {
            String connectionId;
            try (Connection c = proxy.connect("useServerPrepStmts=true"); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT)");
                connectionId = one(s, "SELECT CONNECTION_ID()");
                s.execute("CREATE TEMPORARY TABLE scratch (x INT)");
                s.execute("INSERT INTO scratch VALUES (7)");
                s.execute("SET @user_var = 'kept'");
                s.execute("SET SESSION sql_mode = 'ANSI_QUOTES'");
                s.execute("INSERT INTO t (v) VALUES (1)");
                String key = one(s, "SELECT LAST_INSERT_ID()");
                assertEquals("1", one(s, "SELECT GET_LOCK('pinned', 0)"));
                c.setAutoCommit(false);
                s.execute("INSERT INTO t (v) VALUES (2)");
                // All of it still there, statement after statement.
                assertEquals("7", one(s, "SELECT x FROM scratch"));
                assertEquals("kept", one(s, "SELECT @user_var"));
                assertEquals("ANSI_QUOTES", one(s, "SELECT @@SESSION.sql_mode"));
                assertEquals(key, one(s, "SELECT id FROM t WHERE v = 1"));
                assertEquals("1", one(s, "SELECT IS_USED_LOCK('pinned') = CONNECTION_ID()"));
                assertEquals(connectionId, one(s, "SELECT CONNECTION_ID()"));
                // Disconnect inside the transaction.
            }
            // The session ends asynchronously; the pool (of one) gets the connection back after it.
            for (int i = 0; i < 200 && proxy.server().sessions() > 0; i++) {
                Thread.sleep(50);
            }
            try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
                assertEquals(connectionId, one(s, "SELECT CONNECTION_ID()"), "the same backend connection, reset");
                assertThrows(SQLException.class, () -> one(s, "SELECT x FROM scratch"));
                assertNull(one(s, "SELECT @user_var"));
                assertEquals("0", one(s, "SELECT @@SESSION.sql_mode = 'ANSI_QUOTES'"));
                assertNull(one(s, "SELECT IS_USED_LOCK('pinned')"));
                assertEquals("1", one(s, "SELECT COUNT(*) FROM t"), "the open transaction was rolled back");
                assertEquals("1", one(s, "SELECT @@autocommit"));
            }
        }
    }
}
