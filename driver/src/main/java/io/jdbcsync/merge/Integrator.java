package io.jdbcsync.merge;

import io.jdbcsync.device.Device;
import io.jdbcsync.dialect.Dialect;
import io.jdbcsync.log.LogEntry;
import io.jdbcsync.log.Op;
import io.jdbcsync.schema.Schema;
import io.jdbcsync.schema.TableInfo;
import io.jdbcsync.value.Row;
import io.jdbcsync.value.ValueCodec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies changes of other devices to this database, deciding every collision by the same rules
 * on every device (see docs/ARCHITECTURE.md, "Conflict rules"):
 * <ul>
 *   <li>per column, the value with the newer version (clock, then device id) wins;</li>
 *   <li>a delete wins over every update of the row; only a newer insert brings the row back;</li>
 *   <li>a unique value taken by two rows stays with the row that claimed it first; the other row
 *       goes to {@code _sync_conflict};</li>
 *   <li>what cannot be applied yet (missing table/column, update before its row) is parked.</li>
 * </ul>
 * Applying the same entry twice, or entries in any order, gives the same result.
 * The caller owns the transaction.
 */
public final class Integrator implements AutoCloseable {
    private final Connection c;
    private final Device device;
    private final Dialect dialect;
    private final VersionStore versions;
    private final ParkedChanges parked;
    private final ConflictLog conflicts;
    private final Map<String, TableWriter> writers = new HashMap<>();
    private Schema schema;
    private final Set<VersionStore.Key> written = new HashSet<>();

    /** What one integration did. */
    public record Outcome(int applied, int skipped, int conflicts, int parked, Set<String> tables) {
        public static final Outcome NONE = new Outcome(0, 0, 0, 0, Set.of());

        public Outcome plus(Outcome o) {
            Set<String> t = new TreeSet<>(tables);
            t.addAll(o.tables);
            return new Outcome(applied + o.applied, skipped + o.skipped, conflicts + o.conflicts, parked + o.parked, t);
        }
    }

    private final class Tally {
        int applied;
        int skipped;
        int conflicts;
        int parked;
        final Set<String> tables = new TreeSet<>();

        Outcome outcome() {
            return new Outcome(applied, skipped, conflicts, parked, tables);
        }
    }

    public Integrator(Connection c, Device device) throws SQLException {
        this.c = c;
        this.device = device;
        this.dialect = device.dialect();
        this.versions = new VersionStore(c, dialect);
        this.parked = new ParkedChanges(c, dialect.upsertPrefix());
        this.conflicts = new ConflictLog(c, device.clock());
    }

    /** Starts a transaction's work: picks up schema changes and forgets state of earlier ones. */
    public void begin() throws SQLException {
        Schema s = device.schema(c);
        if (s != schema) {
            for (TableWriter w : writers.values()) {
                w.close();
            }
            writers.clear();
            schema = s;
        }
        versions.reset();
        written.clear();
    }

    /** Ends a transaction's work: writes the version metadata. */
    public void finish() throws SQLException {
        versions.flush();
    }

    /** Rows written since {@link #begin()} as (lower-case table, encoded key). */
    public boolean wrote(String table, byte[] key) {
        return written.contains(new VersionStore.Key(table.toLowerCase(Locale.ROOT), key));
    }

    /** Records the versions of this device's own captured changes (they are already in the tables). */
    public void fold(List<LogEntry> local) throws SQLException {
        prefetch(local);
        Version base;
        for (LogEntry e : local) {
            String t = e.table().toLowerCase(Locale.ROOT);
            Version v = new Version(e.hlc(), device.id());
            RowVersion rv = versions.get(t, e.key());
            switch (e.op()) {
                case INSERT:
                    base = rv == null ? null : rv.lifecycle();
                    if (base == null || v.newerThan(base)) {
                        versions.put(t, e.key(), rv == null ? new RowVersion(v, false, Map.of()) : rv.inserted(v));
                    }
                    break;
                case DELETE:
                    if (rv == null || v.newerThan(rv.lifecycle())) {
                        versions.put(t, e.key(), new RowVersion(v, true, Map.of()));
                    }
                    break;
                default:
                    List<String> names = ValueCodec.decodeRow(e.data()).columns();
                    versions.put(t, e.key(), (rv == null ? RowVersion.UNKNOWN_LIVE : rv).updated(names, v));
                    break;
            }
        }
    }

