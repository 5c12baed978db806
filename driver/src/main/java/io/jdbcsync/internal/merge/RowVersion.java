package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.value.ValueCodec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The version metadata of one row: its lifecycle (the last insert or delete and which it was), for
 * columns changed after that each column's own version, and the newest delete of the row known.
 * Kept in {@code _sync_row}.
 *
 * @param lifecycle  version of the last insert or delete
 * @param deleted    true when that last lifecycle event was a delete
 * @param columns    lower-cased column name to version, only for columns newer than the lifecycle
 * @param lastDelete the newest delete of the row known ({@link Version#ORIGIN} if none): inserts
 *                   older than it were deleted, so they lost no same-key conflict
 */
public record RowVersion(Version lifecycle, boolean deleted, Map<String, Version> columns, Version lastDelete) {
    /** Name under which {@link #lastDelete} is stored among the column versions (no column has it). */
    private static final String LAST_DELETE = "";

    public RowVersion {
        columns = Collections.unmodifiableMap(new TreeMap<>(columns));
    }

    public RowVersion(Version lifecycle, boolean deleted, Map<String, Version> columns) {
        this(lifecycle, deleted, columns, deleted ? lifecycle : Version.ORIGIN);
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
        return new RowVersion(v, false, kept, lastDelete);
    }

    RowVersion deleted(Version v) {
        return new RowVersion(v, true, Map.of(), Version.max(v, lastDelete));
    }

    /** Knows of a delete older than the lifecycle (it changed nothing else). */
    RowVersion deletedBefore(Version v) {
        return new RowVersion(lifecycle, deleted, columns, Version.max(v, lastDelete));
    }

    RowVersion updated(List<String> names, Version v) {
        Map<String, Version> m = new TreeMap<>(columns);
        for (String n : names) {
            m.merge(n.toLowerCase(Locale.ROOT), v, Version::max);
        }
        return new RowVersion(lifecycle, deleted, m, lastDelete);
    }

    /** Column versions as stored: name, hlc, device repeated, in the value codec's key form (public for initial sync). */
    public byte[] encodeColumns() {
        boolean withDelete = !lastDelete.equals(Version.ORIGIN) && !(deleted && lastDelete.equals(lifecycle));
        if (columns.isEmpty() && !withDelete) {
            return null;
        }
        List<Object> flat = new ArrayList<>(columns.size() * 3 + 3);
        columns.forEach((k, v) -> {
            flat.add(k);
            flat.add(v.hlc());
            flat.add(v.device());
        });
        if (withDelete) {
            flat.add(LAST_DELETE);
            flat.add(lastDelete.hlc());
            flat.add(lastDelete.device());
        }
        return ValueCodec.encodeKey(flat);
    }

    /** A row's versions as stored in {@code _sync_row}. */
    static RowVersion decode(Version lifecycle, boolean deleted, byte[] bytes) {
        Map<String, Version> m = new TreeMap<>();
        Version lastDelete = deleted ? lifecycle : Version.ORIGIN;
        if (bytes != null && bytes.length > 0) {
            Object[] flat = ValueCodec.decodeKey(bytes);
            if (flat.length % 3 != 0) {
                throw new IllegalArgumentException("corrupt column versions: " + flat.length + " values");
            }
            for (int i = 0; i < flat.length; i += 3) {
                Version v = new Version((Long) flat[i + 1], (String) flat[i + 2]);
                if (LAST_DELETE.equals(flat[i])) {
                    lastDelete = Version.max(lastDelete, v);
                } else {
                    m.put((String) flat[i], v);
                }
            }
        }
        return new RowVersion(lifecycle, deleted, m, lastDelete);
    }
}
