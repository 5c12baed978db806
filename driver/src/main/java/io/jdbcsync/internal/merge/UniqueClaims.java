package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.value.Row;
import io.jdbcsync.internal.value.ValueCodec;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Arbitration of unique values (see docs/ARCHITECTURE.md, "Conflict rules"): when two rows want
 * the same unique value, the row that claimed it first keeps it (claim = newest version among its
 * unique columns; ties by key bytes), whatever order the writes arrive in. The other row is set
 * aside in {@code _sync_conflict}, where later changes to it go, and comes back by
 * {@link #settle(Schema)} once the value is free. Kept apart from the integrator because the same
 * arbitration runs for incoming writes and for rows coming back.
 */
final class UniqueClaims {
    private final VersionStore versions;
    private final ConflictLog conflicts;
    /** The integrator's writer of a table (one per table and schema). */
    private final Function<TableInfo, TableWriter> writers;

    UniqueClaims(VersionStore versions, ConflictLog conflicts, Function<TableInfo, TableWriter> writers) {
        this.versions = versions;
        this.conflicts = conflicts;
        this.writers = writers;
    }

    /** A row that holds one of the unique values a write wants. */
    private record Collision(Object[] holder, byte[] holderKey, List<String> unique, List<Object> values, int order) { }

    /** Rows (other than this one) holding unique values of the write, with who claimed first. */
    private List<Collision> collisions(TableInfo t, byte[] myKey, RowVersion mine, List<String> names,
                                       List<Object> values) throws SQLException {
        TableWriter w = writers.apply(t);
        String tk = t.name().toLowerCase(Locale.ROOT);
        Object[] key = ValueCodec.decodeKey(myKey);
        List<Collision> out = new ArrayList<>();
        for (List<String> unique : t.uniqueKeys()) {
            List<Object> uv = new ArrayList<>();
            for (String col : unique) {
                int i = Columns.indexOf(names, col);
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
                        order != 0 ? order : Arrays.compare(myKey, holderKey)));
            }
        }
        return out;
    }

    /**
     * Resolves unique-value collisions of a write before it happens: the row whose claim on the
     * value is older keeps it. Returns the key of a row that beats this one, or null after
     * displacing every row this one beats.
     */
    byte[] resolve(TableInfo t, byte[] myKey, RowVersion mine, List<String> names, List<Object> values,
                   Tally tally) throws SQLException {
        List<Collision> found = collisions(t, myKey, mine, names, values);
        tally.conflicts += found.size();
        for (Collision c : found) {
            if (c.order() > 0) {
                return c.holderKey();
            }
        }
        TableWriter w = writers.apply(t);
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
     * Takes a row that lost a unique value to {@code winner} out of its table and keeps it in
     * {@code _sync_conflict} as {@code kept}, until its unique value is free.
     */
    void setAside(TableInfo t, byte[] encodedKey, Object[] key, byte[] winner, byte[] kept, Version v)
            throws SQLException {
        writers.apply(t).delete(key);
        conflicts.record(t.name(), encodedKey, winner, kept,
                "unique value claimed earlier by the row with key " + keyText(winner), v);
    }

    /**
     * Puts displaced rows back whose unique value is free again, and settles entries of rows that
     * were deleted or re-inserted since. Run after integrating; converges whatever the order.
     */
    Integrator.Outcome settle(Schema schema) throws SQLException {
        Tally tally = new Tally();
        for (ConflictLog.Displaced d : conflicts.active()) {
            TableInfo t = schema.table(d.table());
            if (t == null) {
                continue;
            }
            String tk = t.name().toLowerCase(Locale.ROOT);
            RowVersion rv = versions.get(tk, d.key());
            Object[] key = ValueCodec.decodeKey(d.key());
            TableWriter w = writers.apply(t);
            if (rv == null || rv.deleted() || w.select(key) != null) {
                conflicts.deactivate(d.table(), d.key());
                continue;
            }
            Columns cols = Columns.split(t, ValueCodec.decodeRow(d.row()));
            if (collisions(t, d.key(), rv, cols.names(), cols.values()).stream().anyMatch(c -> c.order() > 0)) {
                continue;
            }
            resolve(t, d.key(), rv, cols.names(), cols.values(), tally);
            w.upsert(cols.names(), cols.values());
            versions.touch(new RowKey(tk, d.key()));
            conflicts.deactivate(d.table(), d.key());
            tally.applied++;
            tally.tables.add(t.name());
        }
        return tally.outcome();
    }

    /**
     * When the row is out of its table after a unique collision, a change to it goes to the kept
     * copy instead, and {@link #settle(Schema)} judges the row again with its new values. True if so.
     */
    boolean keptAside(TableInfo t, byte[] encodedKey, Object[] key, Columns changes) throws SQLException {
        ConflictLog.Displaced displaced = conflicts.activeFor(t.name(), encodedKey);
        if (displaced == null || writers.apply(t).select(key) != null) {
            return false;
        }
        conflicts.updateRow(displaced.id(), merged(displaced.row(), changes));
        return true;
    }

    /**
     * The copy kept in {@code _sync_conflict} of a row displaced by a unique collision, in table
     * column order (columns it lacks are null), or null when the row is not displaced.
     */
    Object[] keptCopy(TableInfo t, byte[] encodedKey) throws SQLException {
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
    static byte[] merged(byte[] row, Columns changes) {
        Row kept = ValueCodec.decodeRow(row);
        List<String> names = new ArrayList<>(kept.columns());
        List<Object> values = new ArrayList<>(kept.values());
        for (int i = 0; i < changes.names().size(); i++) {
            int at = Columns.indexOf(names, changes.names().get(i));
            if (at < 0) {
                names.add(changes.names().get(i));
                values.add(changes.values().get(i));
            } else {
                values.set(at, changes.values().get(i));
            }
        }
        return ValueCodec.encodeRow(names, values);
    }

    /** A row read from its table (in table column order) as kept in {@code _sync_conflict}; empty if null. */
    static byte[] rowBytes(TableInfo t, Object[] row) {
        if (row == null) {
            return ValueCodec.encodeRow(List.of(), List.of());
        }
        List<String> names = new ArrayList<>();
        for (var c : t.columns()) {
            names.add(c.name());
        }
        return ValueCodec.encodeRow(names, Arrays.asList(row));
    }

    private static String keyText(byte[] key) {
        return Arrays.toString(ValueCodec.decodeKey(key));
    }
}
