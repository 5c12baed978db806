package io.jdbcsync.internal.sql;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parse cache is bounded by the size of the texts it keeps, not only by their count. (Reads
 * stand in for most texts: they are cached alike and cost no parse, which keeps this test quick.)
 */
class ParseCacheBoundTest {

    private static String select(int n, int chars) {
        return "SELECT " + n + ", '" + "x".repeat(chars) + "'";
    }

    private static String insert(int n, int rows) {
        StringBuilder sb = new StringBuilder("INSERT INTO item (id, name) VALUES ");
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "" : ", ").append('(').append(n * 1_000_000L + i).append(", 'some text of a row')");
        }
        return sb.toString();
    }

    @Test
    void hugeTextsAreNotKept() {
        SqlAnalyzer analyzer = new SqlAnalyzer(SqlSyntax.SQLITE, 4096);
        for (int n = 0; n < 100; n++) {
            assertEquals(StatementKind.READ, analyzer.analyze(select(n, 900_000)).kind());
        }
        for (int n = 0; n < 3; n++) {
            String write = insert(n, 700);
            assertTrue(write.length() > SqlAnalyzer.MAX_CACHED_TEXT);
            assertEquals(StatementKind.WRITE, analyzer.analyze(write).kind());
        }
        assertEquals(0, analyzer.cachedCount());
        assertEquals(0, analyzer.cachedChars());
    }

    @Test
    void manyMidSizedTextsStayWithinTheByteBound() {
        SqlAnalyzer analyzer = new SqlAnalyzer(SqlSyntax.SQLITE, 1_000_000);
        int length = select(0, 8_000).length();
        int texts = (int) (3 * SqlAnalyzer.MAX_CACHED_CHARS / length);
        for (int n = 0; n < texts; n++) {
            analyzer.analyze(select(n, 8_000));
            assertTrue(analyzer.cachedChars() <= SqlAnalyzer.MAX_CACHED_CHARS + 2L * length,
                    analyzer.cachedChars() + " characters cached after " + n + " texts");
        }
        assertTrue(analyzer.cachedCount() < texts / 2, "older texts were dropped: " + analyzer.cachedCount());
        String small = "UPDATE item SET name = ? WHERE id = ?";
        assertSame(analyzer.analyze(small), analyzer.analyze(small), "small texts are still parsed once");
    }
}
