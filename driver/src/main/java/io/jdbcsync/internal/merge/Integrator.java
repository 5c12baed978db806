package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.device.Device;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.value.Row;
import io.jdbcsync.internal.value.RowReader;
import io.jdbcsync.internal.value.ValueCodec;

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
 * The caller owns the transaction. This class keeps the batch loop and applies each decision;
 * {@link UniqueClaims} arbitrates unique values, {@link Columns} parks columns not here yet and
 * {@link Adoptions} compares rows two devices adopted.
 */
public final class Integrator implements AutoCloseable {
    private final Connection c;
    private final Device device;
    private final Dialect dialect;
    private final VersionStore versions;
    private final ParkedChanges parked;
    private final ConflictLog conflicts;
    private final UniqueClaims claims;
    private final Adoptions adoptions;
    private final FreshInserts fresh;
    /** Decodes the rows of incoming changes, their column names once per run of rows with the same columns. */
    private final RowReader rows = new RowReader();
    private final Map<String, TableWriter> writers = new HashMap<>();
    private Schema schema;
    private final Set<RowKey> written = new HashSet<>();
    /**
     * Rows the bulk path wrote since {@link #begin()}: appended (one per row of a batch), and moved
     * into {@link #written} only when {@link #wrote} is asked, which a pull does only when a local
     * change committed meanwhile.
     */
    private final List<RowKey> writtenInBulk = new ArrayList<>();
    /** The schema parked changes were last all retried with; another one may unpark any of them. */
    private Schema retriedWith;
    /** Smallest clock value among changes parked for coming from the future (MAX_VALUE: none). */
    private long earliestFuture = Long.MAX_VALUE;
    /**
     * What {@link #retryParked()} consumed of the wake-up state (rows touched, schema, earliest
     * change from the future) since the last {@link #committed()}: put back by the next
     * {@link #begin()} if the retry's transaction did not commit, since its parked changes are then
     * still parked and only this state would ever wake them.
     */
    private Wake unconfirmed;

    private record Wake(Set<RowKey> touched, Schema retriedWith, long earliestFuture) { }
    static final String FROM_THE_FUTURE = "stamped ahead of this device's clock by more than sync.max-clock-drift-ms;"
            + " applies when the clock catches up";

    /** What one integration did. */
    public record Outcome(int applied, int skipped, int conflicts, int parked, Set<String> tables) {
        public static final Outcome NONE = new Outcome(0, 0, 0, 0, Set.of());

        public Outcome plus(Outcome o) {
            Set<String> t = new TreeSet<>(tables);
            t.addAll(o.tables);
            return new Outcome(applied + o.applied, skipped + o.skipped, conflicts + o.conflicts, parked + o.parked, t);
        }
    }

    public Integrator(Connection c, Device device) throws SQLException {
        this.c = c;
        this.device = device;
        this.dialect = device.dialect();
        this.versions = new VersionStore(c, dialect);
        this.parked = new ParkedChanges(c, dialect.upsertPrefix());
        this.conflicts = new ConflictLog(c, device.clock());
        this.claims = new UniqueClaims(versions, conflicts, this::writer);
        this.adoptions = new Adoptions(conflicts, dialect);
        this.fresh = new FreshInserts(c, new BulkRows(c, dialect), versions, conflicts);
    }

    /** Starts a transaction's work: picks up schema changes and forgets state of earlier ones. */
    public void begin() throws SQLException {
        if (unconfirmed != null) {
            // The last retry's transaction never reported committed: what it retried is parked still.
            unconfirmed.touched().forEach(versions::touch);
            retriedWith = unconfirmed.retriedWith();
            earliestFuture = Math.min(earliestFuture, unconfirmed.earliestFuture());
            unconfirmed = null;
        }
        Schema s = device.schema(c);
        if (s != schema) {
            for (TableWriter w : writers.values()) {
                w.close();
            }
            writers.clear();
            fresh.close(); // its statements bind values by the old schema's column types
            schema = s;
        }
        versions.reset();
        conflicts.reset();
        written.clear();
        writtenInBulk.clear();
    }

    /** Ends a transaction's work: runs batched writes and writes the version metadata. */
    public void finish() throws SQLException {
        flushWrites();
        versions.flush();
    }

