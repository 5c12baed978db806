package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.clock.Hlc;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.value.RowReader;
import io.jdbcsync.internal.value.ValueCodec;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The inserts of a pulled batch that the integrator would apply as they are, written in bulk
 * instead of one decision and one upsert each: an insert of a row this device has no version of
 * (neither {@code _sync_row} nor a pack), the only entry of its key in the batch, into a synced
 * table with no row waiting in {@code _sync_conflict}, every column known here, the whole key, a
 * clock value this device accepts. For such an insert the rules decide "apply, all columns, no
 * loser" ({@code MergeRules.decide(null, INSERT, ...)}); the table's own constraints guard the rest:
 * a row already in the table without a version (written outside sync), a unique value another row
 * holds, a foreign key, a check or a trigger refusal rolls the bulk insert back to a savepoint and
 * every entry goes to the integrator, which keeps each conflict rule in one place.
 */
final class FreshInserts implements AutoCloseable {
    /** Fewer qualifying inserts than this in a batch are not worth a savepoint. */
    static final int LEAST = 8;

    private final Connection c;
    private final VersionStore versions;
    private final ConflictLog conflicts;
    private final BulkRows rows;
    private final RowReader reader = new RowReader();
    /** The table name of the entry last qualified, the schema it was looked up in, and what it found. */
    private String named;
    private Schema namedIn;
    private TableInfo namedTable;
    /** The table last qualified for, and its name in lower case. */
    private TableInfo rowTable;
    private String rowLower;
    /** The table's own names ({@link BulkRows#plainColumns}) of the logged columns last seen, of the table last seen. */
    private TableInfo plainTable;
    private List<String> plainLogged;
    private List<String> plainNames;

    FreshInserts(Connection c, BulkRows rows, VersionStore versions, ConflictLog conflicts) {
        this.c = c;
        this.rows = rows;
        this.versions = versions;
        this.conflicts = conflicts;
    }

    /** One qualifying insert: where it goes, its row (as the versions know it) and the version it gets. */
    private record Fresh(TableInfo table, RowKey row, LogEntry entry, Version version) { }

    /**
     * Inserts the qualifying entries of one device's batch (versions prefetched; {@code keys[i]} is
     * the row of {@code entries.get(i)}, its table's name in lower case), records their versions,
     * and returns the others, in their order, for the integrator.
     */
    List<LogEntry> load(String from, List<LogEntry> entries, RowKey[] keys, Schema schema, Hlc clock, Tally tally,
                        List<RowKey> written) throws SQLException {
        if (entries.size() < LEAST) {
            return entries;
        }
        Set<RowKey> seen = new HashSet<>(entries.size() * 2);
        Set<RowKey> repeated = new HashSet<>();
        for (RowKey k : keys) {
            if (!seen.add(k)) {
                repeated.add(k);
            }
        }
        Set<String> waiting = conflicts.activeTables(); // tables with a row kept in _sync_conflict
        long acceptable = clock.acceptableUpTo();
        rows.clear(); // nothing a failed batch before may have left
        List<Fresh> fresh = new ArrayList<>();
        List<LogEntry> rest = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            LogEntry e = entries.get(i);
            Fresh f = e.op() == Op.INSERT && e.hlc() <= acceptable && !repeated.contains(keys[i])
                    ? qualify(from, e, keys[i], schema, waiting) : null;
            if (f == null) {
                rest.add(e);
            } else {
                fresh.add(f);
            }
        }
        if (fresh.size() < LEAST) {
            rows.clear();
            return entries;
        }
        // Not released: the commit releases it, and a release is a round trip on MariaDB.
        Savepoint before = c.setSavepoint();
        try {
            rows.insert();
        } catch (SQLException e) {
            rows.clear();
            if (!BulkRows.refusedByConstraint(e)) {
                throw e;
            }
            c.rollback(before);
            return entries;
        }
        long newest = 0;
        for (Fresh f : fresh) {
            LogEntry e = f.entry();
            versions.put(f.row(), MergeRules.decide(null, Op.INSERT, f.version(), List.of()).after());
            written.add(f.row());
            newest = Math.max(newest, e.hlc());
            tally.applied++;
            tally.tables.add(f.table().name());
        }
        clock.observe(newest);
        return rest;
    }

    /**
     * The insert, added to the bulk rows, or null when the integrator must decide it. {@code key}
     * is its row under the lower-case name the entry gives its table.
     */
    private Fresh qualify(String from, LogEntry e, RowKey key, Schema schema, Set<String> waiting) throws SQLException {
        if (schema != namedIn || !e.table().equals(named)) {
            namedIn = schema;
            named = e.table();
            namedTable = schema.table(named);
        }
        TableInfo t = namedTable;
        if (t == null || !t.synced()) {
            return null;
        }
        if (t != rowTable) {
            // The versions know a row by its table's own name in lower case.
            rowTable = t;
            rowLower = t.name().toLowerCase(Locale.ROOT);
        }
        RowKey row = key.table().equals(rowLower) ? key : new RowKey(rowLower, e.key());
        if (waiting.contains(rowLower) || versions.get(row) != null || !wholeKey(t, e.key())) {
            return null;
        }
        List<Object> values = reader.values(e.data());
        List<String> logged = reader.columns();
        if (t != plainTable || logged != plainLogged) {
            // The reader hands out one list of names per run of rows with the same columns.
            plainTable = t;
            plainLogged = logged;
            plainNames = BulkRows.plainColumns(t, plainLogged);
        }
        if (plainNames == null) {
            return null;
        }
        rows.add(t, plainNames, values);
        return new Fresh(t, row, e, new Version(e.hlc(), from));
    }

    /** True when the key has as many values as the table's primary key (a single integer read without decoding it). */
    private static boolean wholeKey(TableInfo t, byte[] key) {
        int values = InsertPacks.integerKey(key) != null ? 1 : ValueCodec.decodeKey(key).length;
        return values == t.primaryKey().size();
    }

    @Override
    public void close() throws SQLException {
        rows.close();
    }
}
