package io.jdbcsync.internal.compact;

import io.jdbcsync.internal.device.MetadataStore;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.log.BatchCipher;
import io.jdbcsync.spi.SharedLog;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * When a device publishes a snapshot by itself ({@code sync.snapshot-every}): once the log entries
 * it pushed and pulled since the newest snapshot it knows of reach the threshold. Every device
 * counts what it sees, so several cross it at about the same time; the first to look finds no newer
 * snapshot and compacts, the others either find that device's snapshot and start counting again,
 * or race it, which the create-only manifest settles (the loser drops its attempt). The count is
 * kept in the database ({@code snapshot.entries}, {@code snapshot.seen}), so processes that each
 * sync briefly (the command line) add up.
 *
 * <p>Internal: public only for the engine.
 */
public final class SnapshotSchedule {
    static final String ENTRIES = "snapshot.entries";
    static final String SEEN = "snapshot.seen";

    private SnapshotSchedule() {
    }

    /**
     * Counts the entries a sync moved; true when this device should compact now.
     *
     * @param every the threshold in log entries (0: never)
     */
    public static boolean due(Connection c, Dialect d, SharedLog log, BatchCipher cipher, long every, long moved)
            throws SQLException {
        if (every <= 0 || moved <= 0) {
            return false;
        }
        long entries = number(MetadataStore.get(c, ENTRIES)) + moved;
        if (entries < every) {
            MetadataStore.put(c, d, ENTRIES, Long.toString(entries));
            return false;
        }
        long latest;
        try {
            latest = Manifest.latest(log, cipher).map(Manifest::number).orElse(0L);
        } catch (IOException e) {
            throw new SQLException("could not read the newest snapshot of the shared log: " + e.getMessage(), "08006", e);
        }
        long seen = number(MetadataStore.get(c, SEEN));
        MetadataStore.put(c, d, SEEN, Long.toString(latest));
        MetadataStore.put(c, d, ENTRIES, "0");
        // A snapshot published since this device last looked covers (most of) what it counted.
        return latest <= seen;
    }

    /** After a compaction of this device: counting starts again from its snapshot. */
    public static void published(Connection c, Dialect d, long snapshot) throws SQLException {
        if (snapshot > 0) {
            MetadataStore.put(c, d, SEEN, Long.toString(snapshot));
        }
        MetadataStore.put(c, d, ENTRIES, "0");
    }

    private static long number(String stored) throws SQLException {
        try {
            return stored == null || stored.isBlank() ? 0 : Long.parseLong(stored.trim());
        } catch (NumberFormatException e) {
            throw new SQLException("jdbc-sync metadata table _sync_state is damaged: '" + stored + "' is not a count", "XX001", e);
        }
    }
}
