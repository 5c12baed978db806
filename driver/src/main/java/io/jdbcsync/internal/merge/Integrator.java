package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.device.Device;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.value.Row;
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
    private final Set<RowKey> written = new HashSet<>();
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
            schema = s;
        }
        versions.reset();
        conflicts.reset();
        written.clear();
    }

    /** Ends a transaction's work: runs batched writes and writes the version metadata. */
    public void finish() throws SQLException {
        flushWrites();
        versions.flush();
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
        prefetch(local);
        for (int i = 0; i < local.size(); i++) {
            LogEntry e = local.get(i);
            String t = e.table().toLowerCase(Locale.ROOT);
            Version v = new Version(e.hlc(), device.id());
            RowVersion rv = versions.get(t, e.key());
            if (e.op() == Op.UPDATE) {
                // Already in the table: every column records the write, even on a row deleted meanwhile.
                List<String> names = updated != null && updated.get(i) != null ? updated.get(i)
                        : ValueCodec.decodeRow(e.data()).columns();
                versions.put(t, e.key(), (rv == null ? RowVersion.UNKNOWN_LIVE : rv).updated(names, v));
            } else {
                MergeRules.Decision d = MergeRules.decide(rv, e.op(), v, List.of());
                if (!d.after().equals(rv)) {
                    versions.put(t, e.key(), d.after());
                }
                if (d.settlesBefore() != null) {
                    conflicts.settleSameKey(e.table(), e.key(), d.settlesBefore());
                }
                if (d.loser() != null) {
                    // Replaced here by this device's own insert (REPLACE): the lost row is no longer at hand.
                    conflicts.recordSameKey(e.table(), e.key(), ValueCodec.encodeRow(List.of(), List.of()), d.loser());
                }
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

    /**
     * Tries parked changes again, only those something could have unparked since the last retry:
     * all of them when the schema changed (or on the first retry of this integrator), those of rows
     * whose versions changed, and those from the future the clock has caught up with. A sync that
     * brings nothing new does not touch them.
     */
    public Outcome retryParked() throws SQLException {
        Tally tally = new Tally();
        Set<RowKey> touched = versions.drainTouched();
        if (parked.count() == 0) {
            // Nothing to wake: every parked change (none) was retried with this schema.
            retriedWith = schema;
            earliestFuture = Long.MAX_VALUE;
            return tally.outcome();
        }
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
        Columns cols = e.op() == Op.DELETE ? null : split(t, ValueCodec.decodeRow(e.data()));
        MergeRules.Decision d = MergeRules.decide(rv, e.op(), v, cols == null ? List.of() : cols.names);
        switch (e.op()) {
            case DELETE:
                conflicts.settleSameKey(t.name(), e.key(), d.settlesBefore());
                if (!d.applies()) {
                    if (!d.after().equals(rv)) {
                        versions.put(tk, e.key(), d.after());
                    }
                    tally.skipped++;
                    return;
                }
                if (!d.outliving().isEmpty()) {
                    keepNewerUpdates(t, e, key, d.outliving());
                }
                w.delete(key);
                versions.put(tk, e.key(), d.after());
                break;
            case INSERT: {
                if (!d.applies()) {
                    if (rv != null && competingAdoptions(v, rv)) {
                        // Two devices shared the same row before sync: decided by device id, loser kept if it differs.
                        keepLosingAdoption(t, e.key(), w.select(key), e.data(), true, rv, v);
                    } else if (d.loser() != null && conflicts.recordSameKey(t.name(), e.key(),
                            ValueCodec.encodeRow(cols.names, cols.values), d.loser())) {
                        tally.conflicts++;
                    }
                    tally.skipped++;
                    return;
                }
                if (rv != null && competingAdoptions(v, rv)) {
                    keepLosingAdoption(t, e.key(), w.select(key), e.data(), false, rv, v);
                } else if (d.loser() != null) {
                    Object[] replaced = w.select(key);
                    // A row displaced by a unique collision lost this insert as its kept copy.
                    Object[] lost = replaced != null ? replaced : keptCopy(t, e.key());
                    if (conflicts.recordSameKey(t.name(), e.key(), rowBytes(t, lost), d.loser())) {
                        tally.conflicts++;
                    }
                }
                Columns picked = cols.pick(n -> t.isPrimaryKeyColumn(n) || d.takes(n));
                List<String> names = picked.names;
                List<Object> values = picked.values;
                RowVersion after = d.after();
                versions.put(tk, e.key(), after);
                if (keptAside(t, e.key(), key, picked)) {
                    parkUnknown(from, e, cols, tally);
                    break;
                }
                byte[] winner = claimUnique(t, e.key(), after, names, values, tally);
                if (winner != null) {
                    // Displaced: the row lives on in _sync_conflict until its unique value is free,
                    // as this insert leaves it: columns an update newer than the insert wrote keep their value.
                    Object[] replaced = w.select(key);
                    byte[] kept = replaced == null ? ValueCodec.encodeRow(cols.names, cols.values)
                            : merged(rowBytes(t, replaced), picked);
                    w.delete(key);
                    conflicts.record(t.name(), e.key(), winner, kept,
                            "unique value claimed earlier by the row with key " + keyText(winner), v);
                } else {
                    w.upsert(names, values);
                }
                parkUnknown(from, e, cols, tally);
                break;
            }
            default: {
                if (d.action() == MergeRules.Action.PARK) {
                    // The delete wins, but an insert of the same key may still bring the row back:
                    // this newer update must then apply, as it does where it arrived after that insert.
                    parked.park(from, e, LostUpdates.ROW_DELETED);
                    tally.parked++;
                    return;
                }
                if (!d.applies()) {
                    if (rv == null || !rv.deleted()) {
                        parkUnknown(from, e, cols, tally);
                    }
                    tally.skipped++;
                    return;
                }
                Columns picked = cols.pick(d::takes);
                List<String> names = picked.names;
                List<Object> values = picked.values;
                RowVersion after = d.after();
                Object[] current = w.select(key);
                if (current == null) {
                    if (keptAside(t, e.key(), key, picked)) {
                        versions.put(tk, e.key(), after);
                        break;
                    }
                    // The row is not here yet: its insert has not arrived.
                    parked.park(from, e, "row does not exist here yet");
                    tally.parked++;
                    return;
                }
                versions.put(tk, e.key(), after);
                byte[] winner = claimUnique(t, e.key(), after, names, values, tally);
                if (winner != null) {
                    for (int i = 0; i < names.size(); i++) {
                        current[t.position(names.get(i))] = values.get(i);
                    }
                    w.delete(key);
                    conflicts.record(t.name(), e.key(), winner, rowBytes(t, current),
                            "unique value claimed earlier by the row with key " + keyText(winner), v);
                } else {
                    w.update(key, names, values);
                }
                parkUnknown(from, e, cols, tally);
                break;
            }
        }
        written.add(new RowKey(tk, e.key()));
        tally.applied++;
        tally.tables.add(t.name());
    }

    /** Two devices shared the same pre-existing row (adoption) and the row is live here. */
    private static boolean competingAdoptions(Version incoming, RowVersion local) {
        return incoming.adoption() && local.lifecycle().adoption() && !local.deleted()
                && !incoming.device().equals(local.lifecycle().device());
    }

    /**
     * Keeps the losing adopted version of a row in {@code _sync_conflict} (settled: it is only there
     * to be seen) when it differs from the winner; the loser is the incoming row or the stored one.
     */
    private void keepLosingAdoption(TableInfo t, byte[] pk, Object[] current, byte[] incoming, boolean incomingLost,
                                    RowVersion local, Version remote) throws SQLException {
        if (current == null) {
            return;
        }
        Version loser = incomingLost ? remote : local.lifecycle();
        Version winner = incomingLost ? local.lifecycle() : remote;
        byte[] stored = io.jdbcsync.internal.capture.RowCodec.fullRow(device.dialect(), t, current);
        // Columns a real write changed since are decided by that write, not by the adoption.
        if (sameRow(stored, incoming, n -> !local.column(n).newerThan(local.lifecycle()))) {
            return;
        }
        conflicts.recordSettled(t.name(), pk, incomingLost ? incoming : stored, "the same row existed on devices "
                + loser.device() + " and " + winner.device() + " before sync; the adoption by " + winner.device() + " wins", loser);
    }

    private static boolean sameRow(byte[] a, byte[] b, java.util.function.Predicate<String> compared) {
        Map<String, Object> x = rowMap(ValueCodec.decodeRow(a));
        Map<String, Object> y = rowMap(ValueCodec.decodeRow(b));
        if (!x.keySet().equals(y.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> en : x.entrySet()) {
            if (compared.test(en.getKey()) && !sameValue(en.getValue(), y.get(en.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Equal as values: numbers by value, whatever type each database read them as. */
    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number && b instanceof Number) {
            try {
                return new java.math.BigDecimal(a.toString()).compareTo(new java.math.BigDecimal(b.toString())) == 0;
            } catch (NumberFormatException e) {
                return a.equals(b);
            }
        }
        return java.util.Objects.deepEquals(a, b);
    }

    private static Map<String, Object> rowMap(Row r) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < r.columns().size(); i++) {
            m.put(r.columns().get(i).toLowerCase(Locale.ROOT), r.values().get(i));
        }
        return m;
    }

    /** Known and unknown (not yet in this schema) columns of an entry. */
    private record Columns(List<String> names, List<Object> values, List<String> unknownNames, List<Object> unknownValues) {
        /** The known columns that pass {@code keep}. */
        Columns pick(java.util.function.Predicate<String> keep) {
            List<String> n = new ArrayList<>();
            List<Object> v = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (keep.test(names.get(i))) {
                    n.add(names.get(i));
                    v.add(values.get(i));
                }
            }
            return new Columns(n, v, List.of(), List.of());
        }
    }

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

    /** A row that holds one of the unique values a write wants. */
    private record Collision(Object[] holder, byte[] holderKey, List<String> unique, List<Object> values, int order) { }

    /** Rows (other than this one) holding unique values of the write, with who claimed first. */
    private List<Collision> collisions(TableInfo t, byte[] myKey, RowVersion mine, List<String> names,
                                       List<Object> values) throws SQLException {
        TableWriter w = writer(t);
        String tk = t.name().toLowerCase(Locale.ROOT);
        Object[] key = ValueCodec.decodeKey(myKey);
        List<Collision> out = new ArrayList<>();
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
                int order = claim(mine, unique).compareTo(claim(hv == null ? RowVersion.UNKNOWN_LIVE : hv, unique));
                out.add(new Collision(holder, holderKey, unique, uv,
                        order != 0 ? order : java.util.Arrays.compare(myKey, holderKey)));
            }
        }
        return out;
    }

    /**
     * Resolves unique-value collisions of a write before it happens: the row whose claim on the
     * value is older keeps it (claim = version of its unique columns; ties by key bytes). Returns
     * the key of a row that beats this one, or null after displacing every row this one beats.
     */
    private byte[] claimUnique(TableInfo t, byte[] myKey, RowVersion mine, List<String> names, List<Object> values,
                               Tally tally) throws SQLException {
        List<Collision> found = collisions(t, myKey, mine, names, values);
        tally.conflicts += found.size();
        for (Collision c : found) {
            if (c.order() > 0) {
                return c.holderKey();
            }
        }
        TableWriter w = writer(t);
        String tk = t.name().toLowerCase(Locale.ROOT);
        for (Collision c : found) {
            RowVersion hv = versions.get(tk, c.holderKey());
            conflicts.record(t.name(), c.holderKey(), myKey, rowBytes(t, w.select(c.holder())),
                    "unique " + c.unique() + " = " + c.values() + " in " + t.name()
                            + " claimed earlier by the row with key " + keyText(myKey),
                    hv == null ? Version.ORIGIN : hv.lifecycle());
            w.delete(c.holder());
        }
        return null;
    }

    private static Version claim(RowVersion rv, List<String> unique) {
        Version claim = Version.ORIGIN;
        for (String col : unique) {
            claim = Version.max(claim, rv.column(col));
        }
        return claim;
    }

    /**
     * Puts displaced rows back whose unique value is free again, and settles entries of rows that
     * were deleted or re-inserted since. Run after integrating; converges whatever the order.
     */
    public Outcome settle() throws SQLException {
        Tally tally = new Tally();
        for (ConflictLog.Displaced d : conflicts.active()) {
            TableInfo t = schema.table(d.table());
            if (t == null) {
                continue;
            }
            String tk = t.name().toLowerCase(Locale.ROOT);
            RowVersion rv = versions.get(tk, d.key());
            Object[] key = ValueCodec.decodeKey(d.key());
            TableWriter w = writer(t);
            if (rv == null || rv.deleted() || w.select(key) != null) {
                conflicts.deactivate(d.table(), d.key());
                continue;
            }
            Columns cols = split(t, ValueCodec.decodeRow(d.row()));
            if (collisions(t, d.key(), rv, cols.names, cols.values).stream().anyMatch(c -> c.order() > 0)) {
                continue;
            }
            claimUnique(t, d.key(), rv, cols.names, cols.values, tally);
            w.upsert(cols.names, cols.values);
            versions.touch(new RowKey(tk, d.key()));
            conflicts.deactivate(d.table(), d.key());
            tally.applied++;
            tally.tables.add(t.name());
        }
        return tally.outcome();
    }

    private static String keyText(byte[] key) {
        return java.util.Arrays.toString(ValueCodec.decodeKey(key));
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
            row = keptCopy(t, e.key());
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

    /**
     * When the row is out of its table after a unique collision, a change to it goes to the kept
     * copy instead, and {@link #settle()} judges the row again with its new values. True if so.
     */
    private boolean keptAside(TableInfo t, byte[] encodedKey, Object[] key, Columns changes) throws SQLException {
        ConflictLog.Displaced displaced = conflicts.activeFor(t.name(), encodedKey);
        if (displaced == null || writer(t).select(key) != null) {
            return false;
        }
        conflicts.updateRow(displaced.id(), merged(displaced.row(), changes));
        return true;
    }

    /**
     * The copy kept in {@code _sync_conflict} of a row displaced by a unique collision, in table
     * column order (columns it lacks are null), or null when the row is not displaced.
     */
    private Object[] keptCopy(TableInfo t, byte[] encodedKey) throws SQLException {
        ConflictLog.Displaced displaced = conflicts.activeFor(t.name(), encodedKey);
        if (displaced == null) {
            return null;
        }
        Row kept = ValueCodec.decodeRow(displaced.row());
        Object[] row = new Object[t.columns().size()];
        for (int i = 0; i < kept.columns().size(); i++) {
            int at = t.position(kept.columns().get(i));
            if (at >= 0) {
                row[at] = kept.values().get(i);
            }
        }
        return row;
    }

    /** A kept row with some columns replaced. */
    private static byte[] merged(byte[] row, Columns changes) {
        Row kept = ValueCodec.decodeRow(row);
        List<String> names = new ArrayList<>(kept.columns());
        List<Object> values = new ArrayList<>(kept.values());
        for (int i = 0; i < changes.names.size(); i++) {
            int at = indexOfIgnoreCase(names, changes.names.get(i));
            if (at < 0) {
                names.add(changes.names.get(i));
                values.add(changes.values.get(i));
            } else {
                values.set(at, changes.values.get(i));
            }
        }
        return ValueCodec.encodeRow(names, values);
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
