package io.jdbcsync.internal.capture;

import io.jdbcsync.internal.jdbc.ScalarQueries;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.log.PackedChanges;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The SQL of the local change log {@code _sync_log} (hlc, tbl, op, pk, data, batch): a row per
 * captured change, or per packed run of changes ({@link PackedChanges}); {@code batch} is set once
 * the row is assigned to a pushed batch. Its DDL is the dialect's ({@code Dialect.metadataDdl()}).
 */
public final class ChangeLogTable {
    private static final String INSERT = "INSERT INTO _sync_log (hlc, tbl, op, pk, data) VALUES (?, ?, ?, ?, ?)";
    /** The columns of a row read back as changes ({@link #expand}). */
    private static final String ROWS = "SELECT hlc, tbl, op, pk, data FROM _sync_log";
    /**
     * MariaDB's one-round-trip write: the log row, inserted only when the write just before it in
     * the same text changed exactly one row; several rows make the pattern {@code (} fail to
     * compile, so the text stops before its {@code COMMIT}.
     */
    static final String ONE_ROW_INSERT = "INSERT INTO _sync_log (hlc, tbl, op, pk, data) SELECT ?, ?, ?, ?, ? FROM DUAL"
            + " WHERE ROW_COUNT() = 1 OR '' REGEXP IF(ROW_COUNT() > 1, '(', 'x')";

    private ChangeLogTable() {
    }

    /** The insert of one log row, bound with {@link #bind}. */
    public static PreparedStatement prepareInsert(Connection c) throws SQLException {
        return c.prepareStatement(INSERT);
    }

    public static void bind(PreparedStatement insert, long hlc, String table, String op, byte[] key, byte[] data)
            throws SQLException {
        insert.setLong(1, hlc);
        insert.setString(2, table);
        insert.setString(3, op);
        insert.setBytes(4, key);
        insert.setBytes(5, data);
    }

    /** The greatest clock value in the log (0 when it is empty). */
    public static long newestStamp(Connection c) throws SQLException {
        return ScalarQueries.number(c, "SELECT MAX(hlc) FROM _sync_log");
    }

    /** The least clock value in the log (0 when it is empty). */
    public static long oldestStamp(Connection c) throws SQLException {
        return ScalarQueries.number(c, "SELECT MIN(hlc) FROM _sync_log");
    }

    /** The least batch number assigned to a row still in the log; empty when no row is assigned. */
    public static OptionalLong firstAssignedBatch(Connection c) throws SQLException {
        return firstAssignedBatch(c, Long.MIN_VALUE);
    }

