package io.jdbcsync.compact;

import io.jdbcsync.log.LogEntry;
import io.jdbcsync.log.Op;
import io.jdbcsync.merge.RowKey;
import io.jdbcsync.merge.Version;
import io.jdbcsync.value.Row;
import io.jdbcsync.value.ValueCodec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds log entries into the state they leave, with the same rules the integrator applies (newer
 * version per column, delete wins over updates, newer insert resurrects), and turns that state
 * back into entries: one insert or delete per row plus an update per later column version.
 * Replaying the result anywhere gives what replaying all the folded entries gives.
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
        switch (e.op()) {
            case DELETE:
                if (s.lifecycle == null || v.newerThan(s.lifecycle)) {
                    s.lifecycle = v;
                    s.deleted = true;
                    // Updates newer than the delete stay, for a later insert of the same key.
                    s.columns.values().removeIf(c -> !c.version().newerThan(v));
                }
                break;
            case INSERT: {
                if (s.lifecycle != null && !v.newerThan(s.lifecycle)) {
                    break;
                }
                s.lifecycle = v;
                s.deleted = false;
                s.columns.values().removeIf(c -> c.version().compareTo(v) < 0);
                merge(s, e, v);
                break;
            }
            default: {
                if (!s.deleted || v.newerThan(s.lifecycle)) {
                    merge(s, e, v);
                }
                break;
            }
        }
    }

    /** Each column of the entry replaces the folded one unless that one is newer. */
    private static void merge(RowState s, LogEntry e, Version v) {
        Row row = ValueCodec.decodeRow(e.data());
        for (int i = 0; i < row.columns().size(); i++) {
            String c = row.columns().get(i);
            RowState.Versioned old = s.columns.get(c);
            if (old == null || !old.version().newerThan(v)) {
                s.columns.put(c, new RowState.Versioned(v, row.values().get(i)));
            }
        }
    }

    int rowCount() {
        return rows.size();
    }

    /** The folded state as entries, grouped by the device whose version each carries. */
    Map<String, List<LogEntry>> entriesByDevice() {
        Map<String, List<LogEntry>> out = new TreeMap<>();
        for (Map.Entry<RowKey, RowState> r : rows.entrySet()) {
            String table = tableNames.get(r.getKey());
            byte[] key = r.getKey().key();
            RowState s = r.getValue();
            if (s.deleted) {
                add(out, s.lifecycle, new LogEntry(s.lifecycle.hlc(), table, Op.DELETE, key, new byte[0]));
            }
            Map<Version, List<String>> byVersion = new TreeMap<>();
            s.columns.forEach((c, val) -> byVersion.computeIfAbsent(val.version(), x -> new ArrayList<>()).add(c));
            if (s.lifecycle != null && !s.deleted) {
                byVersion.putIfAbsent(s.lifecycle, new ArrayList<>());
            }
            for (Map.Entry<Version, List<String>> group : byVersion.entrySet()) {
                List<Object> values = new ArrayList<>();
                for (String c : group.getValue()) {
                    values.add(s.columns.get(c).value());
                }
                Op op = group.getKey().equals(s.lifecycle) && !s.deleted ? Op.INSERT : Op.UPDATE;
                add(out, group.getKey(), new LogEntry(group.getKey().hlc(), table, op, key,
                        ValueCodec.encodeRow(group.getValue(), values)));
            }
        }
        out.values().forEach(list -> list.sort(java.util.Comparator.comparingLong(LogEntry::hlc)));
        return out;
    }

    private static void add(Map<String, List<LogEntry>> out, Version v, LogEntry e) {
        out.computeIfAbsent(v.device(), d -> new ArrayList<>()).add(e);
    }
}
