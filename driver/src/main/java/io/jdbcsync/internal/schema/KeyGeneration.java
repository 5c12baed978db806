package io.jdbcsync.internal.schema;

/** What the driver puts in a primary key the app leaves to the database. */
public enum KeyGeneration {
    /** Composite or non-generatable key: the app must give it. */
    NONE,
    /** A time-ordered, device-unique 63-bit positive integer. */
    INTEGER_ID,
    /**
     * An integer from blocks of ids claimed through the shared log: for key columns too narrow for
     * 63-bit ids (INT, MEDIUMINT, SMALLINT), and for every integer key under {@code sync.keys=compact}.
     */
    BLOCK_ID,
    /** A UUIDv7 in its canonical text form. */
    UUID_TEXT,
    /** A UUIDv7 as 16 bytes. */
    UUID_BINARY
}
