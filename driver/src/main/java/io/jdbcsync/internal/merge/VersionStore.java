package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.dialect.Dialect;

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
 * Reads and writes {@code _sync_row}. Reads come in chunks for a whole batch of keys; writes are
 * collected and flushed as one JDBC batch, so version upkeep costs few round trips.
 */
final class VersionStore implements AutoCloseable {
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
        this.upsert = c.prepareStatement(dialect.upsertPrefix() + "_sync_row (tbl, pk, hlc, device, deleted, cols) VALUES (?, ?, ?, ?, ?, ?)");
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
}
