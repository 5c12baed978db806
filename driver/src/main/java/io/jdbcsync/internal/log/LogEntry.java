package io.jdbcsync.internal.log;

/**
 * One captured row change, as stored in the local log table and shipped in batches.
 *
 * @param hlc   hybrid-logical-clock timestamp of the change (see {@code io.jdbcsync.internal.clock.Hlc})
 * @param table table name as the schema spells it
 * @param op    what happened to the row
 * @param key   the primary key values, encoded with {@code io.jdbcsync.internal.value.ValueCodec#encodeKey}
 * @param data  the changed columns, encoded with {@code io.jdbcsync.internal.value.ValueCodec#encodeRow};
 *              empty for deletes
 */
public record LogEntry(long hlc, String table, Op op, byte[] key, byte[] data) {
}
