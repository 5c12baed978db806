package io.jdbcsync.internal.jdbc;

import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Several rows per statement: every row once, in any count (whole statements and the remainder), on both databases. */
class MultiRowInsertTest {

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyRowArrivesOnceWhateverTheCount(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = DriverManager.getConnection(db.rawUrl())) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(20), k INT NOT NULL)");
            }
            c.setAutoCommit(false);
            int id = 0;
            try (MultiRowInsert<Object[]> insert = new MultiRowInsert<>(c, "INSERT INTO t (id, v, k) VALUES ", "(?, ?, 7)", 2,
                    (ps, offset, row) -> {
                        ps.setLong(offset + 1, (Long) row[0]);
                        ps.setString(offset + 2, (String) row[1]);
                    })) {
                for (int n : new int[] {0, 1, MultiRowInsert.MOST_ROWS - 1, MultiRowInsert.MOST_ROWS, 2 * MultiRowInsert.MOST_ROWS + 3}) {
                    List<Object[]> rows = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        id++;
                        rows.add(new Object[] {(long) id, "v" + id});
                    }
                    insert.insert(rows);
                }
            }
            c.commit();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(id), MIN(v), MAX(k) FROM t")) {
                rs.next();
                assertEquals(id, rs.getLong(1));
                assertEquals((long) id * (id + 1) / 2, rs.getLong(2));
                assertEquals("v1", rs.getString(3));
                assertEquals(7, rs.getInt(4));
            }
        }
    }
}