    /**
     * Between two batches integrated in one transaction: runs batched writes, writes the version
     * metadata and forgets the cached versions, so the cache holds one batch whatever the
     * transaction holds; the rows written stay known to {@link #wrote}.
     */
    public void nextBatch() throws SQLException {
        finish();
        versions.reset();
    }

    /**
     * The transaction since {@link #begin()} committed. A transaction that called
     * {@link #retryParked()} must report this, or the next {@code begin()} takes it as rolled back.
     */
    public void committed() {
        unconfirmed = null;
    }

    private void flushWrites() throws SQLException {
        for (TableWriter w : writers.values()) {
            w.flush();
        }
    }

    /** Rows written since {@link #begin()} as (lower-case table, encoded key). */
    public boolean wrote(String table, byte[] key) {
        if (!writtenInBulk.isEmpty()) {
            written.addAll(writtenInBulk);
            writtenInBulk.clear();
        }
        return written.contains(new RowKey(table.toLowerCase(Locale.ROOT), key));
    }

    /** Records the versions of this device's own captured changes (they are already in the tables). */
    public void fold(List<LogEntry> local) throws SQLException {
        fold(local, null);
    }

    /**
     * As {@link #fold(List)}, with the column names of each update already decoded
     * ({@code updated.get(i)} for {@code local.get(i)}; null: decoded here).
     */
    public void fold(List<LogEntry> local, List<List<String>> updated) throws SQLException {
        prefetch(rowKeys(local));
        for (int i = 0; i < local.size(); i++) {
            LogEntry e = local.get(i);
            String t = e.table().toLowerCase(Locale.ROOT);
            Version v = new Version(e.hlc(), device.id());
            RowVersion rv = versions.get(t, e.key());
            if (e.op() == Op.UPDATE) {
                // Already in the table: every column records the write, even on a row deleted meanwhile.
                List<String> names = updated != null && updated.get(i) != null ? updated.get(i)
                        : ValueCodec.decodeRow(e.data()).columns();
                versions.put(t, e.key(), (rv == null ? RowVersion.UNKNOWN_LIVE : rv).written(names, v));
            } else {
                MergeRules.Decision d = MergeRules.decide(rv, e.op(), v, List.of());
                if (!d.after().equals(rv)) {
                    versions.put(t, e.key(), d.after());
                }
                if (d.settlesBefore() != null) {
                    conflicts.settleSameKey(e.table(), e.key(), d.settlesBefore());
                }
                if (e.op() == Op.DELETE && d.applies()) {
                    conflicts.settleConcurrentEdits(e.table(), e.key());
                }
                if (d.loser() != null) {
                    // Replaced here by this device's own insert (REPLACE): the lost row is no longer at hand.
                    conflicts.recordSameKey(e.table(), e.key(), ValueCodec.encodeRow(List.of(), List.of()), d.loser());
                }
            }
        }
    }

    /**
     * The entries, just folded ({@link #fold}), with what each update had seen of its columns, as
     * recorded by the fold ({@link SeenVersions}); the batch carries them.
     */
    public List<LogEntry> withSeen(List<LogEntry> folded) throws SQLException {
        return SeenVersions.attach(folded, device.id(), versions::get);
    }

    /**
     * Applies a batch of another device's changes: inserts of rows this device has never had in
     * bulk ({@link FreshInserts}), then every other change through the rules, one by one.
     */
    public Outcome integrate(String from, List<LogEntry> entries) throws SQLException {
        Tally tally = new Tally();
        RowKey[] keys = rowKeys(entries);
        prefetch(keys);
        for (LogEntry e : fresh.load(from, entries, keys, schema, device.clock(), tally, writtenInBulk)) {
            apply(from, e, tally);
        }
        return tally.outcome();
    }

