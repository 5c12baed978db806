package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.jdbc.ScalarQueries;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;

/**
  * Reads and writes {@code _sync_row}, and holds every statement on it (the static methods serve
 * initial sync and device opening). Reads come in chunks for a whole batch of keys; writes are
 * collected and flushed as one JDBC batch, so version upkeep costs few round trips.
 */
public final class VersionStore implements AutoCloseable {
    private static final int CHUNK = 400;

    private final Connection c;
    private final PreparedStatement upsert;
    private PreparedStatement select;
    private final Map<RowKey, RowVersion> cache = new HashMap<>();
    private final Map<RowKey, RowVersion> dirty = new LinkedHashMap<>();
    /** Rows whose versions changed since {@link #drainTouched()} (kept across transactions). */
    private Set<RowKey> touched = new HashSet<>();

    VersionStore(Connection c, Dialect dialect) throws SQLException {
        this.c = c;
        this.upsert = c.prepareStatement(upsert(dialect));
    }

    /** Loads the versions of these keys of one table into the cache (absent rows are remembered as absent). */
    void prefetch(String table, List<byte[]> keys) throws SQLException {
        List<byte[]> missing = new ArrayList<>();
        for (byte[] k : keys) {
            if (!cache.containsKey(new RowKey(table, k))) {
                missing.add(k);
            }
        }
        for (int from = 0; from < missing.size(); from += CHUNK) {
            List<byte[]> chunk = missing.subList(from, Math.min(missing.size(), from + CHUNK));
            // One statement of CHUNK parameters, prepared once; a short chunk repeats its last key.
            if (select == null) {
                select = c.prepareStatement("SELECT pk, hlc, device, deleted, cols FROM _sync_row WHERE tbl = ? AND pk IN ("
                        + "?, ".repeat(CHUNK - 1) + "?)");
            }
            select.setString(1, table);
            for (int i = 0; i < CHUNK; i++) {
                select.setBytes(i + 2, chunk.get(Math.min(i, chunk.size() - 1)));
            }
            for (byte[] k : chunk) {
                cache.put(new RowKey(table, k), null);
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    cache.put(new RowKey(table, rs.getBytes(1)), read(rs));
                }
            }
        }
    }

    private static RowVersion read(ResultSet rs) throws SQLException {
        try {
            return RowVersion.decode(new Version(rs.getLong(2), rs.getString(3)), rs.getInt(4) != 0, rs.getBytes(5));
        } catch (RuntimeException e) {
            throw new SQLException("jdbc-sync metadata table _sync_row is damaged: the column versions (cols) of a row"
                    + " cannot be read (" + e.getMessage() + "). Restore the database from a backup, or remove that"
                    + " _sync_row row (its row then counts as unsynced local data)", "XX001", e);
        }
    }

    /** The stored version of a row, or null when none was recorded. */
    RowVersion get(String table, byte[] pk) throws SQLException {
        RowKey key = new RowKey(table, pk);
        if (!cache.containsKey(key)) {
            prefetch(table, List.of(pk));
        }
        return cache.get(key);
    }

    void put(String table, byte[] pk, RowVersion v) {
        RowKey key = new RowKey(table, pk);
        cache.put(key, v);
        dirty.put(key, v);
        touched.add(key);
    }

    void touch(RowKey key) {
        touched.add(key);
    }

    /** Rows whose versions changed since the last call (a rolled-back change counts too). */
    Set<RowKey> drainTouched() {
        Set<RowKey> out = touched;
        touched = new HashSet<>();
        return out;
    }

    /** Writes every changed version. */
    void flush() throws SQLException {
        if (dirty.isEmpty()) {
            return;
        }
        for (Map.Entry<RowKey, RowVersion> e : dirty.entrySet()) {
            RowVersion v = e.getValue();
            upsert.setString(1, e.getKey().table());
            upsert.setBytes(2, e.getKey().key());
            upsert.setLong(3, v.lifecycle().hlc());
            upsert.setString(4, v.lifecycle().device());
            upsert.setInt(5, v.deleted() ? 1 : 0);
            upsert.setBytes(6, v.encodeColumns());
            upsert.addBatch();
        }
        upsert.executeBatch();
        dirty.clear();
    }

    /** Forgets cached versions (after a rollback, the cache may hold what never committed). */
    void reset() {
        cache.clear();
        dirty.clear();
    }

    @Override
    public void close() throws SQLException {
        upsert.close();
        if (select != null) {
            select.close();
        }
    }

    /** One {@code _sync_row} row, as stored. */
    public record Stored(byte[] pk, long hlc, String device, boolean deleted, byte[] cols) {
    }

    /** Multi-row insert of live versions: this head, then {@link #LIVE_VALUES} per row, bound by {@link #bindLive}. */
    public static final String INSERT_HEAD = "INSERT INTO _sync_row (tbl, pk, hlc, device, deleted, cols) VALUES ";
    public static final String LIVE_VALUES = "(?, ?, ?, ?, 0, ?)";
    /** Parameters per row of {@link #LIVE_VALUES}. */
    public static final int LIVE_PARAMETERS = 5;

    public static void bindLive(PreparedStatement ps, int offset, String table, byte[] pk, long hlc, String device, byte[] cols)
            throws SQLException {
        ps.setString(offset + 1, table);
        ps.setBytes(offset + 2, pk);
        ps.setLong(offset + 3, hlc);
        ps.setString(offset + 4, device);
        ps.setBytes(offset + 5, cols);
    }

    /** Insert-or-replace of one version row: (tbl, pk, hlc, device, deleted, cols). */
    public static String upsert(Dialect dialect) {
        return dialect.upsertPrefix() + "_sync_row (tbl, pk, hlc, device, deleted, cols) VALUES (?, ?, ?, ?, ?, ?)";
    }

        /** Binds {@link #upsert} to a stored version row, under this table name. */
    public static void bindUpsert(PreparedStatement ps, String table, Stored v) throws SQLException {
        ps.setString(1, table);
        ps.setBytes(2, v.pk());
        ps.setLong(3, v.hlc());
        ps.setString(4, v.device());
        ps.setInt(5, v.deleted() ? 1 : 0);
        ps.setBytes(6, v.cols());
    }

    /** The source's select and the target's insert (same columns) that copy the tombstones to another device. */
    public static String[] tombstoneCopy(Dialect target) {
        return new String[] {"SELECT tbl, pk, hlc, device, deleted, cols FROM _sync_row WHERE deleted = 1", upsert(target)};
    }

    /** The stored versions of these keys of a table, read {@code step} keys per statement. */
    public static List<Stored> stored(Connection c, String table, List<byte[]> keys, int step) throws SQLException {
        List<Stored> out = new ArrayList<>();
        forKeys(c, "pk, hlc, device, deleted, cols", "", table, keys, step, rs -> out.add(
                new Stored(rs.getBytes(1), rs.getLong(2), rs.getString(3), rs.getInt(4) != 0, rs.getBytes(5))));
        return out;
    }

    /** Those of these keys whose rows have a recorded version (an insert or delete sync knows of). */
    public static List<byte[]> versioned(Connection c, String table, List<byte[]> keys, int step) throws SQLException {
        List<byte[]> out = new ArrayList<>();
        forKeys(c, "pk", " AND hlc <> 0", table, keys, step, rs -> out.add(rs.getBytes(1)));
        return out;
    }

    private interface RowSink {
        void accept(ResultSet rs) throws SQLException;
    }

    /** One statement of {@code step} key parameters, prepared once; a short part repeats its last key. */
    private static void forKeys(Connection c, String columns, String condition, String table, List<byte[]> keys, int step,
                                RowSink sink) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        int n = Math.min(step, keys.size());
        try (PreparedStatement ps = c.prepareStatement("SELECT " + columns + " FROM _sync_row WHERE tbl = ?" + condition
                + " AND pk IN (" + "?, ".repeat(n - 1) + "?)")) {
            for (int from = 0; from < keys.size(); from += n) {
                List<byte[]> part = keys.subList(from, Math.min(keys.size(), from + n));
                ps.setString(1, table);
                for (int i = 0; i < n; i++) {
                    ps.setBytes(i + 2, part.get(Math.min(i, part.size() - 1)));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(rs);
                    }
                }
            }
        }
    }

    /** True when any row has a version (of any table). */
    public static boolean anyVersion(Connection c) throws SQLException {
        return ScalarQueries.anyRow(c, "SELECT 1 FROM _sync_row");
    }

    /** True when a row of this table (its lower-case name) has a version. */
    public static boolean anyVersionOf(Connection c, String lowerTable) throws SQLException {
        return ScalarQueries.anyRow(c, "SELECT 1 FROM _sync_row WHERE tbl = ? LIMIT 1", lowerTable);
    }

    /** The greatest clock value of the versions (0 when there are none). */
    public static long newestStamp(Connection c) throws SQLException {
        return ScalarQueries.number(c, "SELECT MAX(hlc) FROM _sync_row");
    }

    /** The least clock value of the versions (0 when there are none). */
    public static long oldestStamp(Connection c) throws SQLException {
        return ScalarQueries.number(c, "SELECT MIN(hlc) FROM _sync_row");
    }

    /** How many rows of this table (its lower-case name) have a version and are not deleted. */
    public static long liveCount(Connection c, String lowerTable) throws SQLException {
        return ScalarQueries.number(c, "SELECT COUNT(*) FROM _sync_row WHERE tbl = ? AND deleted = 0", lowerTable);
    }

    /**
     * A page of the live versions of a table in key order, (pk, hlc, device, cols) each: parameters
     * tbl, then (when {@code afterKey}) the last key of the previous page.
     */
    public static PreparedStatement prepareLivePage(Connection c, boolean afterKey, int rows) throws SQLException {
        return c.prepareStatement("SELECT pk, hlc, device, cols FROM _sync_row WHERE tbl = ? AND deleted = 0"
                + (afterKey ? " AND pk > ?" : "") + " ORDER BY pk LIMIT " + rows);
    }
}
