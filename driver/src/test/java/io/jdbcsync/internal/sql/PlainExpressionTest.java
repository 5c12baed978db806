package io.jdbcsync.internal.sql;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which SET expressions a read can compute as the write would, and the columns they read. */
class PlainExpressionTest {
    private static final Set<String> FUNCTIONS = Set.of("COALESCE", "GREATEST");

    private static List<PlainExpression.Column> columns(String text) {
        return PlainExpression.columns(text, SqlSyntax.MARIADB, FUNCTIONS);
    }

    @Test
    void plainExpressionsListTheColumnsTheyRead() {
        assertEquals(List.of(new PlainExpression.Column(null, "qty")), columns("qty + 1"));
        assertEquals(List.of(new PlainExpression.Column("k", "qty"), new PlainExpression.Column(null, "n")),
                columns("COALESCE(k.`qty`, 0) * ? - n DIV 2.5e1"));
        assertEquals(List.of(new PlainExpression.Column(null, "a"), new PlainExpression.Column(null, "b")),
                columns("CASE WHEN a IS NULL THEN 0 ELSE GREATEST(b, 1) END"));
        assertEquals(List.of(), columns("-.5"));
    }

    @Test
    void anythingElseIsNotPlain() {
        for (String text : List.of("CONCAT(a, 'x')", "a + 'x'", "a + \"x\"", "RAND() * a", "@x + a", "@@auto_increment_increment",
                "`f`(a)", "a + 0x10", "a + x'10'", "db.t.a + 1", "(SELECT MAX(a) FROM t)", "a || b", "a & 1",
                "CURRENT_TIMESTAMP", "a := 1", "/*!a + */ 1", "a; DROP TABLE t", "")) {
            assertNull(columns(text), text);
        }
    }
    /** Numbers or NULL whatever the row holds: an arithmetic or comparison operator at the top, no CASE. */
    @org.junit.jupiter.api.Test
    void numericExpressions() {
        for (String yes : List.of("qty + 1", "-qty", "a - b * c", "COALESCE(a, 0) + 1", "(a) * 2", "a = b", "a <> ?",
                "ABS(a) - 1", "a / 0", "? + a", "a % 7")) {
            org.junit.jupiter.api.Assertions.assertTrue(PlainExpression.numeric(yes, SqlSyntax.SQLITE), yes);
        }
        for (String no : List.of("qty", "+qty", "(a + 1)", "COALESCE(a, b + 1)", "CASE WHEN a > 1 THEN b END",
                "CASE WHEN a > 1 THEN b END + 0 - CASE WHEN 1 THEN b END", "a ->> ?", "a -> ?", "?", "IIF(a > 1, b, c)")) {
            org.junit.jupiter.api.Assertions.assertFalse(PlainExpression.numeric(no, SqlSyntax.SQLITE), no);
        }
    }
}
