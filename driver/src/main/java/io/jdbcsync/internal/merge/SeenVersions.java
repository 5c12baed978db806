package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.value.Row;
import io.jdbcsync.internal.value.ValueCodec;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an update had seen of each column it wrote: the version the column had on its device when
 * it wrote. Attached to this device's updates when they are pushed, carried in batches, and read
 * back when another device integrates them, so {@link MergeRules} can tell a concurrent edit (the
 * newer write had not seen the older one) from a sequential one. Public for compaction, which
 * keeps them in snapshots.
 */
public final class SeenVersions {
    private SeenVersions() {
    }

    /** The recorded versions of a row (lower-case table), or null. */
    interface Lookup {
        RowVersion get(String table, byte[] key) throws SQLException;
    }

    /**
     * This device's entries, in clock order, with the seen versions of their updates: for an entry
     * already folded into the row's versions, the seen version recorded with it; for one not folded
     * yet, the column's version before it (as folding it will record); unknown when the column has
     * a newer version since (overwritten here), or the seen version was never recorded.
     */
    static List<LogEntry> attach(List<LogEntry> entries, String device, Lookup stored) throws SQLException {
        java.util.Set<RowKey> updated = new java.util.HashSet<>();
        for (LogEntry e : entries) {
            if (e.op() == Op.UPDATE) {
                updated.add(new RowKey(e.table().toLowerCase(Locale.ROOT), e.key()));
            }
        }
        if (updated.isEmpty()) {
            return entries; // inserts and deletes carry nothing: no cost for them
        }
        Map<RowKey, RowVersion> working = new HashMap<>();
        List<LogEntry> out = new ArrayList<>(entries.size());
        for (LogEntry e : entries) {
            RowKey k = new RowKey(e.table().toLowerCase(Locale.ROOT), e.key());
            if (!updated.contains(k)) {
                out.add(e);
                continue;
            }
            RowVersion rv = working.containsKey(k) ? working.get(k) : stored.get(k.table(), k.key());
            Version v = new Version(e.hlc(), device);
            if (e.op() != Op.UPDATE) {
                working.put(k, MergeRules.decide(rv, e.op(), v, List.of()).after());
                out.add(e);
                continue;
            }
            RowVersion base = rv == null ? RowVersion.UNKNOWN_LIVE : rv;
            List<String> names = ValueCodec.decodeRow(e.data()).columns();
            List<LogEntry.Seen> seen = new ArrayList<>(names.size());
            for (String n : names) {
                Version cv = base.column(n);
                Version before = cv.equals(v) ? base.seen(n) : v.newerThan(cv) ? cv : null;
                seen.add(before == null ? null : new LogEntry.Seen(before.hlc(), before.device()));
            }
            working.put(k, base.written(names, v));
            out.add(e.withSeen(seen));
        }
        return out;
    }

    /** What an entry says its update had seen, by lower-case column name (empty: nothing known). */
    public static Map<String, Version> of(LogEntry e, Row data) {
        if (e.op() != Op.UPDATE || e.seen() == null || data == null || e.seen().size() != data.columns().size()) {
            return Map.of();
        }
        Map<String, Version> out = new TreeMap<>();
        for (int i = 0; i < e.seen().size(); i++) {
            LogEntry.Seen s = e.seen().get(i);
            if (s != null) {
                out.put(data.columns().get(i).toLowerCase(Locale.ROOT), new Version(s.hlc(), s.device()));
            }
        }
        return out;
    }
}
