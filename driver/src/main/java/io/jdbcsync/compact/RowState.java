package io.jdbcsync.compact;

import io.jdbcsync.merge.Version;

import java.util.Map;
import java.util.TreeMap;

/** The folded history of one row: what replaying all its log entries leaves, with versions. */
final class RowState {
    /** Version of the last insert or delete, or null when only updates were seen. */
    Version lifecycle;
    boolean deleted;
    /** Column name to its newest version and value. */
    final Map<String, Versioned> columns = new TreeMap<>();

    record Versioned(Version version, Object value) { }
}
