package io.jdbcsync.internal.capture;

import io.jdbcsync.internal.clock.Hlc;
import io.jdbcsync.internal.device.Device;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.sql.ConflictMode;
import io.jdbcsync.internal.sql.ValueSource;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Executes an INSERT through its plan and logs one entry per row it created or changed. */
final class InsertCapture {
    private final Device device;
    private final Dialect dialect;
    private final StatementSource source;
    private final ChangeLogWriter log;
    /** For the foreign-key actions a replaced or updated row sets off. */
    private final Schema schema;

    InsertCapture(Device device, Schema schema, StatementSource source, ChangeLogWriter log) {
        this.device = device;
        this.dialect = device.dialect();
        this.schema = schema;
        this.source = source;
        this.log = log;
    }

    /** Keys and row values of one execution, resolved before it runs. */
    private final class Rows {
        final InsertPlan plan;
        final Binding[] app;
        final Object[] keys;
        /** App parameters bound as NULL for a key the driver generated instead (null: none, the usual case). */
        Set<Integer> substituted;

        Rows(InsertPlan plan, Binding[] app) throws SQLException {
            this.plan = plan;
            this.app = app;
            int n = plan.sources.length;
            this.keys = new Object[n];
            if (plan.keyPosition < 0) {
                return;
            }
            for (int r = 0; r < n; r++) {
                ValueSource v = plan.sources[r][plan.keyPosition];
                if (plan.alwaysGenerate[r]) {
                    keys[r] = device.newKey(plan.table, source::prepare);
                } else if (v instanceof ValueSource.Parameter p) {
                    Object given = value(p.index());
                    if (given == null) {
                        keys[r] = device.newKey(plan.table, source::prepare);
                        if (substituted == null) {
                            substituted = new HashSet<>();
                        }
                        substituted.add(p.index());
                    } else {
                        keys[r] = given;
                    }
                } else if (v instanceof ValueSource.Literal l) {
                    keys[r] = l.value();
                }
            }
        }

        Object value(int appIndex) {
            if (appIndex > app.length || app[appIndex - 1] == null) {
                return null;
            }
            return app[appIndex - 1].value();
        }

        void bind(PreparedStatement ps) throws SQLException {
            InsertPlan.Marker[] markers = plan.markers;
            for (int i = 0; i < markers.length; i++) {
                InsertPlan.Marker m = markers[i];
                if (m.generated()) {
                    ps.setObject(i + 1, keys[m.row()]);
                } else if (substituted != null && substituted.contains(m.appIndex())) {
                    ps.setObject(i + 1, keyOfParameter(m.appIndex()));
                } else {
                    if (m.appIndex() > app.length || app[m.appIndex() - 1] == null) {
                        throw new SQLException("parameter " + m.appIndex() + " is not set", "07001");
                    }
                    app[m.appIndex() - 1].apply(ps, i + 1);
                }
            }
        }

        private Object keyOfParameter(int appIndex) {
            for (int r = 0; r < keys.length; r++) {
                if (plan.sources[r][plan.keyPosition] instanceof ValueSource.Parameter p && p.index() == appIndex) {
                    return keys[r];
                }
            }
            throw new IllegalStateException("no row for key parameter " + appIndex);
        }

        /** Row r in table column order, from the statement alone. */
        Object[] known(int r) {
            Object[] row = new Object[plan.sources[r].length];
            for (int c = 0; c < row.length; c++) {
                row[c] = known(r, c);
            }
            return row;
        }

        /** Column c of row r, from the statement alone. */
        private Object known(int r, int c) {
            ValueSource s = plan.sources[r][c];
            if (c == plan.keyPosition && keys[r] != null) {
                return keys[r];
            } else if (s instanceof ValueSource.Parameter p) {
                return value(p.index());
            } else if (s instanceof ValueSource.Literal l) {
                return l.value();
            }
            return null;
        }

        /**
         * Row r in table column order as the database stores it, from the statement alone; null
         * when a value's stored form is known only by reading the row back.
         */
        Object[] stored(int r, java.sql.Connection connection) {
            Object[] row = known(r);
            ValueSource[] s = plan.sources[r];
            for (int c = 0; c < row.length; c++) {
                if (s[c] instanceof ValueSource.Parameter p && !(c == plan.keyPosition && keys[r] != null)
                        && p.index() <= app.length && app[p.index() - 1] != null && !app[p.index() - 1].plain()) {
                    return null;
                }
                Object v = dialect.asStored(row[c], plan.table.columns().get(c), connection);
                if (v == Dialect.NOT_KNOWN) {
                    return null;
                }
                row[c] = v;
            }
            return row;
        }

