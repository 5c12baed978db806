package io.jdbcsync.internal.capture;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.schema.ForeignKey;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.TableInfo;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The rows a parent delete or key change reaches through foreign-key actions (ON DELETE CASCADE /
 * SET NULL / SET DEFAULT, ON UPDATE ...). The database changes them itself, so the statement's text
 * does not show them: every child row that references an affected parent (and, recursively, their
 * own children) is read before the statement runs, read again after, and each difference is logged
 * in the same transaction. Other devices apply changes with foreign-key checks off, so without these
 * entries their children would stay as they were.
 */
final class CascadeCapture {
    private static final int KEYS_PER_READ = 500;

    /** A foreign key followed from one tracked table to another. */
    private record Edge(ForeignKey key, TableInfo parent, TableInfo child) { }

    /** Rows of one table the actions may reach, keyed by primary key. */
    private static final class Tracked {
        final TableInfo table;
        final Map<RowCodec.Key, Object[]> before = new LinkedHashMap<>();
        final Map<RowCodec.Key, Object[]> after = new LinkedHashMap<>();

        Tracked(TableInfo table) {
            this.table = table;
        }
    }

    private final Schema schema;
    private final Dialect dialect;
    private final StatementSource source;
    private final ChangeLogWriter log;
    private final TableInfo top;
    private final boolean delete;
    private final List<ForeignKey> first;
    private final List<Edge> edges = new ArrayList<>();
    private final Map<String, Tracked> tracked = new LinkedHashMap<>();

    private CascadeCapture(Schema schema, Dialect dialect, StatementSource source, ChangeLogWriter log, TableInfo top,
                           boolean delete, List<ForeignKey> first) {
        this.schema = schema;
        this.dialect = dialect;
        this.source = source;
        this.log = log;
        this.top = top;
        this.delete = delete;
        this.first = first;
    }

    /**
     * The capture of what a delete of rows of {@code table}, or an update of its
     * {@code changedColumns}, does to other rows; null when no foreign-key action can follow.
     */
    static CascadeCapture of(Schema schema, Dialect dialect, StatementSource source, ChangeLogWriter log,
                             TableInfo table, boolean delete, List<String> changedColumns) {
        List<ForeignKey> acting = new ArrayList<>();
        for (ForeignKey fk : schema.referencing(table.name())) {
            if (fk.actsOn(delete, changedColumns)) {
                acting.add(fk);
            }
        }
        return acting.isEmpty() ? null : new CascadeCapture(schema, dialect, source, log, table, delete, acting);
    }

    /** True when the foreign keys of {@code table} may make a change of it reach other rows. */
    static boolean possible(Schema schema, TableInfo table) {
        return !schema.referencing(table.name()).isEmpty();
    }

    /** Before the statement: reads every row the actions may reach from the parent rows {@code keys}. */
    void before(List<Object[]> keys) throws SQLException {
        Deque<Map.Entry<TableInfo, List<Object[]>>> queue = new ArrayDeque<>();
        follow(top, first, keys, queue);
        while (!queue.isEmpty()) {
            Map.Entry<TableInfo, List<Object[]>> next = queue.poll();
            follow(next.getKey(), schema.referencing(next.getKey().name()), next.getValue(), queue);
        }
    }

    private void follow(TableInfo parent, List<ForeignKey> keys, List<Object[]> parentKeys,
                        Deque<Map.Entry<TableInfo, List<Object[]>>> queue) throws SQLException {
        if (parentKeys.isEmpty()) {
            return;
        }
        for (ForeignKey fk : keys) {
            TableInfo child = schema.table(fk.child());
            if (child == null || !child.hasPrimaryKey() || schema.isForeign(fk.child())) {
                continue; // no key to follow its rows by
            }
            Edge edge = new Edge(fk, parent, child);
            if (!edges.contains(edge)) {
                edges.add(edge);
            }
            Tracked t = tracked.computeIfAbsent(child.name().toLowerCase(Locale.ROOT), k -> new Tracked(child));
            List<Object[]> found = new ArrayList<>();
            for (Object[] row : children(edge, parentKeys, true)) {
                RowCodec.Key key = new RowCodec.Key(RowCodec.keyOfRow(dialect, child, row));
                if (t.before.putIfAbsent(key, row) == null) {
                    found.add(RowCodec.keyValues(child, row));
                }
            }
            if (!found.isEmpty()) {
                queue.add(Map.entry(child, found));
            }
        }
    }

    /**
     * After the statement: reads the rows again (and the children that now reference the changed
     * parents) and logs how each changed. {@code parentKeys} are the keys the parent rows have now
     * (none after a delete); {@code handled} are rows of the parent table the statement logs itself.
     */
    void after(List<Object[]> parentKeys, Set<RowCodec.Key> handled) throws SQLException {
        for (Tracked t : tracked.values()) {
            List<Object[]> keys = new ArrayList<>(t.before.size());
            for (Object[] row : t.before.values()) {
                keys.add(RowCodec.keyValues(t.table, row));
            }
            for (Object[] row : byKeys(t.table, keys)) {
                t.after.put(new RowCodec.Key(RowCodec.keyOfRow(dialect, t.table, row)), row);
            }
        }
        // ON UPDATE CASCADE moves children to the parents' new values: look them up there too.
        for (Edge e : edges) {
            if (delete || e.key().onUpdate() != ForeignKey.Action.CASCADE) {
                continue;
            }
            List<Object[]> keys;
            if (e.parent() == top) {
                keys = parentKeys;
            } else {
                keys = new ArrayList<>();
                for (Object[] row : tracked.get(e.parent().name().toLowerCase(Locale.ROOT)).after.values()) {
                    keys.add(RowCodec.keyValues(e.parent(), row));
                }
            }
            Tracked t = tracked.get(e.child().name().toLowerCase(Locale.ROOT));
            for (Object[] row : children(e, keys, false)) {
                t.after.putIfAbsent(new RowCodec.Key(RowCodec.keyOfRow(dialect, t.table, row)), row);
            }
        }
        for (Tracked t : tracked.values()) {
            if (t.table.synced()) {
                logDifferences(t, t.table == top ? handled : Set.of());
            }
        }
    }

