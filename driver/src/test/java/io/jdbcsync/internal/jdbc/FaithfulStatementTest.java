package io.jdbcsync.internal.jdbc;

import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Statements read as the underlying driver's would: parameters, parameter metadata, update counts. */
class FaithfulStatementTest {

    @ParameterizedTest
    @EnumSource(Kind.class)
    void unparseableWriteToAnUnsyncedTableBindsItsParameters(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            // "sample" is a keyword to the SQL parser: the text cannot be parsed, yet must run.
            exec(c, "CREATE TABLE sample (x VARCHAR(20))");
            try (PreparedStatement ps = c.prepareStatement("insert into sample values(?)")) {
                ps.setString(1, "a");
                assertEquals(1, ps.executeUpdate());
                ps.setString(1, "b");
                ps.addBatch();
                ps.setString(1, "c");
                ps.addBatch();
                assertEquals(2, ps.executeBatch().length);
            }
            assertEquals(List.of("a", "b", "c"), db.rawRows("SELECT x FROM sample ORDER BY x"));
            assertTrue(db.logRows().isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void unparseableWriteToASyncedTableIsRefusedAtPrepare(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE sample (id INTEGER PRIMARY KEY, x VARCHAR(20))");
            SQLException e = assertThrows(SQLException.class, () -> c.prepareStatement("insert into sample values(?, ?)"));
            assertTrue(e.getMessage().contains("cannot parse"), e.getMessage());
            assertTrue(db.rawRows("SELECT x FROM sample").isEmpty());
        }
    }

    @Test
    void parameterMetaDataOfAWriteReadsAsTheUnderlyingDriver() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE)) {
            db.execRaw("CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT, y REAL)");
            String sql = "INSERT INTO t (id, x, y) VALUES (?, ?, ?)";
            List<String> raw;
            try (Connection c = db.openRaw(); PreparedStatement ps = c.prepareStatement(sql)) {
                raw = describe(ps);
            }
            try (Connection c = db.openSync(); PreparedStatement ps = c.prepareStatement(sql)) {
                assertEquals(raw, describe(ps));
            }
        }
    }

    private static List<String> describe(PreparedStatement ps) throws SQLException {
        ps.setInt(1, 7);
        ps.setString(2, "x");
        ps.setDouble(3, 1.5);
        ParameterMetaData md = ps.getParameterMetaData();
        List<String> out = new ArrayList<>();
        out.add("count " + md.getParameterCount());
        for (int i = 1; i <= md.getParameterCount(); i++) {
            out.add(md.getParameterType(i) + " " + md.getParameterTypeName(i) + " " + md.getParameterClassName(i));
        }
        return out;
    }

    @Test
    void questionMarkInAPlainStatementIsNullOnSqlite() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT)");
            try (Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("INSERT INTO t (id, x) VALUES (1, ?)"));
            }
            assertEquals(List.of("1|null"), db.rawRows("SELECT id, x FROM t"));
            assertEquals(1, db.logRows().size());
        }
    }

    @Test
    void questionMarkInAPlainStatementIsRefusedByMariaDb() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.MARIADB); Connection c = db.openSync()) {
            exec(c, "CREATE TABLE t (id BIGINT PRIMARY KEY, x TEXT)");
            SQLException rawError;
            try (Connection r = db.openRaw(); Statement s = r.createStatement()) {
                rawError = assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO t (id, x) VALUES (1, ?)"));
            }
            try (Statement s = c.createStatement()) {
                SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO t (id, x) VALUES (1, ?)"));
                assertEquals(rawError.getErrorCode(), e.getErrorCode());
            }
            assertTrue(db.rawRows("SELECT id FROM t").isEmpty());
        }
    }

    /** The same statements through the raw driver and through ours report the same update counts. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void updateCountsReadAsTheUnderlyingDriver(Kind kind) throws Exception {
        List<Long> raw;
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openRaw()) {
            raw = counts(c);
        }
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            assertEquals(raw, counts(c));
        }
    }

    private static List<Long> counts(Connection c) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("CREATE TABLE b (x INT)")) {
            out.add((long) ps.executeUpdate());
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, x INT)");
            out.add((long) s.getUpdateCount());
            out.add((long) s.executeUpdate("INSERT INTO a (id, x) VALUES (1, 1), (2, 2)"));
            out.add((long) s.executeUpdate("CREATE TABLE d (x INT)"));
            s.execute("CREATE TABLE e (x INT)");
            out.add((long) s.getUpdateCount());
            out.add((long) s.executeUpdate("INSERT INTO b (x) VALUES (1), (2), (3)"));
            out.add((long) s.executeUpdate("DROP TABLE d"));
            out.add((long) s.executeUpdate("UPDATE a SET x = 5 WHERE id = 1"));
        }
        try (PreparedStatement ps = c.prepareStatement("CREATE TABLE f (x INT)")) {
            out.add((long) ps.executeUpdate());
        }
        try (PreparedStatement ps = c.prepareStatement("DROP TABLE f")) {
            ps.execute();
            out.add((long) ps.getUpdateCount());
        }
        return out;
    }
}