    /**
     * Tries parked changes again, only those something could have unparked since the last retry:
     * all of them when the schema changed (or on the first retry of this integrator), those of rows
     * whose versions changed, and those from the future the clock has caught up with. A sync that
     * brings nothing new does not touch them.
     */
    public Outcome retryParked() throws SQLException {
        Tally tally = new Tally();
        java.util.List<RowKey> drained = versions.drainTouched();
        if (parked.count() == 0) {
            // Nothing to wake: every parked change (none) was retried with this schema.
            retriedWith = schema;
            earliestFuture = Long.MAX_VALUE;
            return tally.outcome();
        }
        Set<RowKey> touched = new HashSet<>(drained);
        long due = device.clock().acceptableUpTo();
        boolean all = schema != retriedWith;
        boolean futureDue = earliestFuture <= due;
        if (!all && !futureDue && touched.isEmpty()) {
            return tally.outcome();
        }
        if (unconfirmed == null) {
            unconfirmed = new Wake(new java.util.HashSet<>(), retriedWith, earliestFuture);
        }
        unconfirmed.touched().addAll(touched);
        List<ParkedChanges.Parked> retry = new ArrayList<>();
        // Changes from the future not retried now keep their wake-up time; those retried set it again if re-parked.
        long stillAhead = all || futureDue ? Long.MAX_VALUE : earliestFuture;
        if (all) {
            retry = parked.all();
        } else {
            for (ParkedChanges.Ref r : parked.refs()) {
                boolean future = FROM_THE_FUTURE.equals(r.reason());
                boolean wakes = touched.contains(new RowKey(r.table().toLowerCase(Locale.ROOT), r.key()))
                        || futureDue && future && r.hlc() <= due;
                ParkedChanges.Parked p = wakes ? parked.load(r) : null;
                if (p != null) {
                    retry.add(p);
                } else if (future) {
                    stillAhead = Math.min(stillAhead, r.hlc());
                }
            }
        }
        earliestFuture = stillAhead;
        retriedWith = schema;
        for (ParkedChanges.Parked p : retry) {
            parked.remove(p);
            int before = tally.parked;
            apply(p.device(), p.entry(), tally);
            if (tally.parked > before) {
                tally.parked--; // parked again: not news
            }
        }
        return tally.outcome();
    }

    /**
     * True when {@link #retryParked()} or {@link #settle()} may change anything: a change is parked
     * or a displaced row waits in {@code _sync_conflict}. Call after {@link #begin()}.
     */
    public boolean mayRetryOrSettle() throws SQLException {
        return parked.count() > 0 || !conflicts.active().isEmpty();
    }

    /** Rows were written without this integrator (a bulk load): the next retry tries every parked change. */
    public void retryAllParked() {
        retriedWith = null;
    }

    public long parkedCount() throws SQLException {
        return parked.count();
    }

    /** Each entry's row as (lower-case table, key), made once: the prefetch and the bulk path share them. */
    private static RowKey[] rowKeys(List<LogEntry> entries) {
        RowKey[] out = new RowKey[entries.size()];
        String table = null;
        String lower = null;
        for (int i = 0; i < out.length; i++) {
            LogEntry e = entries.get(i);
            if (!e.table().equals(table)) {
                table = e.table();
                lower = table.toLowerCase(Locale.ROOT);
            }
            out[i] = new RowKey(lower, e.key());
        }
        return out;
    }

    private void prefetch(RowKey[] keys) throws SQLException {
        Map<String, List<RowKey>> byTable = new LinkedHashMap<>();
        for (RowKey k : keys) {
            byTable.computeIfAbsent(k.table(), t -> new ArrayList<>()).add(k);
        }
        for (Map.Entry<String, List<RowKey>> t : byTable.entrySet()) {
            versions.prefetchRows(t.getKey(), t.getValue());
        }
    }

    private TableWriter writer(TableInfo t) {
        return writers.computeIfAbsent(t.name().toLowerCase(Locale.ROOT), k -> new TableWriter(c, dialect, t));
    }

    private void apply(String from, LogEntry e, Tally tally) throws SQLException {
        if (e.hlc() > device.clock().acceptableUpTo()) {
            // Applied now, it would sit at a version this device's own later writes cannot beat;
            // parked until the local clock catches up, it applies where those writes order after it.
            parked.park(from, e, FROM_THE_FUTURE);
            earliestFuture = Math.min(earliestFuture, e.hlc());
            tally.parked++;
            return;
        }
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
        Row data = e.op() == Op.DELETE ? null : rows.decode(e.data());
        Columns cols = data == null ? null : Columns.split(t, data);
        MergeRules.Decision d = MergeRules.decide(rv, e.op(), v, cols == null ? List.of() : cols.names(),
                SeenVersions.of(e, data));
        Decided decided = new Decided(from, e, t, key, tk, v, rv, w, cols, d);
        boolean changed = switch (e.op()) {
            case DELETE -> decided.delete(tally);
            case INSERT -> decided.insert(tally);
            default -> decided.update(tally);
        };
        if (!changed) {
            return;
        }
        written.add(new RowKey(tk, e.key()));
        tally.applied++;
        tally.tables.add(t.name());
    }

