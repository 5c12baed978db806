package io.jdbcsync;

import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code sync.*} options of a connection, validated. They come as connection properties or as
 * URL parameters; an unknown {@code sync.} name or a bad value fails the connect.
 */
public final class SyncOptions {
    /** Option name, default value (null: none), one-line meaning (for the README table and errors). */
    private static final Map<String, String[]> KNOWN = new LinkedHashMap<>();
    /** Environment variable the passphrase is read from when no option gives a key. */
    public static final String PASSPHRASE_ENV = "JDBC_SYNC_PASSPHRASE";

    static {
        known("sync.log", null, "shared log location: a directory path, file:///path or s3://bucket/prefix");
        known("sync.tables", null, "comma-separated tables to sync (default: every table with a primary key)");
        known("sync.exclude", null, "comma-separated tables never to sync");
        known("sync.on-uncapturable", "reject",
                "reject | pass: what to do with a write to a synced table that cannot be captured");
        known("sync.parse-cache-size", "4096", "distinct SQL texts whose analysis is kept");
        known("sync.max-clock-drift-ms", "300000", "remote clocks further ahead than this are clamped");
        known("sync.interval", "0", "background sync period (e.g. 30s, 5m; 0 = off)");
        known("sync.live", "false", "sync shortly after each local commit");
        known("sync.live-delay-ms", "500", "debounce delay of live sync");
        known("sync.batch-max-entries", "5000", "log entries per pushed batch at most");
        known("sync.batch-max-bytes", "4194304", "encoded bytes per pushed batch at most (before compression)");
        known("sync.compact-interval", "0", "compact the shared log this often after a sync (e.g. 1h; 0 = only on CALL sync_compact())");
        known("sync.snapshot-every", "100000", "after a sync, publish a snapshot once this many log entries were pushed and"
                + " pulled since the newest snapshot (0 = never)");
        known("sync.retire-after", "0", "compaction retires devices silent for longer than this (e.g. 30d; 0 = never)");
        known("sync.passphrase", null, "end-to-end encryption passphrase for the shared log"
                + " (or set the environment variable " + PASSPHRASE_ENV + ")");
        known("sync.passphrase-file", null, "file holding the encryption passphrase (its first line), instead of sync.passphrase");
        known("sync.key-file", null, "file with a raw 256-bit key, instead of a passphrase");
        known("sync.keys", "auto", "auto | compact: compact gives every generated integer key from blocks, below 2^53");
        known("sync.key-spare-blocks", "2", "key blocks per table held ahead for offline inserts (narrow or compact keys)");
    }

    private static void known(String name, String def, String meaning) {
        KNOWN.put(name, new String[] {def, meaning});
    }

    private final Map<String, String> values;
    private final SyncConfig config;

    private SyncOptions(Map<String, String> values) throws SQLException {
        this.values = Collections.unmodifiableMap(values);
        validate();
        this.config = SyncConfig.read(this);
    }

    /** The options as typed values, read once when they were checked. */
    public SyncConfig config() {
        return config;
    }

    /** Option names with their default and meaning, in documentation order. */
    public static Map<String, String[]> documented() {
        return Collections.unmodifiableMap(KNOWN);
    }

