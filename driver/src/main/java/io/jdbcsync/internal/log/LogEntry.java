package io.jdbcsync.internal.log;

import java.util.List;

/**
 * One captured row change, as stored in the local log table and shipped in batches.
 *
 * @param hlc   hybrid-logical-clock timestamp of the change (see {@code io.jdbcsync.internal.clock.Hlc})
 * @param table table name as the schema spells it
 * @param op    what happened to the row
 * @param key   the primary key values, encoded with {@code io.jdbcsync.internal.value.ValueCodec#encodeKey}
 * @param data  the changed columns, encoded with {@code io.jdbcsync.internal.value.ValueCodec#encodeRow};
 *              empty for deletes
 * @param seen  for an update, per column of {@code data} in its order: the version that column had
 *              on the writing device when it wrote (a null element: unknown); null when nothing is
 *              known (not an update, an entry of an older device, or one not yet read from the log)
 */
public record LogEntry(long hlc, String table, Op op, byte[] key, byte[] data, List<Seen> seen) {

    public LogEntry(long hlc, String table, Op op, byte[] key, byte[] data) {
        this(hlc, table, op, key, data, null);
    }

    /** A version as an entry carries it (the log does not depend on the merge rules' types). */
    public record Seen(long hlc, String device) { }

    /** This entry with the seen versions of its columns attached. */
    public LogEntry withSeen(List<Seen> columns) {
        return new LogEntry(hlc, table, op, key, data, columns);
    }
}