    /**
     * One incoming change with what the rules need and decided about it, applied by the method of
     * its operation.
     */
    private final class Decided {
        private final String from;
        private final LogEntry e;
        private final TableInfo t;
        private final Object[] key;
        private final String tk;
        private final Version v;
        private final RowVersion rv;
        private final TableWriter w;
        private final Columns cols;
        private final MergeRules.Decision d;

        Decided(String from, LogEntry e, TableInfo t, Object[] key, String tk, Version v, RowVersion rv, TableWriter w,
                Columns cols, MergeRules.Decision d) {
            this.from = from;
            this.e = e;
            this.t = t;
            this.key = key;
            this.tk = tk;
            this.v = v;
            this.rv = rv;
            this.w = w;
            this.cols = cols;
            this.d = d;
        }

        /** A delete the rules decided: removes the row, keeping columns written after it; true when it changed data. */
        boolean delete(Tally tally) throws SQLException {
            conflicts.settleSameKey(t.name(), e.key(), d.settlesBefore());
            if (!d.applies()) {
                if (!d.after().equals(rv)) {
                    versions.put(tk, e.key(), d.after());
                }
                tally.skipped++;
                return false;
            }
            if (!d.outliving().isEmpty()) {
                keepNewerUpdates(t, e, key, d.outliving());
            }
            conflicts.settleConcurrentEdits(t.name(), e.key());
            w.delete(key);
            versions.put(tk, e.key(), d.after());
            return true;
        }

        /**
         * An insert the rules decided: adoptions, same-key losers, unique values, then the row;
         * true when it changed data.
         */
        boolean insert(Tally tally) throws SQLException {
            if (!d.applies()) {
                if (rv != null && Adoptions.competing(v, rv)) {
                    // Two devices shared the same row before sync: decided by device id, loser kept if it differs.
                    adoptions.keepLoser(t, e.key(), w.select(key), e.data(), true, rv, v);
                } else if (d.loser() != null && conflicts.recordSameKey(t.name(), e.key(),
                        ValueCodec.encodeRow(cols.names(), cols.values()), d.loser())) {
                    tally.conflicts++;
                }
                tally.skipped++;
                return false;
            }
            if (rv != null && Adoptions.competing(v, rv)) {
                adoptions.keepLoser(t, e.key(), w.select(key), e.data(), false, rv, v);
            } else if (d.loser() != null) {
                Object[] replaced = w.select(key);
                // A row displaced by a unique collision lost this insert as its kept copy.
                Object[] lost = replaced != null ? replaced : claims.keptCopy(t, e.key());
                if (conflicts.recordSameKey(t.name(), e.key(), UniqueClaims.rowBytes(t, lost), d.loser())) {
                    tally.conflicts++;
                }
            }
            Columns picked = cols.pick(n -> t.isPrimaryKeyColumn(n) || d.takes(n));
            List<String> names = picked.names();
            List<Object> values = picked.values();
            RowVersion after = d.after();
            versions.put(tk, e.key(), after);
            if (claims.keptAside(t, e.key(), key, picked)) {
                cols.parkUnknown(parked, from, e, tally);
                return true;
            }
            byte[] winner = claims.resolve(t, e.key(), after, names, values, tally);
            if (winner != null) {
                // Displaced: the row lives on in _sync_conflict until its unique value is free,
                // as this insert leaves it: columns an update newer than the insert wrote keep their value.
                Object[] replaced = w.select(key);
                byte[] kept = replaced == null ? ValueCodec.encodeRow(cols.names(), cols.values())
                        : UniqueClaims.merged(UniqueClaims.rowBytes(t, replaced), picked);
                claims.setAside(t, e.key(), key, winner, kept, v);
            } else {
                w.upsert(names, values);
            }
            cols.parkUnknown(parked, from, e, tally);
            return true;
        }

