package io.jdbcsync.internal.initial;

import io.jdbcsync.initial.Clone;
import io.jdbcsync.initial.CloneProgress;
import io.jdbcsync.internal.capture.RowCodec;
import io.jdbcsync.internal.device.Device;
import io.jdbcsync.internal.device.MetadataStore;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.jdbc.MultiRowInsert;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.merge.ConflictLog;
import io.jdbcsync.internal.merge.Integrator;
import io.jdbcsync.internal.merge.LoggedValues;
import io.jdbcsync.internal.merge.ParkedChanges;
import io.jdbcsync.internal.merge.VersionStore;
import io.jdbcsync.internal.schema.ColumnInfo;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.value.ValueCodec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One run of a clone ({@link Clone}) between two open databases: bulk reads of the source in one
 * consistent snapshot (with its version metadata and cursors read in the same snapshot), batched
 * writes into the target with foreign-key checks off, a checkpoint per table and key range
 * committed with each chunk (so a killed clone run again continues where it stopped, every row
 * exactly once), and the source's cursors taken over at the end, so the target neither receives
 * again what it copied nor misses what came later.
 */
public final class CloneRun {
    static final String SOURCE = "clone.source";
    static final String POSITION = "clone.position";
    static final String AT = "clone.at.";
    static final String DONE = "clone.done";
    static final String MERGE = "clone.merge";
    static final String VERSIONS = "clone.versions.";

    private final int chunkRows;
    private final boolean createSchema;
    private final Clone.Listener listener;
    /** Called at every chunk: waits while the clone is paused, throws when it is cancelled. */
    private final Runnable checkpoint;
    private final Device sourceDevice;
    private final Connection source;
    private final Device targetDevice;
    private final Connection target;
    private final Dialect sd;
    private final Dialect td;
    private long rows;
    private long merged;
    private long totalRows;
    /** The target held rows of its own before the clone: every chunk looks for keys it holds. */
    private boolean merge;
    /** Merges the rows the target holds too (made at the first such row of a table). */
    private Integrator integrator;

    public CloneRun(Device sourceDevice, Connection source, Device targetDevice, Connection target, int chunkRows,
                    boolean createSchema, Clone.Listener listener, Runnable checkpoint) {
        this.chunkRows = chunkRows;
        this.createSchema = createSchema;
        this.listener = listener;
        this.checkpoint = checkpoint;
        this.sourceDevice = sourceDevice;
        this.source = source;
        this.targetDevice = targetDevice;
        this.target = target;
        this.sd = sourceDevice.dialect();
        this.td = targetDevice.dialect();
    }

