package io.jdbcsync.merge;

import io.jdbcsync.value.ValueCodec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The version metadata of one row: its lifecycle (the last insert or delete and which it was), and
 * for columns changed after that, each column's own version. Kept in {@code _sync_row}.
 *
 * @param lifecycle version of the last insert or delete
 * @param deleted   true when that last lifecycle event was a delete
 * @param columns   lower-cased column name to version, only for columns newer than the lifecycle
 */
public record RowVersion(Version lifecycle, boolean deleted, Map<String, Version> columns) {

    public RowVersion {
        columns = Collections.unmodifiableMap(new TreeMap<>(columns));
    }

    /** A row that exists but has no recorded history (it predates sync). */
    static final RowVersion UNKNOWN_LIVE = new RowVersion(Version.ORIGIN, false, Map.of());

    /** The version a column's current value has. */
    public Version column(String name) {
        Version v = columns.get(name.toLowerCase(Locale.ROOT));
        return v == null ? lifecycle : Version.max(v, lifecycle);
    }

    /** After an insert at {@code v}: every column has version v, except columns written later. */
    RowVersion inserted(Version v) {
        Map<String, Version> kept = new TreeMap<>();
        columns.forEach((k, cv) -> {
            if (cv.newerThan(v)) {
                kept.put(k, cv);
            }
        });
        return new RowVersion(v, false, kept);
    }

    RowVersion deleted(Version v) {
        return new RowVersion(v, true, Map.of());
    }

    RowVersion updated(List<String> names, Version v) {
        Map<String, Version> m = new TreeMap<>(columns);
        for (String n : names) {
            m.merge(n.toLowerCase(Locale.ROOT), v, Version::max);
        }
        return new RowVersion(lifecycle, deleted, m);
    }

    /** Column versions as stored: name, hlc, device repeated, in the value codec's key form. */
    byte[] encodeColumns() {
        if (columns.isEmpty()) {
            return null;
        }
        List<Object> flat = new ArrayList<>(columns.size() * 3);
        columns.forEach((k, v) -> {
            flat.add(k);
            flat.add(v.hlc());
            flat.add(v.device());
        });
        return ValueCodec.encodeKey(flat);
    }

    static Map<String, Version> decodeColumns(byte[] bytes) {
        Map<String, Version> m = new TreeMap<>();
        if (bytes == null || bytes.length == 0) {
            return m;
        }
        Object[] flat = ValueCodec.decodeKey(bytes);
        if (flat.length % 3 != 0) {
            throw new IllegalArgumentException("corrupt column versions: " + flat.length + " values");
        }
        for (int i = 0; i < flat.length; i += 3) {
            m.put((String) flat[i], new Version((Long) flat[i + 1], (String) flat[i + 2]));
        }
        return m;
    }
}