    /** The least batch number above {@code after} assigned to a row still in the log; empty when there is none. */
    public static OptionalLong firstAssignedBatch(Connection c, long after) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(batch) FROM _sync_log WHERE batch > ?")) {
            ps.setLong(1, after);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long batch = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(batch);
            }
        }
    }

        /** The logged inserts of a table (plain and in packed rows) at clock values from {@code fromHlc} on. */
    public static List<LogEntry> insertsFrom(Connection c, String table, long fromHlc) throws SQLException {
        List<LogEntry> logged = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT hlc, tbl, op, pk, data FROM _sync_log"
                + " WHERE tbl = ? AND op IN ('I', '" + PackedChanges.PACKED + "') AND hlc >= ?")) {
            ps.setString(1, table);
            ps.setLong(2, fromHlc);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PackedChanges.expand(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getBytes(5), logged);
                }
            }
        }
        logged.removeIf(e -> e.op() != Op.INSERT || e.hlc() < fromHlc);
        return logged;
    }

    /** Log rows at or below this clock value. */
    public static long countUpTo(Connection c, long upTo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM _sync_log WHERE hlc <= ?")) {
            ps.setLong(1, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The rows not assigned to a batch yet, up to a clock value bound as parameter 1, in clock
     * order: clock value, size in bytes, operation, key (a packed row's header).
     */
    public static PreparedStatement prepareUnassignedSizes(Connection c) throws SQLException {
        return c.prepareStatement("SELECT hlc, LENGTH(pk) + LENGTH(data) + LENGTH(tbl), op, pk FROM _sync_log"
                + " WHERE batch IS NULL AND hlc <= ? ORDER BY hlc");
    }

    /** Assigns the rows not assigned yet, up to {@code upTo}, to {@code batch}. */
    public static void assignBatch(Connection c, long batch, long upTo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE _sync_log SET batch = ? WHERE batch IS NULL AND hlc <= ?")) {
            ps.setLong(1, batch);
            ps.setLong(2, upTo);
            ps.executeUpdate();
        }
    }

    /**
     * The changes of one batch, packed rows expanded, in clock order. The clock bound lets the
     * database walk the primary key instead of the whole log.
     */
    public static List<LogEntry> batch(Connection c, long batch, long upTo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ROWS + " WHERE hlc <= ? AND batch = ? ORDER BY hlc")) {
            ps.setLong(1, upTo);
            ps.setLong(2, batch);
            return expand(ps, null);
        }
    }

    /** Removes the rows of a batch that was published. */
    public static void deleteBatch(Connection c, long batch, long upTo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM _sync_log WHERE hlc <= ? AND batch = ?")) {
            ps.setLong(1, upTo);
            ps.setLong(2, batch);
            ps.executeUpdate();
        }
    }

    /** Every change logged after this clock value, packed rows expanded, in clock order. */
    public static List<LogEntry> changesAfter(Connection c, long after) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ROWS + " WHERE hlc > ? ORDER BY hlc")) {
            ps.setLong(1, after);
            return expand(ps, null);
        }
    }

    /** The clock values of every log row; {@code suffix} is the dialect's locking-read suffix or "". */
    public static List<Long> stamps(Connection c, String suffix) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT hlc FROM _sync_log ORDER BY hlc" + suffix);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /**
     * The changes of the log rows from clock value {@code from} whose own clock value is in
     * {@code only} (a packed row is known by its own), expanded, in clock order.
     */
    public static List<LogEntry> changesOf(Connection c, long from, java.util.Set<Long> only, String suffix)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ROWS + " WHERE hlc >= ? ORDER BY hlc" + suffix)) {
            ps.setLong(1, from);
            return expand(ps, only);
        }
    }

    /** Every change the log holds, packed rows expanded, in clock order. */
    public static List<LogEntry> readAll(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ROWS + " ORDER BY hlc")) {
            return expand(ps, null);
        }
    }

    /**
     * How many changes the log holds, packed rows counted by their changes (a packed row whose
     * header cannot be read counts as one: the status still answers, the push says what is damaged).
     */
    public static long countChanges(Connection c) throws SQLException {
        long total = 0;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT hlc, op, pk FROM _sync_log WHERE op = '" + PackedChanges.PACKED + "'")) {
            while (rs.next()) {
                try {
                    total += PackedChanges.count(rs.getLong(1), rs.getString(2), rs.getBytes(3));
                } catch (SQLException damaged) {
                    total++;
                }
            }
        }
        return total + ScalarQueries.number(c, "SELECT COUNT(*) FROM _sync_log WHERE op <> '" + PackedChanges.PACKED + "'");
    }

    /** Runs a read of log rows and expands them (those whose clock value is in {@code only}, if given). */
    private static List<LogEntry> expand(PreparedStatement ps, java.util.Set<Long> only) throws SQLException {
        List<LogEntry> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long hlc = rs.getLong(1);
                if (only == null || only.contains(hlc)) {
                    PackedChanges.expand(hlc, rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getBytes(5), out);
                }
            }
        }
        // Packed rows of concurrent transactions may interleave in clock order.
        out.sort(java.util.Comparator.comparingLong(LogEntry::hlc));
        return out;
    }
}
