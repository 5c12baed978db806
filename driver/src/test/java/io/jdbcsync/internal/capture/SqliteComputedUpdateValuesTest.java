package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;
import org.sqlite.Function;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SQLite range UPDATEs whose SET values the database computes: the read under the write lock
 * computes them where the column's affinity keeps the computed value as it is, and otherwise the
 * rows are read back. Either way the log must hold exactly what is stored, whatever the storage
 * class a value had before (SQLite keeps text in an INTEGER column, reals in a TEXT one).
 */
class SqliteComputedUpdateValuesTest {

    private static final String TABLE = "CREATE TABLE p (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB,"
            + " n NUMERIC, nn INTEGER NOT NULL DEFAULT 0, d DECIMAL(5,2), f BOOLEAN)";
    private static final String[] COLUMNS = {"i", "r", "t", "b", "n", "nn", "d", "f"};

    @Test
    void fixedExpressionsLogTheStoredValues() throws Exception {
        List<String> sets = List.of("i = i + 1", "i = i + 1, r = r * 2", "i = i + ?", "r = r / 3", "i = i / 2",
                "n = n * 1.5", "n = n + 0.5", "i = i * 1.0", "t = i + 1", "t = r + 1", "b = i * 2", "b = r - 1",
                "nn = nn * NULL", "i = COALESCE(i, 0) + nn", "i = IIF(i > 3, i - 1, i + 1)", "i = ABS(i) - ROUND(r)",
                "r = i", "i = i + 9223372036854775807", "d = d + 0.25", "f = NOT f", "i = i % 7", "i = -i",
                "i = SIGN(i) + NULLIF(nn, 3)", "i = CASE WHEN i IS NULL THEN 0 ELSE i * 3 END");
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE); Connection c = db.openSync()) {
            exec(c, TABLE);
            Random random = new Random(11);
            for (String set : sets) {
                reset(c, null);
                run(db, c, set, random);
            }
        }
    }

    /** Random expressions over rows of every storage class: the log always equals the stored rows. */
    @Test
    void randomExpressionsLogTheStoredValues() throws Exception {
        String[] forms = {"%s + %d", "%s - %d", "%s * %d", "%s * 1.01", "%s / 4", "%s + ?", "COALESCE(%s, %d) + 1",
                "ABS(%s) - %d", "%s + %s", "ROUND(%s * 1.5)", "NULL", "-%s", "%s %% 7", "%s * 0.5", "%s < %d",
                "IIF(%s IS NULL, %d, 0)"};
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE); Connection c = db.openSync()) {
            exec(c, TABLE);
            Random random = new Random(7);
            for (int round = 0; round < 80; round++) {
                if (round % 10 == 0) {
                    reset(c, random);
                }
                String set = RandomSetClauses.next(random, COLUMNS, forms, 4_000_000_000_000_000_000L);
                run(db, c, set, random);
            }
        }
    }

    /**
     * The range update of the benches ({@code SET n = n + 1}) runs as a read and the plain
     * statement, not with RETURNING: the WHERE is evaluated in two passes over the rows.
     */
    @Test
    void anIncrementIsComputedInTheReadNotReturned() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE); Connection c = db.openSync()) {
            exec(c, TABLE);
            reset(c, null);
            AtomicInteger calls = new AtomicInteger();
            Function.create(c.unwrap(org.sqlite.SQLiteConnection.class), "counted", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    calls.incrementAndGet();
                    result(value_long(0));
                }
            });
            exec(c, "UPDATE p SET nn = nn + 1 WHERE counted(id) BETWEEN 2 AND 7");
            assertEquals(16, calls.get(), "two passes over the 8 rows");
            assertEquals(6, ChangeLog.read(db).stream().filter(ch -> ch.op().equals("U")).count());
            exec(c, "CREATE TRIGGER p_double AFTER UPDATE ON p BEGIN UPDATE p SET nn = nn * 2 WHERE id = NEW.id AND 0; END");
            calls.set(0);
            exec(c, "UPDATE p SET nn = nn + 1 WHERE counted(id) BETWEEN 2 AND 7");
            assertEquals(8, calls.get(), "a table with a trigger: one pass, with RETURNING");
        }
    }

    /** Eight rows from templates of mixed storage classes; in template order when {@code random} is null. */
    private static void reset(Connection c, Random random) throws SQLException {
        exec(c, "DELETE FROM p");
        Object[][] rows = {
                {9223372036854775800L, 1e300, "abcd", new byte[] {1, 2}, 7L, 1L, "999.98", 1L},
                {-9223372036854775807L, -2.5, 12L, "12", "3.25", 2L, -999.99, 0L},
                {null, null, null, null, null, 3L, null, null},
                {7L, 0.1, 2.5, 7L, 1.5, 4L, 1.25, 1L},
                {"12", 3L, "-0", 0.5, "abc", 5L, "x", "yes"},
                {2.5, "4.0", " 8 ", "t", 0L, 0L, 0L, 0L}};
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO p (id, i, r, t, b, n, nn, d, f) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int r = 0; r < 8; r++) {
                Object[] row = rows[(r + (random == null ? 0 : random.nextInt(rows.length))) % rows.length];
                ps.setLong(1, r + 1);
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 2, row[i]);
                }
                ps.executeUpdate();
            }
        }
    }

    /** Runs {@code UPDATE p SET <set> WHERE id BETWEEN 2 AND 7} and checks its log changes against the stored rows. */
    private static void run(TestDatabase db, Connection c, String set, Random random) throws SQLException {
        int before = ChangeLog.read(db).size();
        String sql = "UPDATE p SET " + set + " WHERE id BETWEEN 2 AND 7";
        boolean failed = false;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (sql.contains("?")) {
                ps.setInt(1, random.nextInt(50) - 10);
            }
            assertEquals(6, ps.executeUpdate(), sql);
        } catch (SQLException e) {
            // NOT NULL refuses a NULL; integer overflow in ABS: the statement fails as it would raw.
            assertTrue(e.getMessage().contains("NOT NULL") || e.getMessage().contains("integer overflow"), sql + ": " + e);
            failed = true;
        }
        List<ChangeLog.Change> changes = ChangeLog.read(db);
        changes = changes.subList(before, changes.size());
        if (failed) {
            assertEquals(List.of(), changes, sql);
            return;
        }
        Map<Long, Map<String, String>> stored = storedRows(db);
        assertEquals(6, changes.size(), sql);
        for (ChangeLog.Change change : changes) {
            Map<String, String> row = stored.get((Long) change.key().get(0));
            for (Map.Entry<String, Object> logged : change.data().entrySet()) {
                assertEquals(row.get(logged.getKey()), ChangeLog.describe(logged.getValue()),
                        sql + ": column " + logged.getKey() + " of row " + change.key());
            }
        }
    }

    /** Every row as the log describes its values: by storage class, as SQLite reports it. */
    private static Map<Long, Map<String, String>> storedRows(TestDatabase db) throws SQLException {
        Map<Long, Map<String, String>> out = new HashMap<>();
        try (Connection raw = db.openRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, " + String.join(", ", COLUMNS) + " FROM p")) {
            while (rs.next()) {
                Map<String, String> row = new HashMap<>();
                for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof Integer n) {
                        v = n.longValue();
                    }
                    row.put(rs.getMetaData().getColumnLabel(i), ChangeLog.describe(v));
                }
                out.put(rs.getLong(1), row);
            }
        }
        return out;
    }
}
