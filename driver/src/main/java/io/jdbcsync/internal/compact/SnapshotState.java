package io.jdbcsync.internal.compact;

import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.merge.MergeRules;
import io.jdbcsync.internal.merge.RowKey;
import io.jdbcsync.internal.merge.RowVersion;
import io.jdbcsync.internal.merge.SeenVersions;
import io.jdbcsync.internal.merge.Version;
import io.jdbcsync.internal.value.Row;
import io.jdbcsync.internal.value.ValueCodec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds log entries into the state they leave, deciding each with {@link MergeRules} exactly as
 * the integrator does, and turns that state back into entries: one insert or delete per row plus
 * an update per later column version. Replaying the result anywhere gives what replaying all the
 * folded entries gives.
 */
final class SnapshotState {
    private final Map<RowKey, RowState> rows = new HashMap<>();
    private final Map<RowKey, String> tableNames = new HashMap<>();

    void apply(String origin, List<LogEntry> entries) {
        for (LogEntry e : entries) {
            apply(origin, e);
        }
    }

    private void apply(String origin, LogEntry e) {
        RowKey k = new RowKey(e.table().toLowerCase(java.util.Locale.ROOT), e.key());
        tableNames.putIfAbsent(k, e.table());
        RowState s = rows.computeIfAbsent(k, x -> new RowState());
        Version v = new Version(e.hlc(), origin);
        Row row = e.op() == Op.DELETE ? new Row(List.of(), List.of()) : ValueCodec.decodeRow(e.data());
        apply(s, e.op(), v, row.columns(), row.values(), SeenVersions.of(e, row));
    }

    private static void apply(RowState s, Op op, Version v, List<String> names, List<Object> values,
                              Map<String, Version> seen) {
        MergeRules.Decision d = MergeRules.decide(s.version, op, v, names, seen);
        if (d.action() == MergeRules.Action.PARK) {
            for (int i = 0; i < names.size(); i++) {
                s.parked.merge(names.get(i), new RowState.Versioned(v, values.get(i)),
                        (old, now) -> old.version().newerThan(now.version()) ? old : now);
            }
            return;
        }
        if (d.settlesBefore() != null) {
            s.losers.keySet().removeIf(l -> d.settlesBefore().newerThan(l));
        }
        if (d.loser() != null) {
            Map<String, Object> lost = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            if (d.loser().equals(v)) {
                for (int i = 0; i < names.size(); i++) {
                    lost.put(names.get(i), values.get(i));
                }
            } else {
                lost.putAll(s.values);
            }
            s.losers.putIfAbsent(d.loser(), lost);
        }
        if (!d.applies()) {
            s.version = d.after();
            return;
        }
        switch (op) {
            case DELETE: {
                Map<String, RowState.Versioned> kept = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                s.parked.forEach((c, pv) -> {
                    if (pv.version().newerThan(v)) {
                        kept.put(c, pv);
                    }
                });
                d.outliving().forEach((c, cv) -> kept.put(c, new RowState.Versioned(cv, s.values.get(c))));
                s.parked = kept;
                s.values.clear();
                s.version = d.after();
                break;
            }
            case INSERT: {
                Map<String, Object> before = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                before.putAll(s.values);
                s.values.clear();
                // Columns an update newer than this insert wrote keep their value.
                for (String c : d.after().columns().keySet()) {
                    if (before.containsKey(c)) {
                        s.values.put(c, before.get(c));
                    }
                }
                for (int i = 0; i < names.size(); i++) {
                    if (d.takes(names.get(i))) {
                        s.values.put(names.get(i), values.get(i));
                    }
                }
                s.version = d.after();
                // Updates kept aside while the row was deleted apply now, as parked updates do on a device.
                Map<Version, List<String>> parked = byVersion(s.parked, RowState.Versioned::version);
                Map<String, RowState.Versioned> saved = s.parked;
                s.parked = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                for (Map.Entry<Version, List<String>> group : parked.entrySet()) {
                    List<Object> vals = new ArrayList<>();
                    for (String c : group.getValue()) {
                        vals.add(saved.get(c).value());
                    }
                    apply(s, Op.UPDATE, group.getKey(), group.getValue(), vals, Map.of());
                }
                break;
            }
            default:
                for (int i = 0; i < names.size(); i++) {
                    if (d.takes(names.get(i))) {
                        s.values.put(names.get(i), values.get(i));
                    }
                }
                s.version = d.after();
                break;
        }
    }