        /**
         * An update the rules decided: parked, concurrent edits, unique values, then the columns it
         * takes; true when it changed data.
         */
        boolean update(Tally tally) throws SQLException {
            if (d.action() == MergeRules.Action.PARK) {
                // The delete wins, but an insert of the same key may still bring the row back:
                // this newer update must then apply, as it does where it arrived after that insert.
                // Without its seen versions, as the delete keeps the row's newer columns: alike everywhere.
                parked.park(from, e.withSeen(null), LostUpdates.ROW_DELETED);
                tally.parked++;
                return false;
            }
            if (!d.applies()) {
                recordConcurrent(t, e.key(), d, v, cols, null, tally);
                if (rv == null || !rv.deleted()) {
                    cols.parkUnknown(parked, from, e, tally);
                }
                tally.skipped++;
                return false;
            }
            Columns picked = cols.pick(d::takes);
            List<String> names = picked.names();
            List<Object> values = picked.values();
            RowVersion after = d.after();
            Object[] current = w.select(key);
            recordConcurrent(t, e.key(), d, v, cols, current, tally);
            if (current == null) {
                if (claims.keptAside(t, e.key(), key, picked)) {
                    versions.put(tk, e.key(), after);
                    return true;
                }
                // The row is not here yet: its insert has not arrived.
                parked.park(from, e, "row does not exist here yet");
                tally.parked++;
                return false;
            }
            versions.put(tk, e.key(), after);
            byte[] winner = claims.resolve(t, e.key(), after, names, values, tally);
            if (winner != null) {
                for (int i = 0; i < names.size(); i++) {
                    current[t.position(names.get(i))] = values.get(i);
                }
                claims.setAside(t, e.key(), key, winner, UniqueClaims.rowBytes(t, current), v);
            } else {
                w.update(key, names, values);
            }
            cols.parkUnknown(parked, from, e, tally);
            return true;
        }
    }

    /**
     * Keeps the column values an update lost or defeated in a concurrent edit: the incoming value
     * when the stored version won, else the value in the table before the update ({@code current};
     * null when the row is not in its table, whose value then is not at hand).
     */
    private void recordConcurrent(TableInfo t, byte[] pk, MergeRules.Decision d, Version incoming, Columns cols,
                                  Object[] current, Tally tally) throws SQLException {
        for (MergeRules.ConcurrentEdit edit : d.concurrent()) {
            Object value;
            if (edit.loser().equals(incoming)) {
                value = cols.value(edit.column());
            } else if (current != null) {
                value = current[t.position(edit.column())];
            } else {
                continue;
            }
            if (conflicts.recordConcurrentEdit(t.name(), pk, edit.column(), value, edit.loser(), edit.winner())) {
                tally.conflicts++;
            }
        }
    }

    /**
     * Puts displaced rows back whose unique value is free again, and settles entries of rows that
     * were deleted or re-inserted since. Run after integrating; converges whatever the order.
     */
    public Outcome settle() throws SQLException {
        return claims.settle(schema);
    }

    /**
     * Before a delete removes a row, columns written by updates newer than the delete (which its
     * device had not seen) are kept as parked updates, exactly as if they had arrived after it.
     */
    private void keepNewerUpdates(TableInfo t, LogEntry e, Object[] key, Map<String, Version> outliving)
            throws SQLException {
        Map<Version, List<String>> newer = new java.util.TreeMap<>();
        outliving.forEach((c, cv) -> newer.computeIfAbsent(cv, x -> new ArrayList<>()).add(c));
        Object[] row = writer(t).select(key);
        if (row == null) {
            // Displaced by a unique collision: the newer columns are in the kept copy.
            row = claims.keptCopy(t, e.key());
        }
        if (row == null) {
            return;
        }
        for (Map.Entry<Version, List<String>> group : newer.entrySet()) {
            List<String> names = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (String c : group.getValue()) {
                int at = t.position(c);
                if (at >= 0) {
                    names.add(t.columns().get(at).name());
                    values.add(row[at]);
                }
            }
            Version cv = group.getKey();
            parked.park(cv.device(), new LogEntry(cv.hlc(), e.table(), Op.UPDATE, e.key(),
                    ValueCodec.encodeRow(names, values)), LostUpdates.ROW_DELETED);
        }
    }

    @Override
    public void close() throws SQLException {
        for (TableWriter w : writers.values()) {
            w.close();
        }
        fresh.close();
        versions.close();
    }
}