        /** Fails when a key value the driver does not generate is bound as NULL: the row could not be logged. */
        void checkKeys() throws SQLException {
            int[] pk = plan.table.primaryKeyPositions();
            for (int r = 0; r < keys.length; r++) {
                for (int c : pk) {
                    if (known(r, c) == null) {
                        throw new SQLException("a primary key value of " + plan.table.name() + " is bound as NULL;"
                                + " jdbc-sync generates only single-column integer, text and binary keys", "23000");
                    }
                }
            }
        }

        /** Primary-key values of row r (known before execution). */
        Object[] key(int r) {
            int[] pk = plan.table.primaryKeyPositions();
            Object[] key = new Object[pk.length];
            for (int i = 0; i < pk.length; i++) {
                key[i] = known(r, pk[i]);
            }
            return key;
        }
    }

    /**
     * A one-row autocommit INSERT whose stored row is known from the statement, in one round trip
     * with its log row ({@link OneTripWrite}). Returns the update count (the key used in
     * {@code keysOut}), or null when the insert does not qualify.
     */
    Long inOneTrip(InsertPlan plan, Binding[] set, List<Object> keysOut, java.sql.Connection raw, Hlc clock)
            throws SQLException {
        if (plan.conflict != ConflictMode.FAIL || plan.readBack || plan.sources.length != 1
                || !OneTripWrite.endsCleanly(plan.sql)) {
            return null;
        }
        Rows rows = new Rows(plan, set);
        rows.checkKeys();
        Object[] row = rows.stored(0, raw);
        if (row == null) {
            return null;
        }
        RowCodec.KeyAndRow logged = RowCodec.keyAndRow(dialect, plan.table, row);
        long count = OneTripWrite.run(source, raw, plan.sql, ps -> {
            rows.bind(ps);
            return plan.markers.length;
        }, clock.now(), plan.table.name(), Op.INSERT, logged.key(), logged.row());
        keysOut.add(plan.keyPosition >= 0 ? row[plan.keyPosition] : rows.key(0)[0]);
        return count;
    }

    /**
     * Runs the plan once per binding set (a batch when there are several) and logs the rows.
     *
     * @return update counts, and the keys used per row in {@code keysOut}
     */
    long[] execute(InsertPlan plan, List<Binding[]> sets, List<Object> keysOut) throws SQLException {
        if (plan.conflict != ConflictMode.FAIL) {
            long[] counts = new long[sets.size()];
            for (int i = 0; i < sets.size(); i++) {
                Rows rows = new Rows(plan, sets.get(i));
                rows.checkKeys();
                counts[i] = executeWithConflicts(rows, keysOut);
            }
            return counts;
        }
        List<Rows> all = new ArrayList<>(sets.size());
        for (Binding[] set : sets) {
            Rows rows = new Rows(plan, set);
            rows.checkKeys();
            all.add(rows);
        }
        PreparedStatement ps = source.prepare(plan.sql);
        long[] counts;
        if (all.size() == 1) {
            all.get(0).bind(ps);
            counts = new long[] {ps.executeLargeUpdate()};
            log.statementRan();
        } else {
            for (Rows rows : all) {
                rows.bind(ps);
                ps.addBatch();
            }
            counts = ps.executeLargeBatch();
            log.statementRan();
        }
        for (Rows rows : all) {
            for (int r = 0; r < rows.keys.length; r++) {
                Object[] row = plan.readBack ? null : rows.stored(r, ps.getConnection());
                if (row == null) {
                    row = readByKey(plan, rows.key(r));
                }
                if (row == null) {
                    throw new SQLException("inserted row of " + plan.table.name() + " with key " + Arrays.toString(rows.key(r))
                            + " cannot be read back; the insert is undone", "XX000");
                }
                keysOut.add(plan.keyPosition >= 0 ? row[plan.keyPosition] : rows.key(r)[0]);
                log.addRow(plan.table, Op.INSERT, row);
            }
        }
        return counts;
    }

    private Object[] readByKey(InsertPlan plan, Object[] key) throws SQLException {
        List<Object[]> found = RowReader.read(source, dialect, plan.selectRowBy(plan.table.primaryKeyPositions(), dialect, false),
                Arrays.asList(key), plan.table.columns());
        return found.isEmpty() ? null : found.get(0);
    }