    /** Copies, or continues an interrupted copy; returns what it did. */
    public Clone.Result copy() throws SQLException {
        if (sourceDevice.id().equals(targetDevice.id())) {
            throw new SQLException("source and target are the same device " + sourceDevice.id(), "42000");
        }
        // A database that never had a table (say before --create-schema) is made a device first.
        targetDevice.ensureSetUp(target);
        String cloned = MetadataStore.get(target, SOURCE);
        if (cloned != null && !cloned.equals(sourceDevice.id())) {
            throw new SQLException("the target holds a clone of device " + cloned + ", not of " + sourceDevice.id()
                    + "; a target is cloned from one source", "42000");
        }
        if ("1".equals(MetadataStore.get(target, DONE))) {
            return new Clone.Result(sourceDevice.id(), targetDevice.id(), 0, 0, true);
        }
        try (Statement st = target.createStatement()) {
            // Rows arrive table by table: a child before its parent, and cycles, must load.
            for (String sql : td.syncSessionSetup()) {
                st.execute(sql);
            }
        }
        try (Statement st = source.createStatement()) {
            // The key ranges bind key values as the sync connection does (on MariaDB a TIMESTAMP
            // as UTC text), so the source session is set up alike.
            for (String sql : sd.syncSessionSetup()) {
                st.execute(sql);
            }
        }
        if (sd.consistentSnapshotStatement() != null) {
            source.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        }
        source.setAutoCommit(false);
        try {
            if (sd.consistentSnapshotStatement() != null) {
                try (Statement st = source.createStatement()) {
                    st.execute(sd.consistentSnapshotStatement());
                }
            }
            if (createSchema && new SchemaCopy(source, sd, target, td)
                    .createMissing(sourceDevice.schema(source), targetDevice.schema(target)).size() > 0) {
                targetDevice.schemaChanged();
            }
            target.setAutoCommit(false);
            Position position = Position.read(source, sourceDevice.id());
            if (MetadataStore.get(target, POSITION) == null) {
                // First run: the position, and what the source knows beyond its rows, from this snapshot.
                MetadataStore.put(target, td, MERGE, TargetRows.holdsAny(target, td, targetDevice.schema(target)) ? "1" : "0");
                copyMetadata();
                MetadataStore.put(target, td, SOURCE, sourceDevice.id());
                MetadataStore.put(target, td, POSITION, position.encode());
                target.commit();
            } else {
                position = Position.decode(MetadataStore.get(target, POSITION));
            }
            merge = "1".equals(MetadataStore.get(target, MERGE));
            List<TableInfo[]> tables = tables();
            long[] counts = new long[tables.size()];
            for (int i = 0; i < tables.size(); i++) {
                counts[i] = count(tables.get(i)[0]);
                totalRows += counts[i];
            }
            for (int i = 0; i < tables.size(); i++) {
                copyTable(tables.get(i)[0], tables.get(i)[1], counts[i]);
            }
            join(position);
            target.commit();
        } catch (SQLException | RuntimeException e) {
            target.rollback();
            throw e;
        } finally {
            source.rollback();
            source.setAutoCommit(true);
            target.setAutoCommit(true);
        }
        if (listener != null) {
            listener.progress(new CloneProgress(null, 0, 0, rows, totalRows, true));
        }
        return new Clone.Result(sourceDevice.id(), targetDevice.id(), rows, merged, false);
    }

    /** Synced tables both sides have, as (source, target), by name. */
    private List<TableInfo[]> tables() throws SQLException {
        Schema ss = sourceDevice.schema(source);
        Schema ts = targetDevice.schema(target);
        List<TableInfo[]> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (TableInfo t : ss.tables()) {
            if (!t.synced() || !t.hasPrimaryKey()) {
                continue;
            }
            TableInfo tt = ts.table(t.name());
            if (tt == null || !tt.synced()) {
                missing.add(t.name());
            } else {
                out.add(new TableInfo[] {t, tt});
            }
        }
        if (!missing.isEmpty()) {
            throw new SQLException("the target has no synced table " + String.join(", ", missing)
                    + ": run the app's migrations on the target first", "42S02");
        }
        out.sort(Comparator.comparing(p -> p[0].name().toLowerCase(Locale.ROOT)));
        return out;
    }

