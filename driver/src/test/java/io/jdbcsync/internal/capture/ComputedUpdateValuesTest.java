package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MariaDB range UPDATEs whose SET values the database computes: the locking read computes them
 * where the stored value is sure to equal the computed one, and otherwise the rows are read back.
 * Either way the log must hold exactly what is stored, for any expression, column type and
 * sql_mode (strict or not: overflow, rounding and truncation either fail the statement or change
 * the value as it is stored).
 */
class ComputedUpdateValuesTest {

    private static final String TABLE = "CREATE TABLE p (id BIGINT PRIMARY KEY, i INT NULL, iu INT UNSIGNED NOT NULL,"
            + " b BIGINT NULL, d DECIMAL(5,2) NULL, f FLOAT NULL, g DOUBLE NULL, v VARCHAR(5) NULL, n INT NOT NULL)";
    private static final String COLUMNS = "i, iu, b, d, f, g, v, n";
    private static final String STRICT = "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO";
    private static final String LAX = "";

    /** One statement, the sql_mode it runs in, and whether the locking read computes its values. */
    private record Case(String set, String mode, Boolean computed) {
    }

    @Test
    void computedOrReadBackTheLogHoldsWhatIsStored() throws Exception {
        List<Case> cases = List.of(
                new Case("i = i + 1", STRICT, true),
                new Case("i = i + 1, d = d - 0.5", STRICT, true),
                new Case("i = i + ?", STRICT, true),
                new Case("b = b DIV 3 - 7", STRICT, true),
                new Case("g = g * 1.5 + 0.25", STRICT, true),
                new Case("i = COALESCE(i, 0) + n", STRICT, true),
                new Case("i = NULL", STRICT, null), // a literal: bound-value path
                new Case("i = i * NULL", LAX, true),
                new Case("i = GREATEST(i, n) - LEAST(n, 3)", STRICT, true),
                new Case("n = IF(n > 2, n - 1, n + 1)", STRICT, true),
                new Case("d = d + ?", STRICT, true),
                // INT near its limits: an overflow fails (strict) or clips (lax), computed never fits.
                new Case("i = i + 2147483000", STRICT, null),
                new Case("i = i + 2147483000", LAX, false),
                new Case("iu = iu - 100", LAX, null),
                new Case("b = b * 4611686018427387904", LAX, null),
                // DECIMAL(5,2) rounds a third digit and clips at 999.99.
                new Case("d = d * 1.005", STRICT, null),
                new Case("d = d / 3", LAX, false),
                new Case("d = d * 1000", LAX, false),
                // FLOAT stores fewer digits than the DOUBLE the expression gives: always read back.
                new Case("f = f + 1", STRICT, false),
                // VARCHAR(5) truncates in lax mode: strings are read back.
                new Case("v = CONCAT(v, 'xyz')", LAX, false),
                new Case("v = CONCAT(v, 'xyz')", STRICT, null),
                // A NULL into NOT NULL stores 0 in lax mode.
                new Case("n = n * NULL", LAX, false),
                // An assignment reading a column an earlier one changed sees the new value.
                new Case("i = i + 1, b = i", STRICT, false),
                new Case("b = i, i = i + 1", STRICT, false),
                new Case("i = FLOOR(RAND() * 100)", STRICT, false),
                new Case("i = @x", STRICT, false),
                new Case("i = (SELECT MAX(n) FROM p)", STRICT, null),
                new Case("i = i + 1.0", STRICT, false),
                new Case("g = i / 7", STRICT, false));
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB); Connection c = db.openSync()) {
            exec(c, TABLE);
            Random random = new Random(11);
            for (Case k : cases) {
                reset(c, null);
                boolean computed = run(db, c, k.set(), k.mode(), 7, random);
                if (k.computed() != null) {
                    assertEquals(k.computed(), computed, k.set() + " in '" + k.mode() + "'");
                }
            }
        }
    }

    /** A trigger may change what the write stores: its table's values are read back. */
    @Test
    void aTableWithATriggerIsReadBack() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB); Connection c = db.openSync()) {
            exec(c, TABLE, "CREATE TRIGGER p_double BEFORE UPDATE ON p FOR EACH ROW SET NEW.n = NEW.n * 2");
            reset(c, null);
            assertEquals(false, run(db, c, "n = n + 1", STRICT, 7, null));
            assertEquals(List.of("2|6"), db.rawRows("SELECT id, n FROM p WHERE id = 2"));
        }
    }

    /** Random expressions over random rows, strict and lax: the log always equals the stored rows. */
    @Test
    void randomExpressionsLogTheStoredValues() throws Exception {
        String[] columns = {"i", "iu", "b", "d", "f", "g", "v", "n"};
        String[] forms = {"%s + %d", "%s - %d", "%s * %d", "%s * 1.01", "%s / 4", "%s + ?", "COALESCE(%s, %d) + 1",
                "ABS(%s) - %d", "%s + %s", "ROUND(%s * 1.5)", "NULL", "%s DIV 3", "-%s", "%s %% 7", "%s * 0.5"};
        int computed = 0;
        int readBack = 0;
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB); Connection c = db.openSync()) {
            exec(c, TABLE);
            Random random = new Random(7);
            for (int round = 0; round < 60; round++) {
                if (round % 10 == 0) {
                    reset(c, random);
                }
                String set = RandomSetClauses.next(random, columns, forms, 2_000_000_000L);
                if (run(db, c, set, random.nextBoolean() ? STRICT : LAX, 7, random)) {
                    computed++;
                } else {
                    readBack++;
                }
            }
        }
        assertTrue(computed >= 10 && readBack >= 10, computed + " computed, " + readBack + " read back");
    }

    /** Eight rows from templates near the types' limits; in template order when {@code random} is null. */
    private static void reset(Connection c, Random random) throws SQLException {
        exec(c, "DELETE FROM p");
        Object[][] rows = {
                {2147483646L, 4294967290L, 9223372036854775800L, "999.98", 3.5f, 1e300, "abcd", 1},
                {-2147483647L, 0L, -9223372036854775807L, "-999.99", -0.1f, -2.5, "", 2},
                {null, 5L, null, null, null, null, null, 3},
                {7L, 7L, 7L, "1.25", 0.1f, 0.1, "x", 4},
                {0L, 100L, 0L, "0.00", 0f, 0.0, "12345", 5}};
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO p (id, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int r = 0; r < 8; r++) {
                Object[] row = rows[(r + (random == null ? 0 : random.nextInt(rows.length))) % rows.length];
                ps.setLong(1, r + 1);
                for (int i = 0; i < row.length; i++) {
                    Object v = row[i] instanceof String s && i == 3 ? new BigDecimal(s) : row[i];
                    ps.setObject(i + 2, v);
                }
                ps.executeUpdate();
            }
        }
    }

    /**
     * Runs {@code UPDATE p SET <set> WHERE id BETWEEN 2 AND <to>} in {@code mode} and checks the new
     * log changes against the stored rows; true when the locking read computed the values.
     */
    private static boolean run(TestDatabase db, Connection c, String set, String mode, int to, Random random)
            throws SQLException {
        exec(c, "SET SESSION sql_mode = '" + mode + "'");
        int before = ChangeLog.read(db).size();
        long selects = status(c, "Com_select");
        String sql = "UPDATE p SET " + set + " WHERE id BETWEEN 2 AND " + to;
        boolean failed = false;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (sql.contains("?")) {
                ps.setInt(1, random.nextInt(50) - 10);
            }
            assertEquals(to - 1, ps.executeUpdate(), sql);
        } catch (SQLException e) {
            failed = true; // strict mode refuses what it would have to change
        }
        long reads = status(c, "Com_select") - selects;
        List<ChangeLog.Change> changes = ChangeLog.read(db);
        changes = changes.subList(before, changes.size());
        String where = sql + " in '" + mode + "'";
        if (failed) {
            assertEquals(List.of(), changes, where);
            return reads == 1;
        }
        Map<Long, Map<String, String>> stored = storedRows(db);
        assertEquals(to - 1, changes.size(), where);
        for (ChangeLog.Change change : changes) {
            Map<String, String> row = stored.get((Long) change.key().get(0));
            for (Map.Entry<String, Object> logged : change.data().entrySet()) {
                assertEquals(row.get(logged.getKey()), ChangeLog.describe(logged.getValue()),
                        where + ": column " + logged.getKey() + " of row " + change.key());
            }
        }
        return reads == 1;
    }

    /** Every row as the log describes its values (a FLOAT widened through its shortest text, as the driver reads it). */
    private static Map<Long, Map<String, String>> storedRows(TestDatabase db) throws SQLException {
        Map<Long, Map<String, String>> out = new HashMap<>();
        try (Connection raw = db.openRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, " + COLUMNS + " FROM p")) {
            while (rs.next()) {
                Map<String, String> row = new HashMap<>();
                for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof Integer n) {
                        v = n.longValue();
                    } else if (v instanceof Float f) {
                        v = Double.parseDouble(f.toString());
                    }
                    row.put(rs.getMetaData().getColumnLabel(i), ChangeLog.describe(v));
                }
                out.put(rs.getLong(1), row);
            }
        }
        return out;
    }

    private static long status(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE '" + name + "'")) {
            rs.next();
            return rs.getLong(2);
        }
    }
}