    /** INSERT with IGNORE / REPLACE / UPDATE on conflict: compare the rows it can touch before and after. */
    private long executeWithConflicts(Rows rows, List<Object> keysOut) throws SQLException {
        InsertPlan plan = rows.plan;
        TableInfo table = plan.table;
        Map<RowCodec.Key, Object[]> before = lookups(rows, true);
        // A replaced row is deleted, an updated one may change referenced columns: either can set
        // off foreign-key actions on other rows.
        CascadeCapture cascade = null;
        if (!before.isEmpty() && plan.conflict != ConflictMode.IGNORE) {
            List<String> all = new ArrayList<>();
            for (var c : table.columns()) {
                all.add(c.name());
            }
            cascade = CascadeCapture.of(schema, dialect, source, log, table, plan.conflict == ConflictMode.REPLACE, all);
            if (cascade != null) {
                cascade.before(keysOf(table, before.values()));
            }
        }
        PreparedStatement ps = source.prepare(plan.sql);
        rows.bind(ps);
        long count = ps.executeLargeUpdate();
        log.statementRan();
        Map<RowCodec.Key, Object[]> after = lookups(rows, false);
        for (Map.Entry<RowCodec.Key, Object[]> e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                log.add(table.name(), Op.DELETE, e.getKey().bytes(), null);
            }
        }
        for (Map.Entry<RowCodec.Key, Object[]> e : after.entrySet()) {
            Object[] old = before.get(e.getKey());
            Object[] now = e.getValue();
            if (old == null || plan.conflict == ConflictMode.REPLACE && !Arrays.deepEquals(old, now)) {
                log.add(table.name(), Op.INSERT, e.getKey().bytes(), RowCodec.fullRow(dialect, table, now));
            } else {
                List<String> names = new ArrayList<>();
                List<Object> values = new ArrayList<>();
                for (int c = 0; c < now.length; c++) {
                    if (!java.util.Objects.deepEquals(old[c], now[c])) {
                        names.add(table.columns().get(c).name());
                        values.add(now[c]);
                    }
                }
                if (!names.isEmpty()) {
                    log.add(table.name(), Op.UPDATE, e.getKey().bytes(), RowCodec.columns(dialect, table, names, values));
                }
            }
        }
        if (cascade != null) {
            Set<RowCodec.Key> handled = new HashSet<>(before.keySet());
            handled.addAll(after.keySet());
            cascade.after(plan.conflict == ConflictMode.REPLACE ? List.of() : keysOf(table, after.values()), handled);
        }
        for (int r = 0; r < rows.keys.length; r++) {
            Object[] key = rows.key(r);
            if (after.containsKey(new RowCodec.Key(RowCodec.key(dialect, table, key)))) {
                keysOut.add(key[0]);
            } else {
                Object[] hit = firstCandidateHit(rows, r, after);
                keysOut.add(hit == null ? null : hit[table.primaryKeyPositions()[0]]);
            }
        }
        return count;
    }

    private static List<Object[]> keysOf(TableInfo table, java.util.Collection<Object[]> rows) {
        int[] pk = table.primaryKeyPositions();
        List<Object[]> out = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            Object[] key = new Object[pk.length];
            for (int i = 0; i < pk.length; i++) {
                key[i] = row[pk[i]];
            }
            out.add(key);
        }
        return out;
    }

    private Object[] firstCandidateHit(Rows rows, int r, Map<RowCodec.Key, Object[]> after) {
        Object[] known = rows.known(r);
        for (int[] cols : rows.plan.candidateKeys) {
            for (Object[] row : after.values()) {
                boolean match = true;
                for (int c : cols) {
                    match &= java.util.Objects.equals(String.valueOf(row[c]), String.valueOf(known[c]));
                }
                if (match) {
                    return row;
                }
            }
        }
        return null;
    }

    /** Rows the insert may touch: by primary key and by each unique key it gives values for. */
    private Map<RowCodec.Key, Object[]> lookups(Rows rows, boolean lock) throws SQLException {
        InsertPlan plan = rows.plan;
        Map<RowCodec.Key, Object[]> found = new LinkedHashMap<>();
        List<int[]> lookups = new ArrayList<>();
        lookups.add(plan.table.primaryKeyPositions());
        lookups.addAll(plan.candidateKeys);
        for (int r = 0; r < rows.keys.length; r++) {
            Object[] known = rows.known(r);
            for (int[] cols : lookups) {
                List<Object> params = new ArrayList<>(cols.length);
                for (int c : cols) {
                    if (!plan.usesDefault(r, c)) {
                        params.add(known[c]);
                    }
                }
                for (Object[] row : RowReader.read(source, dialect, plan.selectRowBy(r, cols, dialect, lock), params,
                        plan.table.columns())) {
                    found.put(new RowCodec.Key(RowCodec.keyOfRow(dialect, plan.table, row)), row);
                }
            }
        }
        return found;
    }
}
