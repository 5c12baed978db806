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
 * {@code _sync_state}, written ({@link #checkpoint}) in the transaction that applies the parts.
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
     * Hands the parts of snapshot {@code m} to {@code consumer} in manifest order. The next part is
     * fetched, deciphered, decoded and prepared for the bulk load ({@link #prepare}) on a second
     * thread while the consumer writes the current one (at most one part waits), so that the
     * loading thread only binds and sends. A failure to read a part is thrown here.
     */
    public void read(Compactor reader, Manifest m, PartConsumer consumer) throws IOException, SQLException {
        Iterator<Manifest.Part> parts = m.parts().iterator();
        Schema schema = device.schema(c); // read here: the reading thread must not use the connection
        int[] index = {0};
        try (ReadAhead<Part> ahead = new ReadAhead<>("jdbc-sync snapshot " + m.number() + " reader", 1, () -> {
            if (!parts.hasNext()) {
                return null;
            }
            Manifest.Part p = parts.next();
            try {
                List<LogEntry> entries = reader.readPart(m, p);
                return done(index[0]++) ? new Part(p.device(), entries, null) : prepare(schema, p.device(), entries);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        })) {
            for (Part p = ahead.next(); p != null; p = ahead.next()) {
                consumer.accept(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Takes the parts of a snapshot one by one. */
    public interface PartConsumer {
        void accept(Part part) throws IOException, SQLException;
    }

    /**
     * A snapshot part as read: its device and entries, and what {@link #load} may insert in bulk,
     * worked out against a schema (null for a part an interrupted load already applied).
     */
    public record Part(String device, List<LogEntry> entries, Prepared prepared) {
    }

    /**
     * Per entry, in entry order: the table it loads into, its row with the table's own column
     * names and the version the merge rules give it, for the inserts that qualify except for the
     * clock check (done when loading); nulls for the others.
     */
    record Prepared(Schema schema, TableInfo[] tables, Row[] rows, VersionStore.Stored[] versions) {
    }

    /** The bulk candidates of a part against {@code schema}; pure, so it runs on the reading thread. */
    Part prepare(Schema schema, String from, List<LogEntry> entries) {
        int n = entries.size();
        Prepared p = new Prepared(schema, new TableInfo[n], new Row[n], new VersionStore.Stored[n]);
        Map<String, TableInfo> targets = new HashMap<>(); // per table name as logged: resolved once, not per row
        for (int i = 0; i < n; i++) {
            LogEntry e = entries.get(i);
            if (e.op() != Op.INSERT) {
                continue;
            }
            TableInfo t = targets.computeIfAbsent(e.table(),
                    name -> tables.contains(name.toLowerCase(Locale.ROOT)) ? schema.table(name) : null);
            if (t == null || ValueCodec.decodeKey(e.key()).length != t.primaryKey().size()) {
                continue;
            }
            Row row = BulkRows.plainRow(t, ValueCodec.decodeRow(e.data()));
            if (row == null) {
                continue;
            }
            RowVersion after = MergeRules.decide(null, Op.INSERT, new Version(e.hlc(), from), row.columns()).after();
            p.tables()[i] = t;
            p.rows()[i] = row;
            p.versions()[i] = new VersionStore.Stored(e.key(), after.lifecycle().hlc(), after.lifecycle().device(), false,
                    after.encodeColumns());
        }
        return new Part(from, entries, p);
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
     * Inserts the qualifying rows of one snapshot part, in the caller's transaction (which records
     * the part as done with {@link #checkpoint}). Returns the entries the integrator must apply
     * (all of them when a constraint stopped the bulk insert).
     */
    public List<LogEntry> load(Part part, int index) throws SQLException {
        String from = part.device();
        List<LogEntry> entries = part.entries();
        Prepared prepared = part.prepared();
        Schema schema = device.schema(c);
        if (prepared == null || prepared.schema() != schema) {
            prepared = prepare(schema, from, entries).prepared(); // the schema changed since the part was read
        }
        List<LogEntry> rest = new ArrayList<>();
        partTables.clear();
        Map<String, List<VersionStore.Stored>> rowVersions = new HashMap<>(); // per table name
        long acceptable = device.clock().acceptableUpTo();
        long newest = 0;
        for (int i = 0; i < entries.size(); i++) {
            LogEntry e = entries.get(i);
            TableInfo t = prepared.tables()[i];
            if (t == null || e.hlc() > acceptable) {
                rest.add(e);
                continue;
            }
            rows.add(t, prepared.rows()[i]);
            rowVersions.computeIfAbsent(t.name(), x -> new ArrayList<>()).add(prepared.versions()[i]);
            newest = Math.max(newest, e.hlc());
        }
        if (!rowVersions.isEmpty()) {
            Savepoint before = c.setSavepoint();
            try {
                Set<String> written = rows.insert();
                int count = 0;
                for (Map.Entry<String, List<VersionStore.Stored>> v : rowVersions.entrySet()) {
                    count += v.getValue().size();
                    String table = v.getKey().toLowerCase(Locale.ROOT); // as _sync_row keeps it
                    List<VersionStore.Stored> unpacked = VersionStore.pack(c, dialect, table, v.getValue());
                    if (unpacked == null) {
                        throw new SQLException("a row of " + table + " in this part already has a version here",
                                "23000");
                    }
                    List<Object[]> versionRows = new ArrayList<>(unpacked.size());
                    for (VersionStore.Stored u : unpacked) {
                        versionRows.add(new Object[] {table, u.pk(), u.hlc(), u.device(), u.cols()});
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
        return rest;
    }

    /**
     * Records that the first {@code parts} parts are applied, in the transaction that applied them:
     * a load stopped before that transaction commits resumes from the checkpoint before it.
     */
    public void checkpoint(int parts) throws SQLException {
        MetadataStore.put(c, dialect, CHECKPOINT, snapshot + "\t" + parts + "\t" + String.join(",", tables));
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