    /** Applies a batch of another device's changes. */
    public Outcome integrate(String from, List<LogEntry> entries) throws SQLException {
        Tally tally = new Tally();
        prefetch(entries);
        for (LogEntry e : entries) {
            apply(from, e, tally);
        }
        return tally.outcome();
    }

    /** Tries parked changes again (after the schema or other rows caught up). */
    public Outcome retryParked() throws SQLException {
        Tally tally = new Tally();
        for (ParkedChanges.Parked p : parked.all()) {
            parked.remove(p);
            int before = tally.parked;
            apply(p.device(), p.entry(), tally);
            if (tally.parked > before) {
                tally.parked--; // parked again: not news
            }
        }
        return tally.outcome();
    }

    public long parkedCount() throws SQLException {
        return parked.count();
    }

    private void prefetch(List<LogEntry> entries) throws SQLException {
        Map<String, List<byte[]>> byTable = new LinkedHashMap<>();
        for (LogEntry e : entries) {
            byTable.computeIfAbsent(e.table().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(e.key());
        }
        for (Map.Entry<String, List<byte[]>> t : byTable.entrySet()) {
            versions.prefetch(t.getKey(), t.getValue());
        }
    }

    private TableWriter writer(TableInfo t) {
        return writers.computeIfAbsent(t.name().toLowerCase(Locale.ROOT), k -> new TableWriter(c, dialect, t));
    }

    private void apply(String from, LogEntry e, Tally tally) throws SQLException {
        TableInfo t = schema.table(e.table());
        if (t == null || !t.synced()) {
            parked.park(from, e, t == null ? "table " + e.table() + " does not exist here yet"
                    : "table " + e.table() + " is not synced here");
            tally.parked++;
            return;
        }
        Object[] key = ValueCodec.decodeKey(e.key());
        if (key.length != t.primaryKey().size()) {
            parked.park(from, e, "primary key of " + t.name() + " differs here");
            tally.parked++;
            return;
        }
        device.clock().observe(e.hlc());
        String tk = t.name().toLowerCase(Locale.ROOT);
        Version v = new Version(e.hlc(), from);
        RowVersion rv = versions.get(tk, e.key());
        TableWriter w = writer(t);
        switch (e.op()) {
            case DELETE:
                if (rv != null && !v.newerThan(rv.lifecycle())) {
                    tally.skipped++;
                    return;
                }
                w.delete(key);
                versions.put(tk, e.key(), new RowVersion(v, true, Map.of()));
                break;
            case INSERT: {
                if (rv != null && !v.newerThan(rv.lifecycle())) {
                    tally.skipped++;
                    return;
                }
                Columns cols = split(t, ValueCodec.decodeRow(e.data()));
                List<String> names = new ArrayList<>();
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < cols.names.size(); i++) {
                    String n = cols.names.get(i);
                    boolean keyColumn = t.isPrimaryKeyColumn(n);
                    if (keyColumn || rv == null || rv.deleted() || v.newerThan(rv.column(n))) {
                        names.add(n);
                        values.add(cols.values.get(i));
                    }
                }
                if (!claimUnique(from, t, e, key, v, names, values, tally)) {
                    versions.put(tk, e.key(), new RowVersion(v, true, Map.of()));
                    return;
                }
                w.upsert(names, values);
                versions.put(tk, e.key(), rv == null ? new RowVersion(v, false, Map.of()) : rv.inserted(v));
                parkUnknown(from, e, cols, tally);
                break;
            }
            default: {
                if (rv != null && rv.deleted()) {
                    tally.skipped++;
                    return;
                }
                Columns cols = split(t, ValueCodec.decodeRow(e.data()));
                List<String> names = new ArrayList<>();
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < cols.names.size(); i++) {
                    String n = cols.names.get(i);
                    if (v.newerThan(rv == null ? Version.ORIGIN : rv.column(n))) {
                        names.add(n);
                        values.add(cols.values.get(i));
                    }
                }
                if (names.isEmpty()) {
                    parkUnknown(from, e, cols, tally);
                    tally.skipped++;
                    return;
                }
                if (!claimUnique(from, t, e, key, v, names, values, tally)) {
                    return;
                }
                if (w.update(key, names, values) == 0) {
                    // The row is not here: its insert has not arrived yet (or it lost a collision).
                    parked.park(from, e, "row does not exist here yet");
                    tally.parked++;
                    return;
                }
                versions.put(tk, e.key(), (rv == null ? RowVersion.UNKNOWN_LIVE : rv).updated(names, v));
                parkUnknown(from, e, cols, tally);
                break;
            }
        }
        written.add(new VersionStore.Key(tk, e.key()));
        tally.applied++;
        tally.tables.add(t.name());
    }

    /** Known and unknown (not yet in this schema) columns of an entry. */
    private record Columns(List<String> names, List<Object> values, List<String> unknownNames, List<Object> unknownValues) { }

    private static Columns split(TableInfo t, Row row) {
        List<String> n = new ArrayList<>();
        List<Object> v = new ArrayList<>();
        List<String> un = new ArrayList<>();
        List<Object> uv = new ArrayList<>();
        for (int i = 0; i < row.columns().size(); i++) {
            String name = row.columns().get(i);
            int pos = t.position(name);
            if (pos >= 0) {
                n.add(t.columns().get(pos).name());
                v.add(row.values().get(i));
            } else {
                un.add(name);
                uv.add(row.values().get(i));
            }
        }
        return new Columns(n, v, un, uv);
    }

    private void parkUnknown(String from, LogEntry e, Columns cols, Tally tally) throws SQLException {
        if (!cols.unknownNames.isEmpty()) {
            parked.park(from, new LogEntry(e.hlc(), e.table(), Op.UPDATE, e.key(),
                    ValueCodec.encodeRow(cols.unknownNames, cols.unknownValues)),
                    "columns " + cols.unknownNames + " of " + e.table() + " do not exist here yet");
            tally.parked++;
        }
    }

    /**
     * Resolves unique-key collisions of a write before it happens: the row that claimed the value
     * first keeps it. Returns false when the incoming change lost (it is kept as a conflict).
     */
    private boolean claimUnique(String from, TableInfo t, LogEntry e, Object[] key, Version v,
                                List<String> names, List<Object> values, Tally tally) throws SQLException {
        TableWriter w = writer(t);
        String tk = t.name().toLowerCase(Locale.ROOT);
        for (List<String> unique : t.uniqueKeys()) {
            List<Object> uv = new ArrayList<>();
            for (String col : unique) {
                int i = indexOfIgnoreCase(names, col);
                if (i < 0) {
                    uv = null;
                    break;
                }
                uv.add(values.get(i));
            }
            if (uv == null || uv.contains(null)) {
                continue;
            }
            for (Object[] holder : w.holders(unique, uv, key)) {
                byte[] holderKey = ValueCodec.encodeKey(w.canonicalKey(holder));
                RowVersion hv = versions.get(tk, holderKey);
                Version claim = Version.ORIGIN;
                for (String col : unique) {
                    claim = Version.max(claim, hv == null ? Version.ORIGIN : hv.column(col));
                }
                String reason = "unique " + unique + " = " + uv + " in " + t.name();
                tally.conflicts++;
                if (v.compareTo(claim) < 0) {
                    Object[] row = w.select(holder);
                    conflicts.record(t.name(), holderKey, e.key(), rowBytes(t, row),
                            reason + ": claimed earlier by the row with key " + java.util.Arrays.toString(key), claim);
                    w.delete(holder);
                    versions.put(tk, holderKey, new RowVersion(hv == null ? Version.ORIGIN : hv.lifecycle(), true, Map.of()));
                } else {
                    conflicts.record(t.name(), e.key(), holderKey, e.data(),
                            reason + ": claimed earlier by the row with key " + java.util.Arrays.toString(holder), v);
                    return false;
                }
            }
        }
        return true;
    }

    private static byte[] rowBytes(TableInfo t, Object[] row) {
        if (row == null) {
            return ValueCodec.encodeRow(List.of(), List.of());
        }
        List<String> names = new ArrayList<>();
        for (var c : t.columns()) {
            names.add(c.name());
        }
        return ValueCodec.encodeRow(names, java.util.Arrays.asList(row));
    }

    private static int indexOfIgnoreCase(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws SQLException {
        for (TableWriter w : writers.values()) {
            w.close();
        }
        versions.close();
    }
}