    private static <T> Map<Version, List<String>> byVersion(Map<String, T> columns, java.util.function.Function<T, Version> version) {
        Map<Version, List<String>> out = new TreeMap<>();
        columns.forEach((c, x) -> out.computeIfAbsent(version.apply(x), y -> new ArrayList<>()).add(c));
        return out;
    }

    int rowCount() {
        return rows.size();
    }

    /** Takes the entries of the folded state, each with the device whose version it carries. */
    interface Sink {
        void add(String device, LogEntry e) throws java.io.IOException;
    }

    /**
     * The folded state as entries, grouped by the device whose version each carries, in clock
     * order: the fold of everything in memory that {@link BoundedFold} is tested against.
     */
    Map<String, List<LogEntry>> entriesByDevice() {
        Map<String, List<LogEntry>> out = new TreeMap<>();
        Sink sink = (device, e) -> out.computeIfAbsent(device, d -> new ArrayList<>()).add(e);
        try {
            for (Map.Entry<RowKey, RowState> r : rows.entrySet()) {
                emit(r.getKey(), r.getValue(), sink);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a list never throws
        }
        out.values().forEach(list -> list.sort(java.util.Comparator.comparingLong(LogEntry::hlc)));
        return out;
    }

    /** Hands the folded rows to {@code out} and forgets them: compaction folds one row at a time. */
    int drainTo(Sink out) throws java.io.IOException {
        int n = rows.size();
        for (Map.Entry<RowKey, RowState> r : rows.entrySet()) {
            emit(r.getKey(), r.getValue(), out);
        }
        rows.clear();
        tableNames.clear();
        return n;
    }

    private void emit(RowKey k, RowState s, Sink out) throws java.io.IOException {
        String table = tableNames.get(k);
        byte[] key = k.key();
        RowVersion rv = s.version;
        if (rv == null) {
            return;
        }
        Version lifecycle = rv.lifecycle();
        boolean inserted = !rv.deleted() && !lifecycle.equals(Version.ORIGIN);
        if (rv.deleted()) {
            add(out, lifecycle, new LogEntry(lifecycle.hlc(), table, Op.DELETE, key, new byte[0]));
            for (Map.Entry<Version, List<String>> g : byVersion(s.parked, RowState.Versioned::version).entrySet()) {
                add(out, g.getKey(), entry(table, Op.UPDATE, key, g.getKey(), g.getValue(), c -> s.parked.get(c).value()));
            }
            return;
        }
        // The newest delete and the losing inserts, so that every device records the same losers.
        if (!rv.lastDelete().equals(Version.ORIGIN)) {
            Version del = rv.lastDelete();
            add(out, del, new LogEntry(del.hlc(), table, Op.DELETE, key, new byte[0]));
        }
        for (Map.Entry<Version, Map<String, Object>> l : s.losers.entrySet()) {
            Map<String, Object> row = l.getValue();
            add(out, l.getKey(), entry(table, Op.INSERT, key, l.getKey(), new ArrayList<>(row.keySet()), row::get));
        }
        Map<Version, List<String>> groups = new TreeMap<>();
        for (String c : s.values.keySet()) {
            groups.computeIfAbsent(rv.column(c), y -> new ArrayList<>()).add(c);
        }
        if (inserted) {
            groups.putIfAbsent(lifecycle, new ArrayList<>());
        }
        for (Map.Entry<Version, List<String>> group : groups.entrySet()) {
            Op op = inserted && group.getKey().equals(lifecycle) ? Op.INSERT : Op.UPDATE;
            LogEntry e = entry(table, op, key, group.getKey(), group.getValue(), s.values::get);
            // Later writes are told from concurrent ones by what these had seen: kept in the snapshot.
            add(out, group.getKey(), op == Op.UPDATE ? e.withSeen(seen(rv, group.getValue())) : e);
        }
    }

    private static List<LogEntry.Seen> seen(RowVersion rv, List<String> columns) {
        List<LogEntry.Seen> out = new ArrayList<>();
        for (String c : columns) {
            Version s = rv.seen(c);
            out.add(s == null ? null : new LogEntry.Seen(s.hlc(), s.device()));
        }
        return out;
    }

    private static LogEntry entry(String table, Op op, byte[] key, Version v, List<String> columns,
                                  java.util.function.Function<String, Object> value) {
        List<Object> values = new ArrayList<>();
        for (String c : columns) {
            values.add(value.apply(c));
        }
        return new LogEntry(v.hlc(), table, op, key, ValueCodec.encodeRow(columns, values));
    }

    private static void add(Sink out, Version v, LogEntry e) throws java.io.IOException {
        out.add(v.device(), e);
    }
}
