package io.jdbcsync.internal.sql;

/** How the driver treats a statement. */
public enum StatementKind {
    /** Cannot change table data: sent as it is. */
    READ,
    /** Changes rows: captured when it touches a synced table. */
    WRITE,
    /** Changes the schema: sent as it is, then the schema is reloaded. */
    DDL,
    /** BEGIN / COMMIT / ROLLBACK / SAVEPOINT as SQL text. */
    TRANSACTION,
    /** A {@code CALL sync_...()} handled by the driver itself. */
    CONTROL,
    /** Anything else (PRAGMA, SET, USE, ...): sent as it is. */
    OTHER
}
