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
    /**
     * From this many keys on, a read of versions first asks whether the table has any
     * {@code _sync_row} row (and a prefetch which key range its packs cover): a table whose
     * versions are all packed (rows only ever inserted) then needs no {@code _sync_row} read per
     * key, and a prefetch none for keys beyond its packs, such as a batch of new inserts.
     */
    private static final int BOUNDED_FROM = 64;

    private final Connection c;
    private final PreparedStatement upsert;
    private PreparedStatement select;
    /** {@link #packedOnly}'s query, prepared once. */
    private PreparedStatement bounds;
    /**
     * What this transaction knows of each row it read or wrote: one map entry per row, one lookup
     * per step. In the order rows came (a batch's order): a flush hands packs sequential keys
     * already sorted.
     */
    private final Map<RowKey, Slot> cache = new LinkedHashMap<>();
    /** How many slots of the cache changed since the last flush. */
    private int dirty;
    private final InsertPacks packs;
    /**
     * Rows whose versions changed since {@link #drainTouched()} (kept across transactions), in the
     * order of the changes: appending is all a change costs (a push or pull changes many rows and
     * most syncs have nothing parked to wake); made distinct whenever it doubled, so it stays within
     * twice the rows touched.
     */
    private List<RowKey> touched = new ArrayList<>();
    private int distinctTouched;

    /** A row's cached version (null: none recorded), whether it changed since the last flush, and whether it is fresh. */
    private static final class Slot {
        RowVersion version;
        boolean dirty;
        /** Read and found nowhere (no _sync_row row, no pack), and not written since: its first insert may be packed. */
        boolean fresh;

        Slot(RowVersion version) {
            this.version = version;
        }
    }

    VersionStore(Connection c, Dialect dialect) throws SQLException {
        this.c = c;
        this.upsert = c.prepareStatement(upsert(dialect));
        this.packs = new InsertPacks(c, dialect.upsertPrefix());
    }

    /** Loads the versions of these keys of one table into the cache (absent rows are remembered as absent). */
    void prefetch(String table, List<byte[]> keys) throws SQLException {
        List<RowKey> rows = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            rows.add(new RowKey(table, k));
        }
        prefetchRows(table, rows);
    }

    /** As {@link #prefetch}, for row keys made already (all of {@code table}). */
    void prefetchRows(String table, List<RowKey> keys) throws SQLException {
        List<RowKey> missing = new ArrayList<>(keys.size());
        for (RowKey key : keys) {
            if (!cache.containsKey(key)) {
                missing.add(key);
            }
        }
        long[] packed = missing.size() >= BOUNDED_FROM ? packedOnly(table) : null;
        if (packed != null) {
            // Only packs hold versions of this table: keys outside the range they cover have none.
            long[] span = packed.length == 0 ? null : packed;
            List<RowKey> inPacks = new ArrayList<>();
            for (RowKey key : missing) {
                Slot slot = new Slot(null);
                cache.put(key, slot);
                Long n = InsertPacks.integerKey(key.key());
                if (n != null && span != null && n >= span[0] && n <= span[1]) {
                    inPacks.add(key);
                } else {
                    slot.fresh = n != null;
                }
            }
            for (int from = 0; from < inPacks.size(); from += CHUNK) {
                lookInPacks(table, inPacks.subList(from, Math.min(inPacks.size(), from + CHUNK)));
            }
            return;
        }
        for (int from = 0; from < missing.size(); from += CHUNK) {
            List<RowKey> chunk = missing.subList(from, Math.min(missing.size(), from + CHUNK));
            // One statement of CHUNK parameters, prepared once; a short chunk repeats its last key.
            if (select == null) {
                select = c.prepareStatement("SELECT pk, hlc, device, deleted, cols FROM _sync_row WHERE tbl = ? AND pk IN ("
                        + "?, ".repeat(CHUNK - 1) + "?)");
            }
            select.setString(1, table);
            for (int i = 0; i < CHUNK; i++) {
                select.setBytes(i + 2, chunk.get(Math.min(i, chunk.size() - 1)).key());
            }
            for (RowKey k : chunk) {
                cache.put(k, new Slot(null));
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    cache.get(new RowKey(table, rs.getBytes(1))).version = read(rs);
                }
            }
            lookInPacks(table, chunk);
        }
    }

    /**
     * When no {@code _sync_row} row is of this table: the least and greatest key its packs cover
     * (empty when it has no pack); else null. One query for both, as it runs for every batch.
     */
    private long[] packedOnly(String table) throws SQLException {
        if (bounds == null) {
            // Packs never overlap: the last one (greatest lo) reaches furthest.
            bounds = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM _sync_row WHERE tbl = ?),"
                    + " (SELECT MIN(lo) FROM _sync_pack WHERE tbl = ?),"
                    + " (SELECT hi FROM _sync_pack WHERE tbl = ? ORDER BY lo DESC LIMIT 1)");
        }
        for (int i = 1; i <= 3; i++) {
            bounds.setString(i, table);
        }
        try (ResultSet rs = bounds.executeQuery()) {
            rs.next();
            if (rs.getLong(1) != 0) {
                return null;
            }
            long lo = rs.getLong(2);
            return rs.wasNull() ? new long[0] : new long[] {lo, rs.getLong(3)};
        }
    }

    /** Keys of a chunk (cached, as absent until found) that have no _sync_row row: their version is in a pack, or they are fresh. */
    private void lookInPacks(String table, List<RowKey> chunk) throws SQLException {
        Map<Long, Slot> integers = new HashMap<>();
        for (RowKey key : chunk) {
            Slot slot = cache.get(key);
            if (slot.version == null) {
                Long n = InsertPacks.integerKey(key.key());
                if (n != null) {
                    integers.put(n, slot);
                }
            }
        }
        Map<Long, InsertPacks.Entry> found = packs.find(table, integers.keySet());
        integers.forEach((n, slot) -> {
            InsertPacks.Entry e = found.get(n);
            if (e != null) {
                slot.version = e.version();
            } else {
                slot.fresh = true;
            }
        });
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
        return get(new RowKey(table, pk));
    }

    RowVersion get(RowKey key) throws SQLException {
        Slot slot = cache.get(key);
        if (slot == null) {
            prefetchRows(key.table(), List.of(key));
            slot = cache.get(key);
        }
        return slot.version;
    }

    void put(String table, byte[] pk, RowVersion v) {
        put(new RowKey(table, pk), v);
    }

    void put(RowKey key, RowVersion v) {
        Slot slot = cache.get(key);
        if (slot == null) {
            slot = new Slot(v);
            cache.put(key, slot);
        }
        slot.version = v;
        if (!slot.dirty) {
            slot.dirty = true;
            dirty++;
        }
        touch(key);
    }

    void touch(RowKey key) {
        touched.add(key);
        if (touched.size() > 2 * distinctTouched + 65_536) {
            touched = new ArrayList<>(new java.util.LinkedHashSet<>(touched));
            distinctTouched = touched.size();
        }
    }

    /** Rows whose versions changed since the last call, possibly repeated (a rolled-back change counts too). */
    List<RowKey> drainTouched() {
        List<RowKey> out = touched;
        touched = new ArrayList<>();
        distinctTouched = 0;
        return out;
    }

    /**
     * Writes every changed version: first inserts of fresh keys into packs where they form runs
     * ({@link InsertPacks}), the rest into {@code _sync_row}, taking changed packed rows out of
     * their packs.
     */
    void flush() throws SQLException {
        if (dirty == 0) {
            return;
        }
        Map<String, List<Long>> leaving = new HashMap<>();
        Map<String, List<InsertPacks.Entry>> packable = new LinkedHashMap<>();
        for (Map.Entry<RowKey, Slot> e : cache.entrySet()) {
            Slot slot = e.getValue();
            if (!slot.dirty) {
                continue;
            }
            RowKey key = e.getKey();
            RowVersion v = slot.version;
            boolean fresh = slot.fresh;
            slot.dirty = false;
            slot.fresh = false; // written now: a later write of it is not its first
            Long n = InsertPacks.integerKey(key.key());
            if (n != null && packs.packed(key.table(), n)) {
                leaving.computeIfAbsent(key.table(), t -> new ArrayList<>()).add(n);
            } else if (n != null && fresh && InsertPacks.packable(v)) {
                packable.computeIfAbsent(key.table(), t -> new ArrayList<>())
                        .add(new InsertPacks.Entry(n, v.lifecycle().hlc(), v.lifecycle().device()));
                continue;
            }
            addRow(key.table(), key.key(), v);
        }
        dirty = 0;
        for (Map.Entry<String, List<Long>> e : leaving.entrySet()) {
            packs.remove(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, List<InsertPacks.Entry>> e : packable.entrySet()) {
            for (InsertPacks.Entry left : packs.add(e.getKey(), e.getValue())) {
                addRow(e.getKey(), left.pk(), left.version());
            }
        }
        upsert.executeBatch();
    }

    private void addRow(String table, byte[] pk, RowVersion v) throws SQLException {
        upsert.setString(1, table);
        upsert.setBytes(2, pk);
        upsert.setLong(3, v.lifecycle().hlc());
        upsert.setString(4, v.lifecycle().device());
        upsert.setInt(5, v.deleted() ? 1 : 0);
        upsert.setBytes(6, v.encodeColumns());
        upsert.addBatch();
    }

    /** Forgets cached versions (after a rollback, the cache may hold what never committed). */
    void reset() {
        cache.clear();
        dirty = 0;
        packs.reset();
    }

    @Override
    public void close() throws SQLException {
        upsert.close();
        if (select != null) {
            select.close();
        }
        if (bounds != null) {
            bounds.close();
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

    /** The stored versions of these keys of a table ({@code _sync_row}, then packs), read {@code step} keys per statement. */
    public static List<Stored> stored(Connection c, String table, List<byte[]> keys, int step) throws SQLException {
        List<Stored> out = new ArrayList<>();
        Set<RowKey> inRows = new HashSet<>();
        forKeys(c, "pk, hlc, device, deleted, cols", "", table, keys, step, rs -> {
            out.add(new Stored(rs.getBytes(1), rs.getLong(2), rs.getString(3), rs.getInt(4) != 0, rs.getBytes(5)));
            inRows.add(new RowKey(table, out.get(out.size() - 1).pk()));
        });
        for (InsertPacks.Entry e : packed(c, table, keys, inRows)) {
            out.add(new Stored(e.pk(), e.hlc(), e.device(), false, null));
        }
        return out;
    }

    /**
     * Versions of first inserts loaded in bulk into a table that had none of these keys: packs what
     * forms runs ({@link InsertPacks}) and returns the rest, for {@code _sync_row}. Null when one of
     * the keys already has a {@code _sync_row} row (a packed version would hide behind it): the
     * caller then leaves these rows to the integrator.
     */
    public static List<Stored> pack(Connection c, Dialect dialect, String table, List<Stored> fresh) throws SQLException {
        List<byte[]> keys = new ArrayList<>(fresh.size());
        List<InsertPacks.Entry> packable = new ArrayList<>();
        List<Stored> rest = new ArrayList<>();
        for (Stored v : fresh) {
            Long n = InsertPacks.integerKey(v.pk());
            if (n != null && v.cols() == null && !v.deleted() && v.hlc() != 0) {
                keys.add(v.pk());
                packable.add(new InsertPacks.Entry(n, v.hlc(), v.device()));
            } else {
                rest.add(v);
            }
        }
        if (packable.size() < InsertPacks.minEntries()) {
            return fresh;
        }
        boolean[] held = {false};
        if (ScalarQueries.anyRow(c, "SELECT 1 FROM _sync_row WHERE tbl = ? LIMIT 1", table)) {
            forKeys(c, "pk", "", table, keys, CHUNK, rs -> held[0] = true); // only then worth a read per key
        }
        if (held[0]) {
            return null;
        }
        for (InsertPacks.Entry e : new InsertPacks(c, dialect.upsertPrefix()).add(table, packable)) {
            rest.add(new Stored(e.pk(), e.hlc(), e.device(), false, null));
        }
        return rest;
    }

    /** Those of these keys whose rows have a recorded version (an insert or delete sync knows of). */
    public static List<byte[]> versioned(Connection c, String table, List<byte[]> keys, int step) throws SQLException {
        List<byte[]> out = new ArrayList<>();
        Set<RowKey> inRows = new HashSet<>();
        if (keys.size() < BOUNDED_FROM || ScalarQueries.anyRow(c, "SELECT 1 FROM _sync_row WHERE tbl = ? LIMIT 1", table)) {
            forKeys(c, "pk, hlc", "", table, keys, step, rs -> {
                byte[] pk = rs.getBytes(1);
                inRows.add(new RowKey(table, pk));
                if (rs.getLong(2) != 0) {
                    out.add(pk);
                }
            });
        }
        for (InsertPacks.Entry e : packed(c, table, keys, inRows)) {
            out.add(e.pk());
        }
        return out;
    }

    /** The packed versions of those of these keys that have no {@code _sync_row} row ({@code inRows}). */
    private static List<InsertPacks.Entry> packed(Connection c, String table, List<byte[]> keys, Set<RowKey> inRows)
            throws SQLException {
        List<Long> rest = new ArrayList<>();
        for (byte[] k : keys) {
            Long n = InsertPacks.integerKey(k);
            if (n != null && !inRows.contains(new RowKey(table, k))) {
                rest.add(n);
            }
        }
        List<InsertPacks.Entry> out = new ArrayList<>();
        for (List<InsertPacks.Entry> hits : InsertPacks.lookup(c, table, rest).values()) {
            out.addAll(hits);
        }
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
        return ScalarQueries.anyRow(c, "SELECT 1 FROM _sync_row") || ScalarQueries.anyRow(c, "SELECT 1 FROM _sync_pack");
    }

    /** True when a row of this table (its lower-case name) has a version. */
    public static boolean anyVersionOf(Connection c, String lowerTable) throws SQLException {
        return ScalarQueries.anyRow(c, "SELECT 1 FROM _sync_row WHERE tbl = ? LIMIT 1", lowerTable)
                || ScalarQueries.anyRow(c, "SELECT 1 FROM _sync_pack WHERE tbl = ? LIMIT 1", lowerTable);
    }

    /** The greatest clock value of the versions (0 when there are none). */
    public static long newestStamp(Connection c) throws SQLException {
        return ScalarQueries.number(c, "SELECT MAX(m) FROM (SELECT MAX(hlc) AS m FROM _sync_row"
                + " UNION ALL SELECT MAX(max_hlc) FROM _sync_pack) x");
    }

    /** The least clock value of the versions (0 when there are none). */
    public static long oldestStamp(Connection c) throws SQLException {
        return ScalarQueries.number(c, "SELECT MIN(m) FROM (SELECT MIN(hlc) AS m FROM _sync_row"
                + " UNION ALL SELECT MIN(min_hlc) FROM _sync_pack) x");
    }

    /** How many rows of this table (its lower-case name) have a version and are not deleted. */
    public static long liveCount(Connection c, String lowerTable) throws SQLException {
        return ScalarQueries.number(c, "SELECT COUNT(*) FROM _sync_row WHERE tbl = ? AND deleted = 0", lowerTable)
                + ScalarQueries.number(c, "SELECT SUM(n) FROM _sync_pack WHERE tbl = ?", lowerTable);
    }

    /** The source's select and the target's upsert (same columns) that copy the packs of a table. */
    public static String[] packCopy(Dialect target) {
        return new String[] {"SELECT tbl, lo, hi, n, min_hlc, max_hlc, body FROM _sync_pack WHERE tbl = ?",
                InsertPacks.upsert(target.upsertPrefix())};
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
