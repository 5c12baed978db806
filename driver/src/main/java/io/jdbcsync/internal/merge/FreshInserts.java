package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.clock.Hlc;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.value.Row;
import io.jdbcsync.internal.value.RowReader;
import io.jdbcsync.internal.value.ValueCodec;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** One qualifying insert: where it goes and the version it gets. */
    private record Fresh(TableInfo table, String lower, LogEntry entry, Row row, Version version) { }

    /**
     * Inserts the qualifying entries of one device's batch (versions prefetched), records their
     * versions, and returns the others, in their order, for the integrator.
     */
    List<LogEntry> load(String from, List<LogEntry> entries, Schema schema, Hlc clock, Tally tally, Set<RowKey> written)
            throws SQLException {
        if (entries.size() < LEAST) {
            return entries;
        }
        Map<RowKey, Integer> perKey = new HashMap<>();
        for (LogEntry e : entries) {
            perKey.merge(new RowKey(e.table().toLowerCase(Locale.ROOT), e.key()), 1, Integer::sum);
        }
        Set<String> waiting = new HashSet<>(); // tables with a row kept in _sync_conflict
        for (ConflictLog.Displaced d : conflicts.active()) {
            waiting.add(d.table().toLowerCase(Locale.ROOT));
        }
        long acceptable = clock.acceptableUpTo();
        List<Fresh> fresh = new ArrayList<>();
        List<LogEntry> rest = new ArrayList<>();
        for (LogEntry e : entries) {
            Fresh f = e.op() == Op.INSERT && e.hlc() <= acceptable ? qualify(from, e, schema, perKey, waiting) : null;
            if (f == null) {
                rest.add(e);
            } else {
                fresh.add(f);
            }
        }
        if (fresh.size() < LEAST) {
            return entries;
        }
        for (Fresh f : fresh) {
            rows.add(f.table(), f.row());
        }
        Savepoint before = c.setSavepoint();
        try {
            rows.insert();
            c.releaseSavepoint(before);
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
            versions.put(f.lower(), e.key(), MergeRules.decide(null, Op.INSERT, f.version(), List.of()).after());
            written.add(new RowKey(f.lower(), e.key()));
            newest = Math.max(newest, e.hlc());
            tally.applied++;
            tally.tables.add(f.table().name());
        }
        clock.observe(newest);
        return rest;
    }

    /** The insert as a bulk row, or null when the integrator must decide it. */
    private Fresh qualify(String from, LogEntry e, Schema schema, Map<RowKey, Integer> perKey, Set<String> waiting)
            throws SQLException {
        TableInfo t = schema.table(e.table());
        if (t == null || !t.synced()) {
            return null;
        }
        String lower = t.name().toLowerCase(Locale.ROOT);
        if (waiting.contains(lower) || perKey.get(new RowKey(e.table().toLowerCase(Locale.ROOT), e.key())) != 1
                || versions.get(lower, e.key()) != null
                || ValueCodec.decodeKey(e.key()).length != t.primaryKey().size()) {
            return null;
        }
        Row logged = reader.decode(e.data());
        if (t != plainTable || logged.columns() != plainLogged) {
            // The reader hands out one list of names per run of rows with the same columns.
            plainTable = t;
            plainLogged = logged.columns();
            plainNames = BulkRows.plainColumns(t, plainLogged);
        }
        if (plainNames == null) {
            return null;
        }
        return new Fresh(t, lower, e, new Row(plainNames, logged.values()), new Version(e.hlc(), from));
    }

    @Override
    public void close() throws SQLException {
        rows.close();
    }
}
