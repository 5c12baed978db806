package io.jdbcsync.internal.jdbc;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random literal writes (strings with quotes, backslashes and any Unicode; longs to the edges;
 * decimals of any length) through a plain statement, once as their shape with the values bound
 * and once as sent: the rows, the change log and what each statement answered are identical.
 * Expected exceptions: none from the driver; the database may refuse a value (MariaDB's strict
 * mode on a decimal out of range), and must then refuse it on both paths alike (same SQLState).
 */
class LiteralShapePropertyTest {
    private static final Map<Kind, TestDatabase[]> DATABASES = new EnumMap<>(Kind.class);
    private static final Map<Kind, Connection[]> CONNECTIONS = new EnumMap<>(Kind.class);
    private static int nextId;

    private static Connection[] connections(Kind kind) throws SQLException {
        Connection[] c = CONNECTIONS.get(kind);
        if (c == null) {
            TestDatabase[] dbs = {TestDatabase.create(kind), TestDatabase.create(kind)};
            DATABASES.put(kind, dbs);
            c = new Connection[] {dbs[0].openSync(), dbs[1].openSync()};
            CONNECTIONS.put(kind, c);
            for (Connection one : c) {
                TestDatabase.exec(one, "CREATE TABLE p (id BIGINT PRIMARY KEY, s " + (kind == Kind.SQLITE ? "TEXT" : "VARCHAR(200)")
                        + ", n BIGINT, amount DECIMAL(20,6), r DOUBLE)");
            }
        }
        return c;
    }

    @AfterContainer
    static void close() throws Exception {
        for (Connection[] cs : CONNECTIONS.values()) {
            for (Connection c : cs) {
                c.close();
            }
        }
        for (TestDatabase[] dbs : DATABASES.values()) {
            for (TestDatabase db : dbs) {
                db.close();
            }
        }
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 100)
    void sqliteShapesWriteAsTheTexts(@ForAll("seeds") long seed) throws Exception {
        check(Kind.SQLITE, seed);
    }

    @Property(tries = 100)
    void mariaDbShapesWriteAsTheTexts(@ForAll("seeds") long seed) throws Exception {
        check(Kind.MARIADB, seed);
    }

    private static void check(Kind kind, long seed) throws Exception {
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>();
        int first = nextId;
        for (int i = 0; i < 4; i++) {
            texts.add("INSERT INTO p (id, s, n, amount, r) VALUES (" + nextId++ + ", " + string(random, kind) + ", "
                    + longLiteral(random) + ", " + decimal(random, 8, 6) + ", " + decimal(random, 12, 8) + ")");
        }
        int id = first + random.nextInt(4);
        texts.add("UPDATE p SET s = " + string(random, kind) + ", n = " + longLiteral(random) + ", r = "
                + decimal(random, 10, 10) + " WHERE id = " + id);
        texts.add("UPDATE p SET amount = " + decimal(random, 8, 6) + " WHERE s = " + string(random, kind) + " OR id IN ("
                + (first + random.nextInt(4)) + ", " + (first + random.nextInt(4)) + ")");
        if (random.nextBoolean()) {
            int from = first + random.nextInt(4);
            texts.add("DELETE FROM p WHERE id BETWEEN " + from + " AND " + (from + random.nextInt(2)));
        }
        Connection[] c = connections(kind);
        List<String> asShape = run(c[0], texts, true);
        List<String> asSent = run(c[1], texts, false);
        assertEquals(asSent, asShape);
        TestDatabase[] dbs = DATABASES.get(kind);
        String rows = "SELECT id, s, n, amount, r, typeof_r FROM p ORDER BY id";
        String query = kind == Kind.SQLITE ? rows.replace("typeof_r", "typeof(r) || typeof(amount) || typeof(s)")
                : rows.replace(", typeof_r", "");
        assertEquals(dbs[1].rawRows(query), dbs[0].rawRows(query), String.join("\n", texts));
        assertEquals(ChangeLog.lines(dbs[1]), ChangeLog.lines(dbs[0]), String.join("\n", texts));
    }

    private static List<String> run(Connection c, List<String> texts, boolean shapes) {
        List<String> answers = new ArrayList<>();
        boolean before = SyncStatement.hoistLiterals;
        SyncStatement.hoistLiterals = shapes;
        try (Statement s = c.createStatement()) {
            for (String sql : texts) {
                try {
                    answers.add(s.executeUpdate(sql) + " rows");
                } catch (SQLException e) {
                    answers.add("error " + e.getSQLState());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            SyncStatement.hoistLiterals = before;
        }
        return answers;
    }

    /** A string literal: quotes, backslashes, any Unicode; escaped as the database reads it. */
    private static String string(Random random, Kind kind) {
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(6)) {
                case 0 -> sb.append('\'');
                case 1 -> sb.append(random.nextInt(4) == 0 ? '\\' : '"');
                case 2 -> sb.appendCodePoint(0x80 + random.nextInt(0x2000));
                case 3 -> sb.appendCodePoint(0x1F600 + random.nextInt(40));
                default -> sb.append((char) ('a' + random.nextInt(26)));
            }
        }
        String body = sb.toString().replace("'", "''");
        if (kind == Kind.MARIADB) {
            body = body.replace("\\", "\\\\");
        }
        return "'" + body + "'";
    }

    private static String longLiteral(Random random) {
        long v = switch (random.nextInt(4)) {
            case 0 -> random.nextLong();
            case 1 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE + 1;
            default -> random.nextInt(2000) - 1000;
        };
        return v < 0 && random.nextBoolean() ? "- " + (-v) : Long.toString(v);
    }

    /** A decimal literal with up to {@code whole} digits before the point and {@code fraction} after it. */
    private static String decimal(Random random, int whole, int fraction) {
        StringBuilder sb = new StringBuilder(random.nextInt(3) == 0 ? "-" : "");
        int w = 1 + random.nextInt(whole);
        for (int i = 0; i < w; i++) {
            sb.append((char) ('0' + random.nextInt(10)));
        }
        int f = random.nextInt(fraction + 1);
        if (f > 0) {
            sb.append('.');
            for (int i = 0; i < f; i++) {
                sb.append((char) ('0' + random.nextInt(10)));
            }
        }
        return sb.toString();
    }
}
