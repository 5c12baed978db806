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
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MIN(batch) FROM _sync_log WHERE batch IS NOT NULL")) {
            rs.next();
            long batch = rs.getLong(1);
            return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(batch);
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
}
