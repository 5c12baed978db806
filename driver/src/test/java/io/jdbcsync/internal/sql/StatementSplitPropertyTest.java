package io.jdbcsync.internal.sql;

import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The statement splitter against the real databases: texts of several inserts with semicolons and
 * quotes hidden in comments, strings and quoted names. The database runs every statement of the
 * text; the splitter must find exactly as many, and the analyzer must see the text as a write.
 */
class StatementSplitPropertyTest {
    private static TestDatabase sqlite;
    private static TestDatabase mariadb;
    private static Connection sqliteRaw;
    private static Connection mariadbRaw;

    private static Connection raw(Kind kind) throws Exception {
        if (kind == Kind.SQLITE) {
            if (sqliteRaw == null) {
                sqlite = TestDatabase.create(kind);
                sqliteRaw = sqlite.openRaw();
                create(sqliteRaw);
            }
            return sqliteRaw;
        }
        if (mariadbRaw == null) {
            mariadb = TestDatabase.create(kind);
            mariadbRaw = DriverManager.getConnection(mariadb.rawUrl() + "&allowMultiQueries=true");
            create(mariadbRaw);
        }
        return mariadbRaw;
    }

    private static void create(Connection c) throws Exception {
        TestDatabase.exec(c, "CREATE TABLE n (v INTEGER)", "CREATE TABLE m (s VARCHAR(200))");
    }

    @AfterContainer
    static void close() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {sqliteRaw, mariadbRaw, sqlite, mariadb}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 150)
    void sqliteSplitsAsTheServer(@ForAll("seeds") long seed) throws Exception {
        check(Kind.SQLITE, SqlSyntax.SQLITE, seed);
    }

    @Property(tries = 100)
    void mariaDbSplitsAsTheServer(@ForAll("seeds") long seed) throws Exception {
        check(Kind.MARIADB, SqlSyntax.MARIADB, seed);
    }

    private static void check(Kind kind, SqlSyntax syntax, long seed) throws Exception {
        Random random = new Random(seed);
        int statements = 1 + random.nextInt(5);
        StringBuilder text = new StringBuilder();
        int numbers = 0;
        int strings = 0;
        for (int i = 0; i < statements; i++) {
            text.append(noise(random, kind));
            if (random.nextBoolean()) {
                text.append("INSERT").append(noise(random, kind)).append(" INTO ").append(name(random, kind, "n"))
                        .append(noise(random, kind)).append(" (v) VALUES (").append(i).append(')');
                numbers++;
            } else {
                text.append("INSERT INTO ").append(name(random, kind, "m")).append(" (s)").append(noise(random, kind))
                        .append(" VALUES (").append(literal(random, kind)).append(")");
                strings++;
            }
            text.append(noise(random, kind));
            if (i < statements - 1 || random.nextBoolean()) {
                text.append(';');
            }
        }
        String sql = text.toString();
        Connection c = raw(kind);
        TestDatabase.exec(c, "DELETE FROM n", "DELETE FROM m");
        try (Statement s = c.createStatement()) {
            if (kind == Kind.SQLITE) {
                s.executeUpdate(sql); // sqlite-jdbc runs every statement here
            } else {
                s.execute(sql);
                while (s.getMoreResults() || s.getUpdateCount() != -1) {
                    // drain: MariaDB runs the rest as the results are read
                }
            }
        }
        assertEquals(numbers, count(c, "n"), sql);
        assertEquals(strings, count(c, "m"), sql);
        assertEquals(statements, SqlLexer.statements(sql, syntax).size(), sql);
        Analysis a = new SqlAnalyzer(syntax, 10).analyze(sql);
        assertEquals(StatementKind.WRITE, a.kind(), sql);
        if (statements > 1) {
            assertNotNull(a.problem(), sql);
        }
    }

    private static long count(Connection c, String table) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Whitespace or a comment that hides a semicolon or a quote. */
    private static String noise(Random random, Kind kind) {
        List<String> options = new ArrayList<>(List.of(" ", "\n", " /* ; ' \" */ ", " -- ; ' \"\n", "/*;*/", "\t"));
        if (kind == Kind.MARIADB) {
            options.addAll(List.of(" # ; ' \"\n", " -- # ;\n", " /* -- ; */ "));
        } else {
            options.addAll(List.of(" --; ' \"\n", " /* # */ "));
        }
        return random.nextInt(3) == 0 ? options.get(random.nextInt(options.size())) : " ";
    }

    private static String name(Random random, Kind kind, String name) {
        List<String> options = new ArrayList<>(List.of(name, "`" + name + "`"));
        if (kind == Kind.SQLITE) {
            options.addAll(List.of("\"" + name + "\"", "[" + name + "]"));
        }
        return options.get(random.nextInt(options.size()));
    }

    /** A string literal holding semicolons, quotes and comment starts, quoted as the database reads it. */
    private static String literal(Random random, Kind kind) {
        String[] parts = {";", "'", "\"", "--", "#", "/*", "*/", "`", "a", " ", "[", "]"};
        StringBuilder sb = new StringBuilder("'");
        int n = random.nextInt(8);
        for (int i = 0; i < n; i++) {
            String p = parts[random.nextInt(parts.length)];
            if (p.equals("'")) {
                sb.append(kind == Kind.MARIADB && random.nextBoolean() ? "\\'" : "''");
            } else {
                sb.append(p);
            }
        }
        if (kind == Kind.MARIADB && random.nextInt(4) == 0) {
            sb.append("\\\\"); // an escaped backslash right before the closing quote
        }
        return sb.append('\'').toString();
    }
}