    private long count(TableInfo t) throws SQLException {
        try (Statement st = source.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + sd.quote(t.name()))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Tombstones, parked changes and displaced rows of the source: they are part of its state. */
    private void copyMetadata() throws SQLException {
        copyRows(VersionStore.tombstoneCopy(td));
        copyRows(ParkedChanges.cloneCopy(td));
        copyRows(ConflictLog.cloneCopy(td));
    }

    /** Copies what {@code selectAndInsert[0]} reads from the source with {@code selectAndInsert[1]} into the target. */
    private void copyRows(String[] selectAndInsert) throws SQLException {
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(selectAndInsert[0]);
             PreparedStatement ps = target.prepareStatement(selectAndInsert[1])) {
            int n = rs.getMetaData().getColumnCount();
            int pending = 0;
            while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                    ps.setObject(i, rs.getObject(i));
                }
                ps.addBatch();
                if (++pending == chunkRows) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    /** Rows of one chunk in the source's log form, their keys (every key when merging, else the last) and, when merging, their source versions. */
    private record RowChunk(List<Object[]> rows, List<byte[]> keys, Map<Adoption.RowKey, VersionStore.Stored> versions) {
    }

    private void copyTable(TableInfo st, TableInfo tt, long tableTotal) throws SQLException {
        String at = MetadataStore.get(target, AT + st.name().toLowerCase(Locale.ROOT));
        if ("done".equals(at)) {
            return;
        }
        Object[] start = at == null ? null : ValueCodec.decodeKey(HexFormat.of().parseHex(at.split("\t")[0]));
        long tableRows = at == null ? 0 : Long.parseLong(at.split("\t")[1]);
        // The target's columns the source has (by name), as a log entry of the source names them:
        // the others keep their defaults, as integration leaves them.
        List<ColumnInfo> targetColumns = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (ColumnInfo c : tt.columns()) {
            int p = st.position(c.name());
            if (p >= 0) {
                targetColumns.add(c);
                columns.add(c.name());
                positions.add(p);
            }
        }
        // Target column -> source column.
        int[] sourceColumn = positions.stream().mapToInt(Integer::intValue).toArray();
        if (!merge) {
            copyVersions(st);
        }
        // Into a target that held nothing, every key arrives once (a chunk commits whole): plain
        // inserts, several rows per statement, which the databases take fastest.
        try (MultiRowInsert<Object[]> inserts = merge ? null : new MultiRowInsert<>(target, insertHead(tt.name(), columns),
                     "(" + "?, ".repeat(columns.size() - 1) + "?)", columns.size(),
                     (ps, offset, row) -> bindRow(ps, offset, targetColumns, sourceColumn, row));
             PreparedStatement upsert = merge ? target.prepareStatement(td.upsert(tt.name(), columns, tt.primaryKey())) : null;
             PreparedStatement versions = merge ? target.prepareStatement(VersionStore.upsert(td)) : null;
             ReadAhead<RowChunk> chunks = new ReadAhead<>("jdbc-sync-clone-read", 2, rowReader(st, start))) {
            while (true) {
                checkpoint.run();
                RowChunk chunk = chunks.next();
                if (chunk == null) {
                    break;
                }
                List<byte[]> keys = chunk.keys();
                if (!merge) {
                    inserts.insert(chunk.rows());
                } else {
                    merged += merge(chunk, st, tt, upsert, versions, targetColumns, sourceColumn);
                }
                tableRows += chunk.rows().size();
                rows += chunk.rows().size();
                MetadataStore.put(target, td, AT + st.name().toLowerCase(Locale.ROOT),
                        HexFormat.of().formatHex(keys.get(keys.size() - 1)) + "\t" + tableRows);
                target.commit();
                if (listener != null) {
                    listener.progress(new CloneProgress(st.name(), tableRows, Math.max(tableTotal, tableRows), rows, totalRows, false));
                }
            }
        } finally {
            if (integrator != null) {
                integrator.close();
                integrator = null;
            }
        }
        MetadataStore.put(target, td, AT + st.name().toLowerCase(Locale.ROOT), "done");
        target.commit();
    }

    /**
     * A chunk into a target that held rows of its own: keys it does not hold are upserted with
     * the source's versions, keys it holds are merged by the usual rules; returns the rows merged.
     */
    private long merge(RowChunk chunk, TableInfo st, TableInfo tt, PreparedStatement upsert, PreparedStatement versions,
                       List<ColumnInfo> targetColumns, int[] sourceColumn) throws SQLException {
        List<byte[]> keys = chunk.keys();
        Map<Adoption.RowKey, VersionStore.Stored> sv = chunk.versions();
        Set<Adoption.RowKey> held = TargetRows.held(target, td, tt, keys);
        List<Integer> overlapping = new ArrayList<>();
        for (int i = 0; i < chunk.rows().size(); i++) {
            Adoption.RowKey k = new Adoption.RowKey(keys.get(i));
            if (held.contains(k)) {
                overlapping.add(i);
                continue;
            }
            bindRow(upsert, 0, targetColumns, sourceColumn, chunk.rows().get(i));
            upsert.addBatch();
            VersionStore.Stored v = sv.get(k);
            if (v != null) {
                VersionStore.bindUpsert(versions, tt.name().toLowerCase(Locale.ROOT), v);
                versions.addBatch();
            }
        }
        upsert.executeBatch();
        versions.executeBatch();
        long merged = 0;
        if (!overlapping.isEmpty()) {
            if (integrator == null) {
                integrator = new Integrator(target, targetDevice);
            }
            integrator.begin();
            for (int i : overlapping) {
                VersionStore.Stored v = sv.get(new Adoption.RowKey(keys.get(i)));
                if (v == null) {
                    continue; // never shared by the source: the target's own row stays
                }
                for (Map.Entry<String, List<LogEntry>> e : SourceVersions.entries(tt.name(), v,
                        RowCodec.fullRow(sd, st, chunk.rows().get(i))).entrySet()) {
                    integrator.integrate(e.getKey(), e.getValue());
                }
                merged++;
            }
            integrator.finish();
        }
        return merged;
    }

    /**
     * The source's rows of a table after {@code start}, chunk by chunk (keyset paging), in the
     * form the source logs them; runs on the read-ahead thread, the only user of the source then.
     */
    private ReadAhead.Source<RowChunk> rowReader(TableInfo st, Object[] start) {
        String select = KeyRange.select(sd, st, true, chunkRows);
        String first = KeyRange.select(sd, st, false, chunkRows);
        Object[][] after = {start};
        return () -> {
            List<Object[]> read = read(after[0] == null ? first : select, st, after[0]);
            if (read.isEmpty()) {
                return null;
            }
            // Keys are needed per row only to look rows up; otherwise the last one is the checkpoint.
            List<byte[]> keys = new ArrayList<>(read.size());
            for (int i = 0; i < read.size(); i++) {
                keys.add(merge || i == read.size() - 1 ? RowCodec.keyOfRow(sd, st, read.get(i)) : null);
            }
            List<ColumnInfo> sc = st.columns();
            for (Object[] row : read) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = sd.logged(row[i], sc.get(i));
                }
            }
            // Into an empty target the versions were copied whole, in their own order, beforehand.
            Map<Adoption.RowKey, VersionStore.Stored> sv = merge ? SourceVersions.read(source, st.name(), keys) : Map.of();
            after[0] = ValueCodec.decodeKey(keys.get(keys.size() - 1));
            return new RowChunk(read, keys, sv);
        };
    }

    /**
     * The source's packed versions of a table, as they are (a pack holds keys of one table only and
     * names its devices itself); returns how many versions they hold. Committed with the first
     * checkpoint of the version pages after them; copied again, they replace themselves.
     */
    private long copyPacks(String tbl) throws SQLException {
        String[] selectAndUpsert = VersionStore.packCopy(td);
        long versions = 0;
        try (PreparedStatement select = source.prepareStatement(selectAndUpsert[0]);
             PreparedStatement upsert = target.prepareStatement(selectAndUpsert[1])) {
            select.setString(1, tbl);
            try (ResultSet rs = select.executeQuery()) {
                int pending = 0;
                while (rs.next()) {
                    for (int i = 1; i <= 7; i++) {
                        upsert.setObject(i, rs.getObject(i));
                    }
                    versions += rs.getLong(4);
                    upsert.addBatch();
                    if (++pending == 100) {
                        upsert.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    upsert.executeBatch();
                }
            }
        }
        return versions;
    }

    /** One chunk of version entries: (pk, hlc, device, cols) each. */
    private record VersionChunk(List<Object[]> entries) {
        byte[] lastKey() {
            return (byte[]) entries.get(entries.size() - 1)[0];
        }
    }

    /**
     * The source's version entries of a table's live rows, streamed in their own key order
     * (sequential reads and appends), resumable by the last key copied. Rows copied later, in
     * this snapshot or a newer one after a restart, are never older than these entries, and
     * the target receives again every change after the stored position.
     */
    private void copyVersions(TableInfo st) throws SQLException {
        String name = VERSIONS + st.name().toLowerCase(Locale.ROOT);
        String at = MetadataStore.get(target, name);
        if ("done".equals(at)) {
            return;
        }
        byte[] start = at == null ? null : HexFormat.of().parseHex(at.split("\t")[0]);
        long copied = at == null ? 0 : Long.parseLong(at.split("\t")[1]);
        String tbl = st.name().toLowerCase(Locale.ROOT);
        long total = VersionStore.liveCount(source, tbl);
        if (at == null) {
            copied += copyPacks(tbl);
        }
        try (PreparedStatement first = VersionStore.prepareLivePage(source, false, chunkRows);
             PreparedStatement next = VersionStore.prepareLivePage(source, true, chunkRows);
             MultiRowInsert<Object[]> insert = new MultiRowInsert<>(target, VersionStore.INSERT_HEAD,
                     VersionStore.LIVE_VALUES, VersionStore.LIVE_PARAMETERS, (ps, offset, e) ->
                             VersionStore.bindLive(ps, offset, tbl, (byte[]) e[0], (Long) e[1], (String) e[2], (byte[]) e[3]));
             ReadAhead<VersionChunk> chunks = new ReadAhead<>("jdbc-sync-clone-read", 2, versionReader(tbl, start, first, next))) {
            while (true) {
                checkpoint.run();
                VersionChunk chunk = chunks.next();
                if (chunk == null) {
                    break;
                }
                insert.insert(chunk.entries());
                copied += chunk.entries().size();
                MetadataStore.put(target, td, name, HexFormat.of().formatHex(chunk.lastKey()) + "\t" + copied);
                target.commit();
                if (listener != null) {
                    listener.progress(new CloneProgress(st.name() + " (versions)", copied, Math.max(total, copied), rows,
                            totalRows, false));
                }
            }
        }
        MetadataStore.put(target, td, name, "done");
        target.commit();
    }

    /** The version entries of a table's live rows after {@code start}, chunk by chunk, on the read-ahead thread. */
    private ReadAhead.Source<VersionChunk> versionReader(String tbl, byte[] start, PreparedStatement first,
                                                         PreparedStatement next) {
        byte[][] after = {start};
        return () -> {
            PreparedStatement q = after[0] == null ? first : next;
            q.setString(1, tbl);
            if (after[0] != null) {
                q.setBytes(2, after[0]);
            }
            List<Object[]> entries = new ArrayList<>(chunkRows);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Object[] {rs.getBytes(1), rs.getLong(2), rs.getString(3), rs.getBytes(4)});
                }
            }
            if (entries.isEmpty()) {
                return null;
            }
            after[0] = (byte[]) entries.get(entries.size() - 1)[0];
            return new VersionChunk(entries);
        };
    }

    private String insertHead(String table, List<String> columns) {
        StringBuilder sb = new StringBuilder("INSERT INTO ").append(td.quote(table)).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(td.quote(columns.get(i)));
        }
        return sb.append(") VALUES ").toString();
    }

    private List<Object[]> read(String sql, TableInfo t, Object[] after) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement(sql)) {
            if (after != null) {
                KeyRange.bindAfter(ps, sd, t, after);
            }
            return KeyRange.rows(ps, sd, t, chunkRows);
        }
    }

    /**
     * Binds a row (in the source's log form) as integration binds the source's log entry of it:
     * each value bound for the target column.
     */
    private void bindRow(PreparedStatement ps, int offset, List<ColumnInfo> targetColumns, int[] sourceColumn, Object[] row)
            throws SQLException {
        for (int i = 0; i < sourceColumn.length; i++) {
            LoggedValues.bind(td, ps, offset + i + 1, row[sourceColumn[i]], targetColumns.get(i));
        }
    }

    /** The target takes over the source's cursors (and the source's own batches up to the snapshot). */
    private void join(Position p) throws SQLException {
        Map<String, long[]> cursors = new LinkedHashMap<>(p.cursors());
        if (p.ownBatches() > 0) {
            cursors.put(sourceDevice.id(), new long[] {p.ownBatches(), p.maxHlc()});
        }
        cursors.remove(targetDevice.id());
        Map<String, long[]> existing = MetadataStore.cursors(target);
        // The union of two states each holding a prefix of a device's batches holds the longer prefix.
        cursors.entrySet().removeIf(e -> existing.containsKey(e.getKey()) && existing.get(e.getKey())[0] >= e.getValue()[0]);
        MetadataStore.putCursors(target, td, cursors);
        // The target's clock must not issue versions older than what it copied.
        targetDevice.clock().observe(p.maxHlc());
        String hlc = MetadataStore.get(target, "hlc");
        long persisted = hlc == null || hlc.isBlank() ? 0 : Long.parseLong(hlc.trim());
        MetadataStore.put(target, td, "hlc", Long.toString(Math.max(persisted, p.maxHlc())));
        MetadataStore.put(target, td, DONE, "1");
    }
}
