package io.jdbcsync.internal.keys;

import java.sql.SQLDataException;

/** Every block of a key space is claimed: no id that fits the column is left for generated keys. */
final class KeySpaceExhaustedException extends SQLDataException {
    private static final long serialVersionUID = 1L;

    KeySpaceExhaustedException(KeySpace space) {
        super("every id of " + (space.column() == null ? "sequence " + space.table() : space.table() + "." + space.column())
                + " (1 to " + space.max()
                + ") is claimed by some device: jdbc-sync cannot generate another key that fits. Widen the column"
                + " (BIGINT holds the driver's 63-bit ids), or give keys explicitly in the insert", "22003");
    }
}
