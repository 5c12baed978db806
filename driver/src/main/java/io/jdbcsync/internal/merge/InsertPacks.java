package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.value.ValueCodec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The versions of rows whose whole history is one insert, many to a record of {@code _sync_pack}
 * instead of a {@code _sync_row} row each: what most rows of a synced table are, and what a push,
 * an integration or a clone would otherwise write (and read back) once per row.
 *
 * <p>Only tables with a single integer key are packed: a pack covers the keys {@code lo..hi}
 * (numeric order, so the sequential keys of a batch of inserts form one range), packs of a table
 * never overlap, and its body lists the keys it holds, each with the insert's clock value and
 * device. A key is in at most one pack; {@code _sync_row} wins over a pack where both name a key
 * (a key leaves its pack when its version is written there). Any later change of a packed row
 * (update, delete, newer insert) moves that row's version to {@code _sync_row} and rewrites the
 * pack without it: one small record rewrite, not the pack expanded.
 */
public final class InsertPacks {
    /** Most keys in one pack: a rewrite (a packed row changed) stays a few kilobytes. */
    static final int MAX_ENTRIES = 1024;
    /** Fewer fresh inserts than this in a range go to {@code _sync_row}: tiny packs would only add lookups. */
    static final int MIN_ENTRIES = 16;
    /**
     * The size limits in force: the defaults above, unless the system properties
     * {@code jdbcsync.pack.min-entries} / {@code max-entries} set others (the merge tests set tiny
     * ones, so that their few rows per sync form packs and pack boundaries too).
     */
    static int minEntries() {
        return Integer.getInteger("jdbcsync.pack.min-entries", MIN_ENTRIES);
    }

    static int maxEntries() {
        return Integer.getInteger("jdbcsync.pack.max-entries", MAX_ENTRIES);
    }

    /** A gap between two keys wider than this ends a pack, so a pack does not span other devices' key blocks. */
    static final long MAX_GAP = 1L << 16;

    private static final String COLUMNS = "tbl, lo, hi, n, min_hlc, max_hlc, body";

    /** One packed version: the key as an integer, the clock value and the device of its insert. */
    record Entry(long key, long hlc, String device) {
        byte[] pk() {
            return ValueCodec.encodeKey(key);
        }

        RowVersion version() {
            return new RowVersion(new Version(hlc, device), false, Map.of());
        }
    }

    private final Connection c;
    private final String upsertPrefix;
    /** Which pack (its {@code lo}) each key found by {@link #find} is in, per lower-case table. */
    private final Map<String, Map<Long, Long>> packOf = new HashMap<>();

    InsertPacks(Connection c, String upsertPrefix) {
        this.c = c;
        this.upsertPrefix = upsertPrefix;
    }

    /**
     * The key as an integer when the encoded key is exactly one integer value; else null (never
     * packed). Read straight from the value codec's key form (value count 1, the integer tag 1,
     * a zig-zag LEB128 varint in its shortest form), as this runs for every key a sync touches.
     */
    static Long integerKey(byte[] pk) {
        int n = pk.length;
        if (n < 3 || n > 12 || pk[0] != 1 || pk[1] != 1 || n > 3 && pk[n - 1] == 0) {
            return null;
        }
        long v = 0;
        for (int i = 2, shift = 0; i < n; i++, shift += 7) {
            int b = pk[i] & 0xFF;
            if ((b < 0x80) != (i == n - 1) || shift == 63 && b > 1) {
                return null; // a continuation bit where the key ends, or none before it; or past 64 bits
            }
            v |= (long) (b & 0x7F) << shift;
        }
        return (v >>> 1) ^ -(v & 1);
    }

    /** True when a version is what packs hold: a live row whose whole known history is one insert. */
    static boolean packable(RowVersion v) {
        return !v.deleted() && v.columns().isEmpty() && v.lastDelete().equals(Version.ORIGIN)
                && v.lifecycle().hlc() != 0;
    }

