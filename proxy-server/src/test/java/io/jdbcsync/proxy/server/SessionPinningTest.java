package io.jdbcsync.proxy.server;

import io.jdbcsync.proxy.RawClient;
import io.jdbcsync.proxy.RunningProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multiplexing: a session without session state holds no backend connection between statements;
 * each kind of session state keeps it (and the state holds); nothing reaches the next session of
 * the same backend connection. Without multiplexing a session keeps one connection and its id.
 */
class SessionPinningTest {
    private static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        // A pool of two backend connections for up to fifty clients.
        proxy = RunningProxy.start(Files.createTempDirectory("proxy-log"),
                c -> c.withLimits(50, Duration.ofSeconds(10), Duration.ofHours(1), 1 << 24).withBackend(2, true));
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT)");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Backend connections in use settle at {@code expected} (a session gives its back after answering). */
    private static void inUse(int expected, String why) throws InterruptedException {
        proxy.awaitBackendInUse(expected, why);
    }

    /** A fresh session that holds no backend connection, runs {@code keep}, then shows {@code check}. */
    private static void keeps(String keep, String check, String expected) throws Exception {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            assertEquals("1", one(s, "SELECT 1"));
            inUse(0, "a session without state holds no backend connection");
            s.execute(keep);
            inUse(1, keep + " keeps the backend connection");
            assertEquals(expected, one(s, check), check);
            inUse(1, keep + " still keeps it");
        }
        inUse(0, "the connection goes back to the pool when the session ends");
    }

    @Test
    void eachKindOfSessionStateKeepsTheBackendConnection() throws Exception {
        keeps("CREATE TEMPORARY TABLE scratch AS SELECT 7 AS x", "SELECT x FROM scratch", "7");
        keeps("SET @user_var = 'kept'", "SELECT @user_var", "kept");
        keeps("SELECT @counted := 5", "SELECT @counted", "5");
        keeps("SELECT GET_LOCK('pinned', 0)", "SELECT RELEASE_LOCK('pinned')", "1");
        keeps("LOCK TABLES t READ", "SELECT COUNT(*) >= 0 FROM t", "1");
        keeps("PREPARE p FROM 'SELECT 41 + 1'", "EXECUTE p", "42");
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            s.execute("CREATE PROCEDURE setter() SET @from_procedure = 3");
        }
        keeps("CALL setter()", "SELECT @from_procedure", "3");
        keeps("SELECT LAST_INSERT_ID(42)", "SELECT LAST_INSERT_ID()", "42");
    }

    @Test
    void connectionIdIsTheSessionsOwnAndKillAndProcessListAgree() throws Exception {
        try (Connection a = proxy.connect(""); Statement s = a.createStatement();
             Connection b = proxy.connect(""); Statement o = b.createStatement()) {
            String id = String.valueOf(((org.mariadb.jdbc.Connection) a).getThreadId());
            String other = String.valueOf(((org.mariadb.jdbc.Connection) b).getThreadId());
            assertEquals(id, one(s, "SELECT CONNECTION_ID()"), "the handshake's id");
            inUse(0, "asking for it keeps no backend connection");
            o.execute("SET @hold = 1");
            inUse(1, "the other session holds one connection");
            assertEquals(id, one(s, "SELECT CONNECTION_ID()"), "the same id on another backend connection");
            try (ResultSet rs = s.executeQuery("SELECT connection_id(), 'CONNECTION_ID()', /* CONNECTION_ID() */ 1")) {
                rs.next();
                assertEquals(id, rs.getString(1));
                assertEquals("connection_id()", rs.getMetaData().getColumnLabel(1), "the column keeps its name");
                assertEquals("CONNECTION_ID()", rs.getString(2), "a string literal is left alone");
            }
            a.setAutoCommit(false);
            assertEquals(id, one(s, "SELECT CONNECTION_ID()"), "inside a transaction too");
            a.setAutoCommit(true);

            String ownRow = null;
            String otherCommand = null;
            try (ResultSet rs = s.executeQuery("SHOW PROCESSLIST")) {
                while (rs.next()) {
                    if (rs.getString("Id").equals(id)) {
                        ownRow = rs.getString("Info");
                    } else if (rs.getString("Id").equals(other)) {
                        otherCommand = rs.getString("Command");
                    }
                }
            }
            assertEquals("SHOW PROCESSLIST", ownRow, "SHOW PROCESSLIST lists the session by its own id");
            assertEquals("Sleep", otherCommand, "and the other session, idle");

            o.execute("KILL " + id);
            assertThrows(SQLException.class, () -> one(s, "SELECT 1"), "KILL of that id ends the session");
        }
    }

    @Test
    void sessionVariablesFollowTheSessionToAnyConnectionAndNoFurther() throws Exception {
        try (Connection a = proxy.connect(""); Statement s = a.createStatement()) {
            s.execute("SET SESSION sql_mode = 'ANSI_QUOTES', max_statement_time = 7");
            inUse(0, "SETs of session variables are replayed where the session goes: nothing kept");
            List<Connection> others = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    others.add(proxy.connect(""));
                    try (Statement o = others.get(i).createStatement()) {
                        assertEquals("0", one(o, "SELECT @@SESSION.sql_mode = 'ANSI_QUOTES' OR @@max_statement_time = 7"),
                                "another session never sees them");
                    }
                    assertEquals("ANSI_QUOTES", one(s, "SELECT @@SESSION.sql_mode"));
                    assertEquals("7.000000", one(s, "SELECT @@max_statement_time"));
                }
            } finally {
                for (Connection c : others) {
                    c.close();
                }
            }
        }
    }

    @Test
    void lastInsertIdIsTheSessionsWithoutKeepingTheConnection() throws Exception {
        try (Connection c = proxy.connect("useServerPrepStmts=true&cachePrepStmts=false"); Statement s = c.createStatement();
             Connection other = proxy.connect(""); Statement o = other.createStatement()) {
            s.executeUpdate("UPDATE t SET v = v WHERE id = -1");
            inUse(0, "a write without a generated key leaves no state");
            s.executeUpdate("INSERT INTO t (v) VALUES (1)", Statement.RETURN_GENERATED_KEYS);
            inUse(0, "nor does a generated key");
            String key;
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                key = keys.getString(1);
            }
            assertEquals(key, one(s, "SELECT LAST_INSERT_ID()"));
            o.executeUpdate("INSERT INTO t (v) VALUES (2)");
            assertTrue(!key.equals(one(o, "SELECT LAST_INSERT_ID()")), "the other session has its own");
            assertEquals(key, one(s, "SELECT LAST_INSERT_ID()"), "on whichever backend connection");
            s.executeUpdate("UPDATE t SET v = 3 WHERE id = " + key);
            assertEquals(key, one(s, "SELECT LAST_INSERT_ID()"), "a statement without a key leaves it");
            try (ResultSet rs = s.executeQuery("SELECT v FROM t WHERE id = LAST_INSERT_ID()")) {
                assertTrue(rs.next());
                assertEquals(3, rs.getInt(1), "in a condition too");
            }
            try (ResultSet rs = s.executeQuery("SELECT LAST_INSERT_ID()")) {
                assertEquals("LAST_INSERT_ID()", rs.getMetaData().getColumnLabel(1));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT LAST_INSERT_ID() + ?")) {
                ps.setInt(1, 0);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(key, rs.getString(1), "a prepared statement reads the session's");
                }
            }
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO t (v) VALUES (4)", Statement.RETURN_GENERATED_KEYS);
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                key = keys.getString(1);
            }
            c.commit();
            c.setAutoCommit(true);
            inUse(0, "the transaction and the prepared statement are over");
            assertEquals(key, one(s, "SELECT LAST_INSERT_ID()"), "a key from inside a transaction");
        }
        inUse(0, "back to the pool at the end");
    }

    @Test
    void transactionsPreparedStatementsAndWarningsKeepItWhileTheyLast() throws Exception {
        try (Connection c = proxy.connect("useServerPrepStmts=true&cachePrepStmts=false");
             Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("UPDATE t SET v = v WHERE id = -1");
            inUse(1, "an open transaction keeps the connection");
            c.rollback();
            c.setAutoCommit(true);
            inUse(0, "and gives it back when it ends");

            try (PreparedStatement ps = c.prepareStatement("SELECT ? + 1")) {
                ps.setInt(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(2, rs.getInt(1));
                }
                inUse(1, "a prepared statement keeps the connection while it is open");
            }
            inUse(0, "closing it gives the connection back");

            s.execute("SELECT CAST('x' AS SIGNED)");
            inUse(1, "warnings keep the connection for SHOW WARNINGS");
            try (ResultSet rs = s.executeQuery("SHOW WARNINGS")) {
                assertTrue(rs.next(), "the warning is still there");
                assertEquals(1292, rs.getInt("Code"));
            }
            inUse(0, "until the next statement");
        }
    }

    @Test
    void manySessionsShareTwoBackendConnections() throws Exception {
        List<Connection> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                clients.add(proxy.connect(""));
            }
            try (Statement s = clients.get(0).createStatement()) {
                s.execute("USE information_schema");
            }
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < clients.size(); i++) {
                    try (Statement s = clients.get(i).createStatement()) {
                        assertEquals(String.valueOf(i), one(s, "SELECT " + i));
                    }
                }
            }
            try (Statement s = clients.get(0).createStatement()) {
                assertEquals("information_schema", one(s, "SELECT DATABASE()"), "a session's database moves with it");
            }
            try (Statement s = clients.get(1).createStatement()) {
                assertEquals(proxy.database(), one(s, "SELECT DATABASE()"), "and stays its own");
            }
            inUse(0, "twenty idle sessions, no backend connection held");
        } finally {
            for (Connection c : clients) {
                c.close();
            }
        }
    }

    @Test
    void resetConnectionDropsTheStateAndTheConnection() throws Exception {
        try (RawClient c = new RawClient(proxy.port())) {
            assertEquals(0, c.login(RunningProxy.USER, RunningProxy.PASSWORD, proxy.database(), 0)[0]);
            assertEquals(0, c.query("SET @gone = 1")[0]);
            inUse(1, "kept by the user variable");
            assertEquals(0, c.command(0x1F, new byte[0])[0], "COM_RESET_CONNECTION");
            inUse(0, "COM_RESET_CONNECTION ends the session state");
        }
    }

    @Test
    void withoutMultiplexingASessionOwnsOneConnectionAndItsId() throws Exception {
        try (RunningProxy owned = RunningProxy.start(Files.createTempDirectory("proxy-log"),
                c -> c.withLimits(1, Duration.ofSeconds(10), Duration.ofHours(1), 1 << 24).withBackend(1, false))) {
            String connectionId;
            try (Connection c = owned.connect("useServerPrepStmts=true"); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT)");
                connectionId = one(s, "SELECT CONNECTION_ID()");
                assertEquals(connectionId, String.valueOf(((org.mariadb.jdbc.Connection) c).getThreadId()),
                        "the handshake shows the backend connection's id");
                s.execute("CREATE TEMPORARY TABLE scratch (x INT)");
                s.execute("SET @user_var = 'kept'");
                s.execute("SET SESSION sql_mode = 'ANSI_QUOTES'");
                assertEquals("1", one(s, "SELECT GET_LOCK('pinned', 0)"));
                c.setAutoCommit(false);
                s.execute("INSERT INTO t (v) VALUES (2)");
                // Disconnect inside the transaction.
            }
            for (int i = 0; i < 200 && owned.server().sessions() > 0; i++) {
                Thread.sleep(50);
            }
            try (Connection c = owned.connect(""); Statement s = c.createStatement()) {
                assertTrue(!connectionId.equals(one(s, "SELECT CONNECTION_ID()")),
                        "a connection that carried session state is closed, never handed on");
                assertThrows(SQLException.class, () -> one(s, "SELECT x FROM scratch"));
                assertNull(one(s, "SELECT @user_var"));
                assertEquals("0", one(s, "SELECT @@SESSION.sql_mode = 'ANSI_QUOTES'"));
                assertNull(one(s, "SELECT IS_USED_LOCK('pinned')"));
                assertEquals("0", one(s, "SELECT COUNT(*) FROM t"), "the open transaction was rolled back");
                assertEquals("1", one(s, "SELECT @@autocommit"));
            }
        }
    }
}
