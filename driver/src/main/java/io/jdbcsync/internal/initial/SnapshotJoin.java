package io.jdbcsync.internal.initial;

import io.jdbcsync.internal.compact.Compactor;
import io.jdbcsync.internal.compact.Manifest;
import io.jdbcsync.internal.device.Device;
import io.jdbcsync.internal.device.MetadataStore;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.jdbc.MultiRowInsert;
import io.jdbcsync.internal.jdbc.ScalarQueries;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.merge.BulkRows;
import io.jdbcsync.internal.merge.ConflictLog;
import io.jdbcsync.internal.merge.MergeRules;
import io.jdbcsync.internal.merge.ParkedChanges;
import io.jdbcsync.internal.merge.RowVersion;
import io.jdbcsync.internal.merge.Version;
import io.jdbcsync.internal.merge.VersionStore;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.value.Row;
import io.jdbcsync.internal.value.ValueCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A device joining from a snapshot loads the snapshot's plain rows of the synced tables it holds
 * nothing of yet in bulk (multi-row inserts, with their versions into {@code _sync_row}), instead
 * of deciding each through the integrator. A row qualifies when its entry is an insert of known
 * columns and the row has neither a table row nor a version here: exactly the case where the
 * integrator would insert it as it is. Primary keys of the table and of {@code _sync_row} enforce
 * that second part; a part that hits any constraint goes to the integrator whole. Everything else
 * (deletes, updates, losing inserts, unknown columns, changes from the future) is returned for the
 * integrator, which keeps every conflict rule in one place.
 *
 * <p>Resumable: which tables load in bulk and how many parts are done are kept in
 * {@code _sync_state}, written in each part's transaction.
 */
