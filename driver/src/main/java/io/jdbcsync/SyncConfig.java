package io.jdbcsync;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code sync.*} options of a connection as typed values, read once at connect after
 * {@link SyncOptions} has checked them; the rest of the driver reads these, never option strings.
 *
 * @param log               shared log location, or null when none is configured
 * @param tables            comma-separated tables to sync, or null for every table with a primary key
 * @param exclude           comma-separated tables never to sync, or null
 * @param passUncapturable  true when a write that cannot be captured runs unlogged instead of failing
 * @param snapshotEvery     log entries pushed and pulled after which a sync publishes a snapshot (0 = never)
 * @param given             every option given explicitly, for shared-log providers
 */
public record SyncConfig(String log, String tables, String exclude, boolean passUncapturable, int parseCacheSize,
                         long maxClockDriftMs, long intervalMs, boolean live, long liveDelayMs, int batchMaxEntries,
                         long batchMaxBytes, long compactIntervalMs, long snapshotEvery, long retireAfterMs, String passphrase,
                         String passphraseFile, String keyFile, boolean compactKeys, int keySpareBlocks,
                         Map<String, String> given) {

    public SyncConfig {
        given = Collections.unmodifiableMap(new TreeMap<>(given));
    }

    /** Reads checked options; every name here is in {@link SyncOptions}' table. */
    static SyncConfig read(SyncOptions o) {
        return new SyncConfig(o.get("sync.log"), o.get("sync.tables"), o.get("sync.exclude"),
                "pass".equalsIgnoreCase(o.get("sync.on-uncapturable")), o.getInt("sync.parse-cache-size"),
                o.getLong("sync.max-clock-drift-ms"), o.getDurationMillis("sync.interval"), o.getBoolean("sync.live"),
                o.getLong("sync.live-delay-ms"), o.getInt("sync.batch-max-entries"), o.getLong("sync.batch-max-bytes"),
                o.getDurationMillis("sync.compact-interval"), o.getLong("sync.snapshot-every"),
                o.getDurationMillis("sync.retire-after"),
                o.get("sync.passphrase"), o.get("sync.passphrase-file"), o.get("sync.key-file"),
                "compact".equalsIgnoreCase(o.get("sync.keys")), o.getInt("sync.key-spare-blocks"), o.given());
    }

    /** Secrets never show: the options' own redacted form. */
    @Override
    public String toString() {
        return "SyncConfig" + SyncOptions.redacted(given);
    }
}