    /** Of these keys of a table (none has a {@code _sync_row} row), the packed ones, remembered for {@link #remove}. */
    Map<Long, Entry> find(String table, Collection<Long> keys) throws SQLException {
        Map<Long, Entry> found = new HashMap<>();
        Map<Long, Long> of = packOf.computeIfAbsent(table, t -> new HashMap<>());
        for (Map.Entry<Long, List<Entry>> pack : lookup(c, table, keys).entrySet()) {
            for (Entry e : pack.getValue()) {
                found.put(e.key(), e);
                of.put(e.key(), pack.getKey());
            }
        }
        return found;
    }

    /**
     * True when {@link #find} found this key in a pack and it has not left it since.
     */
    boolean packed(String table, long key) {
        Map<Long, Long> of = packOf.get(table);
        return of != null && of.containsKey(key);
    }

    /** These keys, found in packs by {@link #find}, leave them (their versions go to {@code _sync_row}). */
    void remove(String table, Collection<Long> keys) throws SQLException {
        Map<Long, Long> of = packOf.getOrDefault(table, Map.of());
        Map<Long, List<Long>> byPack = new TreeMap<>();
        for (long k : keys) {
            Long lo = of.remove(k);
            if (lo != null) {
                byPack.computeIfAbsent(lo, x -> new ArrayList<>()).add(k);
            }
        }
        for (Map.Entry<Long, List<Long>> p : byPack.entrySet()) {
            Set<Long> leaving = new HashSet<>(p.getValue());
            Stored pack = read(c, table, p.getKey());
            if (pack == null) {
                throw new SQLException("jdbc-sync metadata table _sync_pack lost the pack of " + table + " from key "
                        + p.getKey() + " within the transaction that read it", "XX001");
            }
            List<Entry> kept = new ArrayList<>(pack.entries());
            kept.removeIf(e -> leaving.contains(e.key()));
            if (kept.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM _sync_pack WHERE tbl = ? AND lo = ?")) {
                    ps.setString(1, table);
                    ps.setLong(2, p.getKey());
                    ps.executeUpdate();
                }
            } else {
                // lo and hi stay: keys between them that are not listed are looked up in _sync_row.
                write(table, p.getKey(), pack.hi(), kept);
            }
        }
    }

    /**
     * Packs what it can of these fresh inserts of a table (keys with no version anywhere, each a
     * {@link #packable} version): runs of keys between existing packs, at most {@link #MAX_GAP}
     * apart, of {@link #MIN_ENTRIES} to {@link #MAX_ENTRIES} keys. Returns those left for
     * {@code _sync_row}.
     */
    List<Entry> add(String table, List<Entry> fresh) throws SQLException {
        int min = minEntries();
        int max = maxEntries();
        if (fresh.size() < min) {
            return fresh;
        }
        List<Entry> sorted = new ArrayList<>(fresh);
        sorted.sort((a, b) -> Long.compare(a.key(), b.key()));
        NavigableMap<Long, Long> existing = intervals(c, table, sorted.get(0).key(), sorted.get(sorted.size() - 1).key());
        List<Entry> left = new ArrayList<>();
        List<Entry> run = new ArrayList<>();
        long limit = Long.MIN_VALUE; // the next existing pack's lo: a run stops before it
        // The existing packs walked alongside the ascending keys: the last one starting at or
        // before the key (its floor) and the first starting after it.
        java.util.Iterator<Map.Entry<Long, Long>> ahead = existing.entrySet().iterator();
        Map.Entry<Long, Long> floor = null;
        Map.Entry<Long, Long> next = ahead.hasNext() ? ahead.next() : null;
        try (PreparedStatement packs = c.prepareStatement(upsert(upsertPrefix))) {
            boolean any = false;
            for (Entry e : sorted) {
                while (next != null && next.getKey() <= e.key()) {
                    floor = next;
                    next = ahead.hasNext() ? ahead.next() : null;
                }
                if (floor != null && floor.getValue() >= e.key()) {
                    any |= close(packs, table, run, left, min);
                    left.add(e); // inside another pack's range
                    continue;
                }
                boolean fits = !run.isEmpty() && e.key() < limit && e.key() - run.get(run.size() - 1).key() <= MAX_GAP
                        && run.size() < max;
                if (!fits) {
                    any |= close(packs, table, run, left, min);
                    limit = next == null ? Long.MAX_VALUE : next.getKey();
                }
                run.add(e);
            }
            any |= close(packs, table, run, left, min);
            if (any) {
                packs.executeBatch(); // one round trip for all the packs of the flush
            }
        }
        return left;
    }

    /**
     * Adds a run to the batch of packs when it is long enough (true), else leaves it for
     * {@code _sync_row}; empties it.
     */
    private boolean close(PreparedStatement packs, String table, List<Entry> run, List<Entry> left, int min)
            throws SQLException {
        boolean packed = !run.isEmpty() && run.size() >= min;
        if (packed) {
            long lo = run.get(0).key();
            bind(packs, table, lo, run.get(run.size() - 1).key(), run);
            packs.addBatch();
            Map<Long, Long> of = packOf.computeIfAbsent(table, t -> new HashMap<>());
            for (Entry e : run) {
                of.put(e.key(), lo);
            }
        } else {
            left.addAll(run);
        }
        run.clear();
        return packed;
    }

    private void write(String table, long lo, long hi, List<Entry> entries) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(upsert(upsertPrefix))) {
            bind(ps, table, lo, hi, entries);
            ps.executeUpdate();
        }
    }

    /** Forgets what {@link #find} remembered (after a rollback, or at a transaction's start). */
    void reset() {
        packOf.clear();
    }

    /** Insert-or-replace of one pack: (tbl, lo, hi, n, min_hlc, max_hlc, body). */
    static String upsert(String upsertPrefix) {
        return upsertPrefix + "_sync_pack (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)";
    }

    /** Binds {@link #upsert} to a pack of these entries (in key order). */
    static void bind(PreparedStatement ps, String table, long lo, long hi, List<Entry> entries) throws SQLException {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Entry e : entries) {
            min = Math.min(min, e.hlc());
            max = Math.max(max, e.hlc());
        }
        ps.setString(1, table);
        ps.setLong(2, lo);
        ps.setLong(3, hi);
        ps.setInt(4, entries.size());
        ps.setLong(5, min);
        ps.setLong(6, max);
        ps.setBytes(7, encode(lo, entries));
    }

    /**
     * The packs of a table holding any of these keys, each (by its {@code lo}) with the entries of
     * those keys: one range read of the packs' bounds, then the bodies of those that hold a key.
     */
    static Map<Long, List<Entry>> lookup(Connection c, String table, Collection<Long> keys) throws SQLException {
        Map<Long, List<Entry>> out = new LinkedHashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (long k : keys) {
            from = Math.min(from, k);
            to = Math.max(to, k);
        }
        NavigableMap<Long, Long> packs = intervals(c, table, from, to);
        if (packs.isEmpty()) {
            return out;
        }
        Map<Long, List<Long>> wanted = new TreeMap<>();
        for (long k : keys) {
            Map.Entry<Long, Long> p = packs.floorEntry(k);
            if (p != null && p.getValue() >= k) {
                wanted.computeIfAbsent(p.getKey(), x -> new ArrayList<>()).add(k);
            }
        }
        for (Map.Entry<Long, List<Long>> p : wanted.entrySet()) {
            Stored pack = read(c, table, p.getKey());
            List<Entry> body = pack == null ? List.of() : pack.entries();
            Set<Long> asked = new HashSet<>(p.getValue());
            List<Entry> hits = new ArrayList<>();
            for (Entry e : body) {
                if (asked.contains(e.key())) {
                    hits.add(e);
                }
            }
            if (!hits.isEmpty()) {
                out.put(p.getKey(), hits);
            }
        }
        return out;
    }

    /** The least and greatest key the packs of a table cover ({lo of the first, hi of the last}); null when it has none. */
    static long[] span(Connection c, String table) throws SQLException {
        // Packs never overlap: the last one (greatest lo) reaches furthest.
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(lo), (SELECT hi FROM _sync_pack WHERE tbl = ?"
                + " ORDER BY lo DESC LIMIT 1) FROM _sync_pack WHERE tbl = ?")) {
            ps.setString(1, table);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long lo = rs.getLong(1);
                return rs.wasNull() ? null : new long[] {lo, rs.getLong(2)};
            }
        }
    }

    /** The bounds (lo to hi) of the packs of a table that overlap {@code from..to}. */
    static NavigableMap<Long, Long> intervals(Connection c, String table, long from, long to) throws SQLException {
        NavigableMap<Long, Long> out = new TreeMap<>();
        // The pack starting at or before `from` (it may reach into the range), then those starting inside it.
        try (PreparedStatement ps = c.prepareStatement("SELECT lo, hi FROM _sync_pack WHERE tbl = ? AND lo >= COALESCE("
                + "(SELECT MAX(lo) FROM _sync_pack WHERE tbl = ? AND lo <= ?), ?) AND lo <= ?")) {
            ps.setString(1, table);
            ps.setString(2, table);
            ps.setLong(3, from);
            ps.setLong(4, from);
            ps.setLong(5, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** A pack as stored: its last key and its entries. */
    private record Stored(long hi, List<Entry> entries) { }

    /** The pack of a table starting at {@code lo}, or null when there is none (any more). */
    private static Stored read(Connection c, String table, long lo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT hi, body FROM _sync_pack WHERE tbl = ? AND lo = ?")) {
            ps.setString(1, table);
            ps.setLong(2, lo);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Stored(rs.getLong(1), decode(table, lo, rs.getBytes(2))) : null;
            }
        }
    }

    /**
     * A pack's body: the devices (count, then each id), then per key in ascending order its
     * distance from the previous key (from lo for the first), its clock value's difference from
     * the previous one's, and its device's index; all in the value codec's key form.
     */
    static byte[] encode(long lo, List<Entry> entries) {
        Map<String, Long> devices = new LinkedHashMap<>();
        for (Entry e : entries) {
            devices.putIfAbsent(e.device(), (long) devices.size());
        }
        List<Object> flat = new ArrayList<>(1 + devices.size() + 3 * entries.size());
        flat.add((long) devices.size());
        flat.addAll(devices.keySet());
        long key = lo;
        long hlc = 0;
        for (Entry e : entries) {
            flat.add(e.key() - key);
            flat.add(e.hlc() - hlc);
            flat.add(devices.get(e.device()));
            key = e.key();
            hlc = e.hlc();
        }
        // About three bytes a value (small deltas and indexes): the body is built once, not regrown.
        return ValueCodec.encodeKey(flat, 16 + 3 * flat.size());
    }

    static List<Entry> decode(String table, long lo, byte[] body) throws SQLException {
        try {
            Object[] flat = ValueCodec.decodeKey(body);
            int devices = Math.toIntExact((Long) flat[0]);
            if ((flat.length - 1 - devices) % 3 != 0) {
                throw new IllegalArgumentException(flat.length + " values for " + devices + " devices");
            }
            List<Entry> out = new ArrayList<>((flat.length - 1 - devices) / 3);
            long key = lo;
            long hlc = 0;
            for (int i = 1 + devices; i < flat.length; i += 3) {
                key += (Long) flat[i];
                hlc += (Long) flat[i + 1];
                out.add(new Entry(key, hlc, (String) flat[1 + Math.toIntExact((Long) flat[i + 2])]));
            }
            return out;
        } catch (RuntimeException e) {
            throw new SQLException("jdbc-sync metadata table _sync_pack is damaged: the pack of " + table + " from key "
                    + lo + " cannot be read (" + e + "). Restore the database from a backup, or remove that _sync_pack"
                    + " row (its rows then count as unsynced local data)", "XX001", e);
        }
    }
}
