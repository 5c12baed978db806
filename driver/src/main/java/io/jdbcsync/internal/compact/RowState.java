package io.jdbcsync.internal.compact;

import io.jdbcsync.internal.merge.RowVersion;
import io.jdbcsync.internal.merge.Version;

import java.util.Map;
import java.util.TreeMap;

/** The folded history of one row: what replaying all its log entries leaves, with versions. */
final class RowState {
    /** The row's versions as the merge rules keep them, or null when nothing was seen. */
    RowVersion version;
    /** Column name to its current value (of the live row; empty once deleted). */
    final Map<String, Object> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    /** Of a deleted row: columns written after the delete, kept for an insert of the same key. */
    Map<String, Versioned> parked = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    /** Inserts that lost a same-key conflict (no delete after them yet), with the row each left. */
    final Map<Version, Map<String, Object>> losers = new TreeMap<>();

    record Versioned(Version version, Object value) { }
}
