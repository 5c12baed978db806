package io.jdbcsync.proxy.server;

import io.jdbcsync.proxy.RawClient;
import io.jdbcsync.proxy.RunningProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands and status flags at the packet level, each answer compared with MariaDB's own answer
 * to the same commands (same database, a direct connection).
 */
class CommandsTest {
    private static final int FLAGS = 1 | 2 | 8; // IN_TRANS, AUTOCOMMIT, MORE_RESULTS_EXISTS
    static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = RunningProxy.start();
        try (Connection c = proxy.direct(); Statement s = c.createStatement()) {
            s.execute("CREATE PROCEDURE two_results() BEGIN SELECT 1 AS a; SELECT 2 AS b, 3 AS c; END");
        }
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT NOT NULL, note VARCHAR(10))");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    private static RawClient direct(int extraCaps) throws Exception {
        RawClient c = new RawClient(3306);
        byte[] ok = c.login("root", "", proxy.database(), extraCaps);
        assertEquals(0, ok[0]);
        return c;
    }

    private static RawClient viaProxy(int extraCaps) throws Exception {
        RawClient c = new RawClient(proxy.port());
        byte[] ok = c.login(RunningProxy.USER, RunningProxy.PASSWORD, proxy.database(), extraCaps);
        assertEquals(0, ok[0], () -> "login failed: " + new String(ok, StandardCharsets.UTF_8));
        return c;
    }

    /** What a client sees of one query: each result's shape and status flags, in order. */
    private static List<String> trace(RawClient c, String sql, boolean deprecateEof) throws Exception {
        List<String> out = new ArrayList<>();
        byte[] first = c.query(sql);
        while (true) {
            int head = first[0] & 0xFF;
            int status;
            if (head == 0x00) {
                status = RawClient.okStatus(first);
                out.add("OK " + (status & FLAGS));
            } else if (head == 0xFF) {
                out.add("ERR " + RawClient.errorCode(first));
                return out;
            } else {
                int columns = head;
                List<byte[]> rest = c.readUntilEnd();
                if (!deprecateEof) {
                    rest.addAll(c.readUntilEnd()); // column definitions end with an EOF, then the rows
                }
                byte[] end = rest.get(rest.size() - 1);
                status = deprecateEof ? RawClient.okStatus(end) : RawClient.eofStatus(end);
                int rows = rest.size() - 1 - columns - (deprecateEof ? 0 : 1);
                out.add("RESULT columns=" + columns + " rows=" + rows + " " + (status & FLAGS));
            }
            if ((status & 8) == 0) {
                return out;
            }
            first = c.read();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void statusFlagsAndResultShapesMatchMariaDb(boolean deprecateEof) throws Exception {
        List<String> script = List.of("SELECT 1", "BEGIN", "INSERT INTO t (v) VALUES (1)", "SELECT v FROM t",
                "COMMIT", "SET autocommit=0", "SELECT 1", "INSERT INTO t (v) VALUES (2)", "ROLLBACK",
                "SET autocommit=1", "CALL two_results()", "SELECT * FROM missing_table", "SELECT 1, NULL, 'x'",
                "START TRANSACTION READ ONLY", "SELECT 2", "COMMIT");
        int caps = deprecateEof ? RawClient.CLIENT_DEPRECATE_EOF : 0;
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        try (RawClient d = direct(caps); RawClient p = viaProxy(caps)) {
            for (String sql : script) {
                expected.add(sql + " -> " + trace(d, sql, deprecateEof));
                actual.add(sql + " -> " + trace(p, sql, deprecateEof));
            }
        }
        // The direct connection's inserts were not captured; the proxy's were, with the same flags.
        assertEquals(expected, actual);
    }

    private static byte[] executePayload(int id, boolean bindTypes, byte[] firstValue) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) id, 0, 0, 0, 0, 1, 0, 0, 0});
        b.write(0); // NULL bitmap: none
        b.write(bindTypes ? 1 : 0);
        if (bindTypes) {
            b.writeBytes(new byte[] {(byte) 0xFD, 0, 0x08, 0}); // VAR_STRING, LONGLONG
        }
        if (firstValue != null) {
            b.write(firstValue.length);
            b.writeBytes(firstValue);
        }
        b.writeBytes(new byte[] {42, 0, 0, 0, 0, 0, 0, 0});
        return b.toByteArray();
    }

    @Test
    void preparedStatementLifecycleWithLongDataAndReset() throws Exception {
        try (RawClient p = viaProxy(0)) {
            byte[] prepared = p.command(0x16, "SELECT CONCAT(?, '') AS s, ? + 0 AS n".getBytes(StandardCharsets.UTF_8));
            assertEquals(0, prepared[0]);
            int id = prepared[1] & 0xFF;
            int columns = (prepared[5] & 0xFF) | (prepared[6] & 0xFF) << 8;
            int params = (prepared[7] & 0xFF) | (prepared[8] & 0xFF) << 8;
            assertEquals(2, params);
            assertEquals(2, columns);
            p.readUntilEnd(); // parameter definitions
            p.readUntilEnd(); // column definitions

            // Long data in two pieces for parameter 0; no response to COM_STMT_SEND_LONG_DATA.
            p.write(0, concat(new byte[] {0x18, (byte) id, 0, 0, 0, 0, 0}, "hello ".getBytes(StandardCharsets.UTF_8)));
            p.write(0, concat(new byte[] {0x18, (byte) id, 0, 0, 0, 0, 0}, "world".getBytes(StandardCharsets.UTF_8)));
            assertEquals(2, p.command(0x17, executePayload(id, true, null))[0] & 0xFF, "two columns");
            String row = rowText(p);
            assertTrue(row.contains("hello world"), row);

            // COM_STMT_RESET, then re-execution with the types bound before (new-params-bound = 0).
            assertEquals(0, p.command(0x1A, new byte[] {(byte) id, 0, 0, 0})[0]);
            assertEquals(2, p.command(0x17, executePayload(id, false, "again".getBytes(StandardCharsets.UTF_8)))[0] & 0xFF);
            row = rowText(p);
            assertTrue(row.contains("again") && !row.contains("hello"), row);

            // COM_STMT_CLOSE has no response; the statement is gone afterwards.
            p.write(0, new byte[] {0x19, (byte) id, 0, 0, 0});
            byte[] err = p.command(0x17, executePayload(id, true, "x".getBytes(StandardCharsets.UTF_8)));
            assertEquals(1243, RawClient.errorCode(err));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** After the column count: definitions, EOF, the one binary row, EOF; the row as text. */
    private static String rowText(RawClient p) throws Exception {
        p.readUntilEnd();
        List<byte[]> rows = p.readUntilEnd();
        assertEquals(2, rows.size(), "one row and the EOF");
        assertEquals(0, rows.get(0)[0], "binary row header");
        return new String(rows.get(0), StandardCharsets.UTF_8);
    }

    @Test
    void fieldListPingInitDbResetAndSetOption() throws Exception {
        try (RawClient d = direct(0); RawClient p = viaProxy(0)) {
            // COM_FIELD_LIST: one definition per column (with a default value field) and an EOF.
            byte[] table = "t\0".getBytes(StandardCharsets.UTF_8);
            d.command(0x04, table);
            List<byte[]> fromMariaDb = d.readUntilEnd();
            p.command(0x04, table);
            List<byte[]> fromProxy = p.readUntilEnd();
            assertEquals(fromMariaDb.size() + 1, fromProxy.size() + 1);
            assertEquals(4, fromProxy.size() + 1, "three columns and the EOF");

            assertEquals(0, p.command(0x0E, new byte[0])[0], "COM_PING");

            byte[] other = ("information_schema").getBytes(StandardCharsets.UTF_8);
            assertEquals(0, p.command(0x02, other)[0], "COM_INIT_DB");
            List<byte[]> db = new ArrayList<>();
            db.add(p.query("SELECT DATABASE()"));
            db.addAll(p.readUntilEnd());
            db.addAll(p.readUntilEnd());
            assertTrue(new String(db.get(db.size() - 2), StandardCharsets.UTF_8).contains("information_schema"));
            assertEquals(0, p.command(0x02, proxy.database().getBytes(StandardCharsets.UTF_8))[0]);

            p.query("SET @x = 42");
            assertEquals(0, p.command(0x1F, new byte[0])[0], "COM_RESET_CONNECTION");
            List<byte[]> x = new ArrayList<>();
            x.add(p.query("SELECT @x IS NULL"));
            x.addAll(p.readUntilEnd());
            x.addAll(p.readUntilEnd());
            assertEquals("1", new String(x.get(x.size() - 2), 1, 1, StandardCharsets.UTF_8), "user variable reset");

            byte[] off = p.command(0x1B, new byte[] {1, 0});
            assertEquals(0xFE, off[0] & 0xFF, "COM_SET_OPTION multi-statements off: EOF");
            byte[] on = p.command(0x1B, new byte[] {0, 0});
            assertEquals(0xFE, on[0] & 0xFF, "COM_SET_OPTION multi-statements on: EOF");

            byte[] unknown = p.command(0x09 + 0x60, new byte[0]);
            assertEquals(1047, RawClient.errorCode(unknown));
            assertEquals(0, p.command(0x0E, new byte[0])[0], "still usable");
        }
    }
}