    private void logDifferences(Tracked t, Set<RowCodec.Key> handled) {
        TableInfo table = t.table;
        for (Map.Entry<RowCodec.Key, Object[]> e : t.before.entrySet()) {
            if (!t.after.containsKey(e.getKey()) && !handled.contains(e.getKey())) {
                log.add(table.name(), Op.DELETE, e.getKey().bytes(), null);
            }
        }
        for (Map.Entry<RowCodec.Key, Object[]> e : t.after.entrySet()) {
            if (handled.contains(e.getKey())) {
                continue;
            }
            Object[] old = t.before.get(e.getKey());
            Object[] now = e.getValue();
            if (old == null) {
                log.add(table.name(), Op.INSERT, e.getKey().bytes(), RowCodec.fullRow(dialect, table, now));
                continue;
            }
            List<String> names = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (int c = 0; c < now.length; c++) {
                if (!Objects.deepEquals(old[c], now[c])) {
                    names.add(table.columns().get(c).name());
                    values.add(now[c]);
                }
            }
            if (!names.isEmpty()) {
                log.add(table.name(), Op.UPDATE, e.getKey().bytes(), RowCodec.columns(dialect, table, names, values));
            }
        }
    }

    /** Rows of the edge's child table referencing the parent rows with these keys. */
    private List<Object[]> children(Edge e, List<Object[]> parentKeys, boolean lock) throws SQLException {
        TableInfo parent = e.parent();
        TableInfo child = e.child();
        List<String> referenced = e.key().parentColumns().isEmpty() ? parent.primaryKey() : e.key().parentColumns();
        int[] pk = parent.primaryKeyPositions();
        List<Object[]> out = new ArrayList<>();
        for (int from = 0; from < parentKeys.size(); from += KEYS_PER_READ) {
            List<Object[]> chunk = parentKeys.subList(from, Math.min(parentKeys.size(), from + KEYS_PER_READ));
            StringBuilder sql = new StringBuilder(selectAll(child)).append(" WHERE ");
            sql.append(tuple(e.key().childColumns())).append(" IN (SELECT ").append(String.join(", ", quoted(referenced)))
                    .append(" FROM ").append(dialect.quote(parent.name())).append(" WHERE ");
            appendKeyIn(sql, parent, pk, chunk.size());
            sql.append(')');
            if (lock) {
                sql.append(dialect.lockingReadSuffix());
            }
            List<Object> params = new ArrayList<>();
            for (Object[] k : chunk) {
                params.addAll(Arrays.asList(k));
            }
            out.addAll(RowReader.read(source, dialect, sql.toString(), params));
        }
        return out;
    }

    private List<Object[]> byKeys(TableInfo table, List<Object[]> keys) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_READ) {
            List<Object[]> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_READ));
            StringBuilder sql = new StringBuilder(selectAll(table)).append(" WHERE ");
            appendKeyIn(sql, table, table.primaryKeyPositions(), chunk.size());
            List<Object> params = new ArrayList<>();
            for (Object[] k : chunk) {
                params.addAll(Arrays.asList(k));
            }
            out.addAll(RowReader.read(source, dialect, sql.toString(), params));
        }
        return out;
    }

    private String selectAll(TableInfo table) {
        List<String> names = new ArrayList<>();
        for (var c : table.columns()) {
            names.add(c.name());
        }
        return "SELECT " + String.join(", ", quoted(names)) + " FROM " + dialect.quote(table.name());
    }

    /** {@code pk IN (?, ...)} or {@code (a, b) IN ((?, ?), ...)}. */
    private void appendKeyIn(StringBuilder sql, TableInfo table, int[] pk, int count) {
        List<String> names = new ArrayList<>();
        for (int p : pk) {
            names.add(table.columns().get(p).name());
        }
        sql.append(tuple(names)).append(" IN (");
        String one = pk.length == 1 ? "?" : "(" + "?, ".repeat(pk.length - 1) + "?)";
        for (int i = 0; i < count; i++) {
            sql.append(i == 0 ? "" : ", ").append(one);
        }
        sql.append(')');
    }

    private String tuple(List<String> columns) {
        return columns.size() == 1 ? dialect.quote(columns.get(0)) : "(" + String.join(", ", quoted(columns)) + ")";
    }

    private List<String> quoted(List<String> names) {
        List<String> out = new ArrayList<>(names.size());
        for (String n : names) {
            out.add(dialect.quote(n));
        }
        return out;
    }
}
