package io.jdbcsync.internal.sql;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which literals a write text gives up as parameters, and which it keeps. */
class LiteralShapeTest {

    private static LiteralShape sqlite(String sql) {
        return LiteralShape.of(sql, SqlSyntax.SQLITE, LiteralTyping.REAL_DECIMALS);
    }

    private static LiteralShape mariadb(String sql) {
        return LiteralShape.of(sql, SqlSyntax.MARIADB, LiteralTyping.EXACT_DECIMALS);
    }

    private static void shape(LiteralShape s, String sql, Object... values) {
        assertEquals(sql, s.sql());
        assertEquals(Arrays.asList(values), s.values());
    }

    @Test
    void valuesOfAnInsertBecomeParameters() {
        shape(sqlite("INSERT INTO t (id, name, price, n) VALUES (7, 'it''s', 1.50, -3)"),
                "INSERT INTO t (id, name, price, n) VALUES (?, ?, ?, ?)", 7L, "it's", 1.5d, -3L);
        shape(mariadb("INSERT INTO t (id, name, price, n) VALUES (7, 'it''s', 1.50, -3);"),
                "INSERT INTO t (id, name, price, n) VALUES (?, ?, ?, ?);", 7L, "it's", new BigDecimal("1.50"), -3L);
        shape(mariadb("insert into t values (1,'ü€😀'),(2,'b')"), "insert into t values (?,?),(?,?)", 1L, "ü€😀", 2L, "b");
    }

    @Test
    void comparisonsInListsAndBetweenBecomeParameters() {
        shape(sqlite("UPDATE t SET a = 1, b = 'x', c = c + 1 WHERE id = 5 AND k<=-2 OR z <> 'q'"),
                "UPDATE t SET a = ?, b = ?, c = c + 1 WHERE id = ? AND k<=? OR z <> ?", 1L, "x", 5L, -2L, "q");
        shape(mariadb("DELETE FROM t WHERE id IN (1, 2, 3)"), "DELETE FROM t WHERE id IN (?, ?, ?)", 1L, 2L, 3L);
        shape(mariadb("DELETE FROM t WHERE id BETWEEN 10 AND 20"), "DELETE FROM t WHERE id BETWEEN ? AND ?", 10L, 20L);
        shape(mariadb("INSERT INTO t VALUES (1, 2) ON DUPLICATE KEY UPDATE b = 3"),
                "INSERT INTO t VALUES (?, ?) ON DUPLICATE KEY UPDATE b = ?", 1L, 2L, 3L);
    }

    @Test
    void blobLiteralsOnSqliteOnly() {
        LiteralShape s = sqlite("INSERT INTO t VALUES (1, X'00fF')");
        assertEquals("INSERT INTO t VALUES (?, ?)", s.sql());
        assertArrayEquals(new byte[] {0, -1}, (byte[]) s.values().get(1));
        shape(mariadb("INSERT INTO t VALUES (1, X'00fF')"), "INSERT INTO t VALUES (?, X'00fF')", 1L);
    }

    @Test
    void typedAndSpecialLiteralsStay() {
        String kept = "INSERT INTO t VALUES (NULL, DEFAULT, TRUE, DATE '2020-01-01', N'x', _utf8mb4'y', 0x1F, b'101',"
                + " 1e5, .5, 5., 99999999999999999999, c + 1, 2 * c, 'a' 'b', 'x' COLLATE utf8mb4_bin, -c)";
        assertNull(mariadb(kept));
        assertNull(sqlite(kept));
    }

    @Test
    void textsThatMayNotTakeParametersStay() {
        for (String sql : List.of(
                "INSERT INTO t SELECT 1, 'a'",
                "DELETE FROM t WHERE id = 1 LIMIT 1",
                "UPDATE t SET a = 1 ORDER BY id",
                "INSERT INTO t VALUES (1) RETURNING id",
                "INSERT INTO t VALUES (?, 1)",
                "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)",
                "INSERT INTO t VALUES (CAST('5' AS DECIMAL(10, 2)))",
                "INSERT INTO t VALUES (CONVERT('5', CHAR(10)))",
                "INSERT INTO t VALUES (1, 'unterminated)",
                "SELECT * FROM t WHERE id = 1",
                "CREATE TABLE t (a VARCHAR(10) DEFAULT 'x')")) {
            assertNull(sqlite(sql), sql);
            assertNull(mariadb(sql), sql);
        }
        // MariaDB: whether a backslash escapes depends on sql_mode; SQLite: the parser misreads \'
        assertNull(mariadb("INSERT INTO t VALUES (1, 'a\\'b')"));
        assertNull(sqlite("INSERT INTO t VALUES (1, 'a\\b')"));
        assertNull(mariadb("INSERT INTO t VALUES /*!50000 (1, 2) */"));
    }

    @Test
    void realLiteralsBeyondFifteenDigitsStay() {
        shape(sqlite("INSERT INTO t VALUES (1, 123456789012345.6)"), "INSERT INTO t VALUES (?, 123456789012345.6)", 1L);
        shape(sqlite("INSERT INTO t VALUES (1, 12345678901234.50)"), "INSERT INTO t VALUES (?, ?)", 1L, 12345678901234.5d);
        shape(mariadb("INSERT INTO t VALUES (1, 123456789012345.6)"), "INSERT INTO t VALUES (?, ?)", 1L,
                new BigDecimal("123456789012345.6"));
    }
}
