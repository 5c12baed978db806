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
 * @param seen       for columns of {@code columns}: the version the column had on the writing device
 *                   when it wrote (what that write had seen); absent when unknown (older metadata, an
 *                   entry of an older device, or a local write the device has overwritten since)
 */
public record RowVersion(Version lifecycle, boolean deleted, Map<String, Version> columns, Version lastDelete,
                         Map<String, Version> seen) {
    /** Name under which {@link #lastDelete} is stored among the column versions (no column has it). */
    private static final String LAST_DELETE = "";
    /** Prefix of the names under which seen versions are stored (no column name starts with it). */
    private static final String SEEN = "\u0001";

    public RowVersion {
        columns = columns.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(columns));
        seen = seen.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(seen));
    }

    public RowVersion(Version lifecycle, boolean deleted, Map<String, Version> columns, Version lastDelete) {
        this(lifecycle, deleted, columns, lastDelete, Map.of());
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

    /** What the write that gave a column its current version had seen of it, or null when unknown. */
    public Version seen(String name) {
        return seen.get(name.toLowerCase(Locale.ROOT));
    }

    /** After an insert at {@code v}: every column has version v, except columns written later. */
    RowVersion inserted(Version v) {
        Map<String, Version> kept = new TreeMap<>();
        Map<String, Version> keptSeen = new TreeMap<>();
        columns.forEach((k, cv) -> {
            if (cv.newerThan(v)) {
                kept.put(k, cv);
                if (seen.containsKey(k)) {
                    keptSeen.put(k, seen.get(k));
                }
            }
        });
        return new RowVersion(v, false, kept, lastDelete, keptSeen);
    }

    RowVersion deleted(Version v) {
        return new RowVersion(v, true, Map.of(), Version.max(v, lastDelete));
    }

    /** Knows of a delete older than the lifecycle (it changed nothing else). */
    RowVersion deletedBefore(Version v) {
        return new RowVersion(lifecycle, deleted, columns, Version.max(v, lastDelete), seen);
    }

    /**
     * After an update at {@code v} of these columns, whose writer had seen {@code seenByWrite} of
     * them (lower-cased names; a column absent there: unknown). A column already at {@code v} (the
     * same write again) keeps what it had; the caller passes only columns not newer than v.
     */
    RowVersion updated(List<String> names, Version v, Map<String, Version> seenByWrite) {
        Map<String, Version> m = new TreeMap<>(columns);
        Map<String, Version> s = new TreeMap<>(seen);
        for (String n : names) {
            String k = n.toLowerCase(Locale.ROOT);
            if (v.equals(column(k))) {
                continue;
            }
            m.merge(k, v, Version::max);
            if (m.get(k).equals(v)) {
                Version before = seenByWrite.get(k);
                if (before == null) {
                    s.remove(k);
                } else {
                    s.put(k, before);
                }
            }
        }
        return new RowVersion(lifecycle, deleted, m, lastDelete, s);
    }

    /**
     * After this device's own update at {@code v} (already in the table): each column it wrote
     * records v, having seen the column's version before it. Folding the same write again changes
     * nothing; a column some newer write already has stays as it is.
     */
    RowVersion written(List<String> names, Version v) {
        Map<String, Version> m = new TreeMap<>(columns);
        Map<String, Version> s = new TreeMap<>(seen);
        for (String n : names) {
            String k = n.toLowerCase(Locale.ROOT);
            Version cv = column(k);
            if (v.newerThan(cv)) {
                m.put(k, v);
                s.put(k, cv);
            } else if (cv.newerThan(v)) {
                m.merge(k, v, Version::max); // recorded, as before, even where the lifecycle is newer
            }
        }
        return new RowVersion(lifecycle, deleted, m, lastDelete, s);
    }

    /**
     * Column versions as stored: name, hlc, device repeated, in the value codec's key form (public
     * for initial sync). A column's seen version follows as another triple named with a
     * {@code \u0001} prefix; metadata written before seen versions existed has none (unknown).
     */
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
        seen.forEach((k, v) -> {
            if (columns.containsKey(k)) {
                flat.add(SEEN + k);
                flat.add(v.hlc());
                flat.add(v.device());
            }
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
        Map<String, Version> seen = new TreeMap<>();
        Version lastDelete = deleted ? lifecycle : Version.ORIGIN;
        if (bytes != null && bytes.length > 0) {
            Object[] flat = ValueCodec.decodeKey(bytes);
            if (flat.length % 3 != 0) {
                throw new IllegalArgumentException("corrupt column versions: " + flat.length + " values");
            }
            for (int i = 0; i < flat.length; i += 3) {
                Version v = new Version((Long) flat[i + 1], (String) flat[i + 2]);
                String name = (String) flat[i];
                if (LAST_DELETE.equals(name)) {
                    lastDelete = Version.max(lastDelete, v);
                } else if (name.startsWith(SEEN)) {
                    seen.put(name.substring(SEEN.length()), v);
                } else {
                    m.put((String) flat[i], v);
                }
            }
        }
        seen.keySet().retainAll(m.keySet());
        return new RowVersion(lifecycle, deleted, m, lastDelete, seen);
    }
}
