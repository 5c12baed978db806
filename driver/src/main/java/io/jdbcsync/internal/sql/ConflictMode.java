package io.jdbcsync.internal.sql;

/** What an insert does when its row collides with an existing key. */
public enum ConflictMode {
    /** Fails (the database raises an error). */
    FAIL,
    /** INSERT IGNORE, INSERT OR IGNORE, ON CONFLICT DO NOTHING. */
    IGNORE,
    /** REPLACE INTO, INSERT OR REPLACE: existing rows are deleted, the new one inserted. */
    REPLACE,
    /** ON DUPLICATE KEY UPDATE, ON CONFLICT DO UPDATE: the existing row is updated. */
    UPDATE
}