    /**
     * Picks the {@code sync.*} entries out of {@code properties}, checks them and returns them.
     *
     * @param extraNames option names that pluggable shared logs understand
     */
    public static SyncOptions from(Map<String, String> properties, Set<String> extraNames) throws SQLException {
        Map<String, String> v = new TreeMap<>();
        Set<String> unknown = new TreeSet<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!isSyncOption(name)) {
                continue;
            }
            if (v.containsKey(name) && !v.get(name).equals(e.getValue())) {
                throw bad(name, "given twice with different values (option names ignore case)");
            }
            if (!KNOWN.containsKey(name) && !extraNames.contains(name)) {
                unknown.add(name);
            }
            v.put(name, e.getValue());
        }
        if (!unknown.isEmpty()) {
            throw new SQLException("unknown jdbc-sync option(s) " + unknown + "; known options: "
                    + new TreeSet<>(KNOWN.keySet()) + (extraNames.isEmpty() ? "" : " and " + new TreeSet<>(extraNames)),
                    "HY024");
        }
        return new SyncOptions(v);
    }

    public static SyncOptions from(Properties properties, Set<String> extraNames) throws SQLException {
        Map<String, String> m = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            m.put(name, properties.getProperty(name));
        }
        return from(m, extraNames);
    }

    private void validate() throws SQLException {
        choice("sync.on-uncapturable", "reject", "pass");
        choice("sync.live", "true", "false");
        choice("sync.keys", "auto", "compact");
        positiveInt("sync.key-spare-blocks");
        positiveInt("sync.parse-cache-size");
        positiveLong("sync.max-clock-drift-ms");
        positiveLong("sync.live-delay-ms");
        positiveInt("sync.batch-max-entries");
        positiveInt("sync.batch-max-bytes");
        durationMillis("sync.interval");
        durationMillis("sync.compact-interval");
        nonNegativeLong("sync.snapshot-every");
        durationMillis("sync.retire-after");
        int keySources = 0;
        for (String k : new String[] {"sync.passphrase", "sync.passphrase-file", "sync.key-file"}) {
            keySources += values.containsKey(k) ? 1 : 0;
        }
        if (keySources > 1) {
            throw bad("sync.passphrase", "set only one of sync.passphrase, sync.passphrase-file and sync.key-file");
        }
        String log = values.get("sync.log");
        if (log != null && log.isBlank()) {
            throw bad("sync.log", "must not be empty");
        }
    }

    private void choice(String name, String... allowed) throws SQLException {
        String v = get(name);
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return;
            }
        }
        throw bad(name, "'" + v + "' is not one of " + String.join(", ", allowed));
    }

    private void positiveInt(String name) throws SQLException {
        try {
            if (Integer.parseInt(get(name).trim()) <= 0) {
                throw bad(name, "must be positive, got " + get(name));
            }
        } catch (NumberFormatException e) {
            throw bad(name, "'" + get(name) + "' is not a whole number");
        }
    }

    private void positiveLong(String name) throws SQLException {
        try {
            if (Long.parseLong(get(name).trim()) <= 0) {
                throw bad(name, "must be positive, got " + get(name));
            }
        } catch (NumberFormatException e) {
            throw bad(name, "'" + get(name) + "' is not a whole number");
        }
    }

    private void nonNegativeLong(String name) throws SQLException {
        try {
            if (Long.parseLong(get(name).trim()) < 0) {
                throw bad(name, "must not be negative, got " + get(name));
            }
        } catch (NumberFormatException e) {
            throw bad(name, "'" + get(name) + "' is not a whole number");
        }
    }

    private void durationMillis(String name) throws SQLException {
        try {
            parseDuration(get(name));
        } catch (IllegalArgumentException e) {
            throw bad(name, e.getMessage());
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 30d} or plain seconds. */
    static long parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1000;
        if (t.endsWith("ms")) {
            unit = 1;
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unit = 60_000;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("h")) {
            unit = 3_600_000;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("d")) {
            unit = 86_400_000;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t.trim());
            if (v < 0) {
                throw new IllegalArgumentException("'" + text + "' is negative");
            }
            return v * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 500ms, 30s, 5m, 1h or 30d");
        }
    }

    /** True for a {@code sync.} option name, in any case: the driver and the options agree on this. */
    public static boolean isSyncOption(String name) {
        return name.regionMatches(true, 0, "sync.", 0, 5);
    }

    /** True for options whose value must never be shown: passphrases, passwords, secret keys. */
    public static boolean isSecret(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("passphrase") && !n.endsWith("-file") || n.contains("secret") || n.contains("password");
    }

    private static SQLException bad(String name, String why) {
        return new SQLException("bad value for jdbc-sync option " + name + ": " + why, "HY024");
    }

    /** The text of an option, or its default, or null: for comparing two connections' options; the driver reads {@link #config()}. */
    public String get(String name) {
        String v = values.get(name);
        if (v != null) {
            return v;
        }
        String[] k = KNOWN.get(name);
        return k == null ? null : k[0];
    }

    int getInt(String name) {
        return Integer.parseInt(get(name).trim());
    }

    long getLong(String name) {
        return Long.parseLong(get(name).trim());
    }

    boolean getBoolean(String name) {
        return Boolean.parseBoolean(get(name).trim());
    }

    long getDurationMillis(String name) {
        return parseDuration(get(name));
    }

    /** Every option given explicitly (for shared-log providers). */
    public Map<String, String> given() {
        return values;
    }

    @Override
    public String toString() {
        return redacted(values);
    }

    static String redacted(Map<String, String> values) {
        Map<String, String> shown = new TreeMap<>(values);
        shown.replaceAll((k, val) -> k.contains("passphrase") || k.contains("secret") || k.contains("key") ? "***" : val);
        return shown.toString();
    }
}
