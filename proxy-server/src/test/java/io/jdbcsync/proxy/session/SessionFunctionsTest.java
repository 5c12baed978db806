package io.jdbcsync.proxy.session;

import io.jdbcsync.proxy.protocol.ColumnDefinition;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The session's CONNECTION_ID() and LAST_INSERT_ID() go into the statement's code only: never into
 * a string, a quoted name or a comment, nor into another function whose name ends alike. (The
 * same through MariaDB and real clients: SessionPinningTest, PythonClientsTest.)
 */
class SessionFunctionsTest {
    private static String rewrite(String sql) {
        return SessionFunctions.rewrite(sql, 7, 42, true).sql();
    }

    @Test
    void callsInCodeAreReplaced() {
        assertEquals("SELECT CAST(7 AS UNSIGNED), CAST(42 AS UNSIGNED INTEGER)", rewrite("SELECT CONNECTION_ID(), last_insert_id( )"));
        assertEquals("UPDATE t SET v = 1 WHERE id = CAST(42 AS UNSIGNED INTEGER)", rewrite("UPDATE t SET v = 1 WHERE id = LAST_INSERT_ID()"));
        assertEquals("SELECT /*!100000 CAST(7 AS UNSIGNED) */", rewrite("SELECT /*!100000 CONNECTION_ID() */"),
                "an executable comment is code");
    }

    @Test
    void stringsNamesCommentsAndOtherFunctionsAreLeftAlone() {
        for (String sql : new String[] {
            "SELECT 'CONNECTION_ID()'",
            "SELECT 'it\\'s CONNECTION_ID()'",
            "SELECT 'it''s CONNECTION_ID()'",
            "SELECT \"LAST_INSERT_ID()\"",
            "SELECT `CONNECTION_ID()` FROM t",
            "SELECT 1 -- CONNECTION_ID()",
            "SELECT 1 # LAST_INSERT_ID()",
            "SELECT 1 /* CONNECTION_ID() */",
            "SELECT my_connection_id(), db.CONNECTION_ID()",
            "SELECT LAST_INSERT_ID(5)",
        }) {
            assertEquals(sql, rewrite(sql));
        }
        // Without backslash escapes (NO_BACKSLASH_ESCAPES) a backslash ends nothing: the quote closes.
        assertEquals("SELECT 'a\\', CAST(7 AS UNSIGNED)", SessionFunctions.rewrite("SELECT 'a\\', CONNECTION_ID()", 7, 42, false).sql());
    }

    @Test
    void lastInsertIdIsLeftToTheBackendWhenAsked() {
        assertEquals("SELECT CAST(7 AS UNSIGNED), LAST_INSERT_ID()",
                SessionFunctions.rewrite("SELECT CONNECTION_ID(), LAST_INSERT_ID()", 7, -1, true).sql());
    }

    @Test
    void resultColumnsGetTheCallsNamesBack() {
        SessionFunctions.Rewritten r = SessionFunctions.rewrite("SELECT connection_id() + 1, LAST_INSERT_ID() AS k", 7, 42, true);
        ColumnDefinition[] defs = {
            new ColumnDefinition("", "", "", "CAST(7 AS UNSIGNED) + 1", "", 63, 21, 8, 0, 0),
            new ColumnDefinition("", "", "", "k", "", 63, 21, 8, 0, 0),
        };
        ColumnDefinition[] named = SessionFunctions.restoreNames(defs, r.columnNames());
        assertEquals("connection_id() + 1", named[0].name());
        assertEquals("k", named[1].name());
        assertNull(SessionFunctions.rewrite("SELECT 1", 7, 42, true).columnNames());
    }
}
