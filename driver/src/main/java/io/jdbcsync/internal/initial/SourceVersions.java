package io.jdbcsync.internal.initial;

import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.merge.VersionStore;
import io.jdbcsync.internal.merge.VersionStore.Stored;
import io.jdbcsync.internal.value.Row;
import io.jdbcsync.internal.value.ValueCodec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The version metadata ({@code _sync_row}) of the rows of one chunk of a source table, read in the
 * source's snapshot, and the log entries that rebuild a row with exactly those versions (its insert,
 * then one update per later column version) for rows the target holds already.
 */
final class SourceVersions {
    /** Keys per lookup: few round trips, within every database's limit on parameters. */
    private static final int STEP = 2500;

    private SourceVersions() {
    }

    static Map<Adoption.RowKey, Stored> read(Connection c, String table, List<byte[]> keys) throws SQLException {
        Map<Adoption.RowKey, Stored> out = new HashMap<>();
        for (Stored s : VersionStore.stored(c, table.toLowerCase(Locale.ROOT), keys, STEP)) {
            out.put(new Adoption.RowKey(s.pk()), s);
        }
        return out;
    }

    /**
     * Entries that give a target holding this key the source's row by the usual rules, grouped by
     * the device that wrote them: the insert at the row's lifecycle version with every column, then
     * per later column version an update of the columns written at it.
     */
    static Map<String, List<LogEntry>> entries(String table, Stored v, byte[] fullRow) {
        Map<String, List<LogEntry>> byDevice = new TreeMap<>();
        byDevice.computeIfAbsent(v.device(), d -> new ArrayList<>()).add(new LogEntry(v.hlc(), table, Op.INSERT, v.pk(), fullRow));
        if (v.cols() == null || v.cols().length == 0) {
            return byDevice;
        }
        Object[] flat = ValueCodec.decodeKey(v.cols());
        Row row = ValueCodec.decodeRow(fullRow);
        // (device, hlc) -> columns written by that change
        Map<String, Map<Long, List<Integer>>> writes = new TreeMap<>();
        for (int i = 0; i + 2 < flat.length; i += 3) {
            String name = (String) flat[i];
            long hlc = (Long) flat[i + 1];
            String device = (String) flat[i + 2];
            for (int c = 0; c < row.columns().size(); c++) {
                if (row.columns().get(c).equalsIgnoreCase(name)) {
                    writes.computeIfAbsent(device, d -> new TreeMap<>()).computeIfAbsent(hlc, h -> new ArrayList<>()).add(c);
                }
            }
        }
        writes.forEach((device, byHlc) -> byHlc.forEach((hlc, columns) -> {
            List<String> names = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (int c : columns) {
                names.add(row.columns().get(c));
                values.add(row.values().get(c));
            }
            byDevice.computeIfAbsent(device, d -> new ArrayList<>())
                    .add(new LogEntry(hlc, table, Op.UPDATE, v.pk(), ValueCodec.encodeRow(names, values)));
        }));
        return byDevice;
    }
}