public final class SnapshotJoin implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotJoin.class);
    static final String CHECKPOINT = "snapshot.join";

    private final Connection c;
    private final Device device;
    private final Dialect dialect;
    private final long snapshot;
    /** Lower-case names of the tables loaded in bulk (empty: none, everything goes to the integrator). */
    private final Set<String> tables;
    private final int partsDone;
    private final BulkRows rows;
    private MultiRowInsert<Object[]> versions;
    private long loaded;
    private final Set<String> partTables = new TreeSet<>();

    private SnapshotJoin(Connection c, Device device, long snapshot, Set<String> tables, int partsDone) {
        this.c = c;
        this.device = device;
        this.dialect = device.dialect();
        this.snapshot = snapshot;
        this.tables = tables;
        this.partsDone = partsDone;
        this.rows = new BulkRows(c, dialect);
    }

    /**
     * Starts loading snapshot {@code number}, or resumes an interrupted load of it. The tables
     * chosen by an interrupted load of an older snapshot stay chosen: what that load wrote is
     * guarded by the same primary keys.
     */
    public static SnapshotJoin start(Connection c, Device device, long number) throws SQLException {
        String at = MetadataStore.get(c, CHECKPOINT);
        if (at != null) {
            String[] f = at.split("\t", -1);
            Set<String> tables = names(f[2]);
            int done = Long.parseLong(f[0]) == number ? Integer.parseInt(f[1]) : 0;
            LOG.info("resuming the bulk load of snapshot {} at part {} (tables {})", number, done + 1, tables);
            return new SnapshotJoin(c, device, number, tables, done);
        }
        Set<String> tables = new TreeSet<>();
        for (TableInfo t : device.schema(c).tables()) {
            if (t.synced() && holdsNothing(c, device.dialect(), t)) {
                tables.add(t.name().toLowerCase(Locale.ROOT));
            }
        }
        return new SnapshotJoin(c, device, number, tables, 0);
    }

    private static Set<String> names(String list) {
        Set<String> out = new TreeSet<>();
        for (String n : list.split(",")) {
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
        return out;
    }

    /** No row, no version, no parked change and no kept conflict: nothing the integrator would have to weigh. */
    private static boolean holdsNothing(Connection c, Dialect dialect, TableInfo t) throws SQLException {
        String lower = t.name().toLowerCase(Locale.ROOT);
        return !ScalarQueries.anyRow(c, "SELECT 1 FROM " + dialect.quote(t.name()) + " LIMIT 1")
                && !VersionStore.anyVersionOf(c, lower)
                && !ParkedChanges.anyFor(c, lower)
                && !ConflictLog.anyFor(c, lower);
    }

    /**
     * Hands the parts of snapshot {@code m} to {@code consumer} in manifest order, the next part
     * fetched, deciphered and decoded on a second thread while the consumer writes the current one
     * (at most one part waits). A failure to read a part is thrown here.
     */
    public void read(Compactor reader, Manifest m, Compactor.PartConsumer consumer) throws IOException, SQLException {
        Iterator<Manifest.Part> parts = m.parts().iterator();
        try (ReadAhead<DecodedPart> ahead = new ReadAhead<>("jdbc-sync snapshot " + m.number() + " reader", 1, () -> {
            if (!parts.hasNext()) {
                return null;
            }
            Manifest.Part p = parts.next();
            try {
                return new DecodedPart(p.device(), reader.readPart(m, p));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        })) {
            for (DecodedPart p = ahead.next(); p != null; p = ahead.next()) {
                consumer.accept(p.device(), p.entries());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private record DecodedPart(String device, List<LogEntry> entries) {
    }

    /** True if part {@code index} (from 0, in manifest order) was applied by an interrupted load. */
    public boolean done(int index) {
        return index < partsDone;
    }

    /** Tables the last {@link #load} inserted rows into. */
    public Set<String> partTables() {
        return partTables;
    }

    /** Rows inserted in bulk so far by this load. */
    public long loaded() {
        return loaded;
    }

    /**
     * Inserts the qualifying rows of one snapshot part and records the part as done, in the
     * caller's transaction. Returns the entries the integrator must apply (all of them when a
     * constraint stopped the bulk insert).
     */
    public List<LogEntry> load(String from, List<LogEntry> entries, int index) throws SQLException {
        List<LogEntry> rest = new ArrayList<>();
        partTables.clear();
        Map<String, List<VersionStore.Stored>> rowVersions = new HashMap<>(); // per lower-case table
        Map<String, Target> targets = new HashMap<>(); // per table name as logged: resolved once, not per row
        Schema schema = device.schema(c);
        long newest = 0;
        for (LogEntry e : entries) {
            Target target = targets.computeIfAbsent(e.table(), n -> {
                String lower = n.toLowerCase(Locale.ROOT);
                TableInfo t = tables.contains(lower) ? schema.table(n) : null;
                return new Target(t, t == null ? null : t.name().toLowerCase(Locale.ROOT));
            });
            TableInfo t = target.table();
            Row row = t == null || e.op() != Op.INSERT ? null : plainRow(t, e);
            if (row == null) {
                rest.add(e);
                continue;
            }
            Version v = new Version(e.hlc(), from);
            RowVersion after = MergeRules.decide(null, Op.INSERT, v, row.columns()).after();
            rows.add(t, row);
            rowVersions.computeIfAbsent(target.lower(), x -> new ArrayList<>()).add(new VersionStore.Stored(e.key(),
                    after.lifecycle().hlc(), after.lifecycle().device(), false, after.encodeColumns()));
            newest = Math.max(newest, e.hlc());
        }
        if (!rowVersions.isEmpty()) {
            Savepoint before = c.setSavepoint();
            try {
                Set<String> written = rows.insert();
                int count = 0;
                for (Map.Entry<String, List<VersionStore.Stored>> v : rowVersions.entrySet()) {
                    count += v.getValue().size();
                    List<VersionStore.Stored> unpacked = VersionStore.pack(c, dialect, v.getKey(), v.getValue());
                    if (unpacked == null) {
                        throw new SQLException("a row of " + v.getKey() + " in this part already has a version here",
                                "23000");
                    }
                    List<Object[]> versionRows = new ArrayList<>(unpacked.size());
                    for (VersionStore.Stored u : unpacked) {
                        versionRows.add(new Object[] {v.getKey(), u.pk(), u.hlc(), u.device(), u.cols()});
                    }
                    versions().insert(versionRows);
                }
                c.releaseSavepoint(before);
                device.clock().observe(newest);
                loaded += count;
                partTables.addAll(written);
            } catch (SQLException e) {
                if (!BulkRows.refusedByConstraint(e)) {
                    throw e;
                }
                c.rollback(before);
                LOG.debug("snapshot part {} of {} hits a constraint in bulk; it goes to the integrator: {}",
                        index + 1, from, e.toString());
                rest = entries;
            }
        }
        MetadataStore.put(c, dialect, CHECKPOINT, snapshot + "\t" + (index + 1) + "\t" + String.join(",", tables));
        return rest;
    }

    /**
     * The entry's row with the table's own column names, if the integrator would insert it as it
     * is: every column known, the whole key present, not stamped ahead of this device's clock.
     */
    private Row plainRow(TableInfo t, LogEntry e) {
        if (e.hlc() > device.clock().acceptableUpTo() || ValueCodec.decodeKey(e.key()).length != t.primaryKey().size()) {
            return null;
        }
        return BulkRows.plainRow(t, ValueCodec.decodeRow(e.data()));
    }

    /** A synced table loaded in bulk (null: not one), with its lower-case name as {@code _sync_row} keeps it. */
    private record Target(TableInfo table, String lower) {
    }

    private MultiRowInsert<Object[]> versions() throws SQLException {
        if (versions == null) {
            versions = new MultiRowInsert<>(c, VersionStore.INSERT_HEAD, VersionStore.LIVE_VALUES,
                    VersionStore.LIVE_PARAMETERS, (ps, offset, v) ->
                            VersionStore.bindLive(ps, offset, (String) v[0], (byte[]) v[1], (Long) v[2], (String) v[3], (byte[]) v[4]));
        }
        return versions;
    }

    /** Ends the load, in the transaction that moves the cursors past the snapshot. */
    public void finish() throws SQLException {
        MetadataStore.remove(c, CHECKPOINT);
        if (loaded > 0) {
            LOG.info("joined from snapshot {}: {} rows loaded in bulk", snapshot, loaded);
        }
    }

    @Override
    public void close() throws SQLException {
        rows.close();
        if (versions != null) {
            versions.close();
        }
    }
}
