package io.jdbcsync.internal.sql;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Classification of whole texts, by each database's lexical rules. */
class SqlAnalyzerTest {
    private final SqlAnalyzer sqlite = new SqlAnalyzer(SqlSyntax.SQLITE, 100);
    private final SqlAnalyzer mariadb = new SqlAnalyzer(SqlSyntax.MARIADB, 100);

    private static void assertKind(StatementKind kind, SqlAnalyzer analyzer, String sql) {
        assertEquals(kind, analyzer.analyze(sql).kind(), sql);
    }

    @Test
    void everyStatementOfATextCounts() {
        for (SqlAnalyzer a : new SqlAnalyzer[] {sqlite, mariadb}) {
            assertKind(StatementKind.WRITE, a, "SELECT 1; DELETE FROM t");
            assertKind(StatementKind.WRITE, a, "SELECT 1 ; ; insert into t values (1)");
            assertKind(StatementKind.READ, a, "SELECT 1; SELECT 2;");
            assertKind(StatementKind.READ, a, "SELECT 1;;  ");
            assertKind(StatementKind.DDL, a, "SELECT 1; CREATE TABLE t (a INT)");
            assertKind(StatementKind.OTHER, a, "SELECT 1; SET x = 1");
            assertKind(StatementKind.READ, a, "SELECT '; DELETE FROM t'");
            assertKind(StatementKind.READ, a, "SELECT 1 /* ; DELETE FROM t */");
            assertKind(StatementKind.READ, a, "SELECT 1 -- ; DELETE FROM t");
            assertKind(StatementKind.READ, a, "SELECT `a;b` FROM t");
            Analysis several = a.analyze("UPDATE t SET a = 1; UPDATE u SET b = 2");
            assertNotNull(several.problem());
            assertEquals(java.util.Set.of("update", "t", "set", "a", "u", "b"), several.names());
            assertNull(a.analyze("UPDATE t SET a = 1;").problem());
        }
        assertKind(StatementKind.READ, sqlite, "SELECT [a; DELETE FROM t]");
        assertKind(StatementKind.WRITE, mariadb, "SELECT [a; DELETE FROM t]");
    }

    @Test
    void mariaDbCommentRules() {
        assertKind(StatementKind.WRITE, mariadb, "/*! DELETE FROM t */");
        assertKind(StatementKind.WRITE, mariadb, "/*!50000 UPDATE t SET a = 1 */");
        assertKind(StatementKind.WRITE, mariadb, "/*M!100100 DELETE FROM t */");
        assertNotNull(mariadb.analyze("DELETE /*!50000 QUICK */ FROM t").problem());
        assertKind(StatementKind.WRITE, mariadb, "SELECT 1--1; DELETE FROM t");
        assertKind(StatementKind.READ, mariadb, "SELECT 1 # ; DELETE FROM t");
        assertKind(StatementKind.READ, mariadb, "SELECT 1 --\t; DELETE FROM t");
        assertKind(StatementKind.WRITE, mariadb, "SELECT 'a\\'; DELETE FROM t; SELECT ''");
        // Under NO_BACKSLASH_ESCAPES this is two statements: judged as such.
        assertKind(StatementKind.WRITE, mariadb, "SELECT 'a\\'; DELETE FROM t; SELECT '\\'");
        assertKind(StatementKind.READ, mariadb, "SELECT 'a\\'b'");
        // SQLite: none of these are special.
        assertKind(StatementKind.READ, sqlite, "/*! DELETE FROM t */ SELECT 1");
        assertKind(StatementKind.WRITE, sqlite, "SELECT 1 # ; DELETE FROM t");
        assertKind(StatementKind.READ, sqlite, "SELECT 1--1; DELETE FROM t");
        assertKind(StatementKind.WRITE, sqlite, "SELECT 'a\\'; DELETE FROM t; SELECT '\\'");
    }

    @Test
    void compoundBodies() {
        assertKind(StatementKind.DDL, sqlite,
                "CREATE TRIGGER x AFTER INSERT ON t BEGIN DELETE FROM u; UPDATE v SET a = CASE WHEN 1 THEN 2 END; END;");
        assertKind(StatementKind.WRITE, sqlite, "CREATE TRIGGER x AFTER INSERT ON t BEGIN DELETE FROM u; END; DELETE FROM t");
        assertKind(StatementKind.DDL, mariadb, "CREATE DEFINER=`root`@`localhost` FUNCTION f() RETURNS INT BEGIN"
                + " DECLARE x INT; SET x = CASE WHEN 1 THEN 2 END; RETURN x; END");
        assertKind(StatementKind.DDL, mariadb, "CREATE PROCEDURE p() BEGIN IF 1 THEN DELETE FROM u; END IF;"
                + " CASE WHEN 1 THEN UPDATE u SET a = 1; END CASE; WHILE 0 DO DELETE FROM u; END WHILE; END");
        assertKind(StatementKind.WRITE, mariadb, "CREATE PROCEDURE p() BEGIN IF 1 THEN DELETE FROM u; END IF; END;"
                + " DELETE FROM t");
        assertKind(StatementKind.WRITE, mariadb, "BEGIN NOT ATOMIC DELETE FROM t; END");
        // BEGIN outside the body of a routine or trigger opens nothing.
        for (SqlAnalyzer a : new SqlAnalyzer[] {sqlite, mariadb}) {
            assertKind(StatementKind.WRITE, a, "CREATE TABLE x (begin INT); DELETE FROM t");
            assertKind(StatementKind.WRITE, a, "CREATE VIEW v AS SELECT 1 AS begin; DELETE FROM t");
            assertKind(StatementKind.WRITE, a, "CREATE TABLE event AS SELECT 1 AS begin; DELETE FROM t");
            assertKind(StatementKind.DDL, a, "CREATE TEMP TRIGGER x AFTER INSERT ON t BEGIN DELETE FROM u; END");
            assertKind(StatementKind.WRITE, a, "CREATE TABLE x (a INT CHECK (a > 0)) ; DELETE FROM t; SELECT CASE WHEN 1 THEN 2 END");
        }
        assertKind(StatementKind.TRANSACTION, mariadb, "BEGIN");
        assertKind(StatementKind.TRANSACTION, sqlite, "BEGIN IMMEDIATE");
    }

    @Test
    void routineBodiesAreOneStatement() {
        String procedure = "CREATE PROCEDURE p() BEGIN IF 1 THEN DELETE FROM u; END IF;"
                + " CASE WHEN 1 THEN UPDATE u SET a = 1; END CASE; WHILE 0 DO DELETE FROM u; END WHILE;"
                + " REPEAT DELETE FROM u; UNTIL 1 END REPEAT; SET @x = CASE WHEN 1 THEN 2 END; END";
        assertEquals(1, SqlLexer.statements(procedure, SqlSyntax.MARIADB).size());
        assertEquals(2, SqlLexer.statements(procedure + "; DELETE FROM t", SqlSyntax.MARIADB).size());
        String trigger = "CREATE TRIGGER x AFTER INSERT ON t BEGIN DELETE FROM u; UPDATE v SET a = CASE WHEN 1 THEN 2 END; END";
        assertEquals(1, SqlLexer.statements(trigger, SqlSyntax.SQLITE).size());
        assertEquals(2, SqlLexer.statements(trigger + ";;SELECT 1;", SqlSyntax.SQLITE).size());
    }

    @Test
    void classificationIsCachedPerText() {
        String sql = "SELECT 1; SELECT 2";
        assertSame(sqlite.analyze(sql), sqlite.analyze(sql));
    }
}
