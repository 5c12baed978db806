package io.jdbcsync.internal.cli;

import io.jdbcsync.internal.log.SharedLogs;
import picocli.CommandLine.Option;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opening the databases a command names: existing databases only (a typo must not create a new
 * database and a ghost device), with the shared log and secrets from options, files or the
 * environment rather than only the URL (which ends up in shell history and {@code ps}).
 */
final class Connections {
    static final String PASSPHRASE_ENV = "JDBC_SYNC_PASSPHRASE";

    /** --log and the secrets, shared by the commands that talk to the shared log. */
    static final class LogOptions {
        @Option(names = "--log", paramLabel = "LOCATION", description = "shared log: a directory, file:///path or s3://bucket/prefix (sets sync.log)")
        String log;

        @Option(names = "--passphrase-file", paramLabel = "FILE",
                description = "read sync.passphrase from this file (or set " + PASSPHRASE_ENV + ")")
        Path passphraseFile;

        Properties properties() {
            Properties p = new Properties();
            if (log != null) {
                p.setProperty("sync.log", log);
            }
            String passphrase = null;
            if (passphraseFile != null) {
                try {
                    passphrase = Files.readString(passphraseFile, StandardCharsets.UTF_8).strip();
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("cannot read the passphrase file " + passphraseFile + ": " + e.getMessage(), e);
                }
            } else if (System.getenv(PASSPHRASE_ENV) != null) {
                passphrase = System.getenv(PASSPHRASE_ENV);
            }
            if (passphrase != null) {
                p.setProperty("sync.passphrase", passphrase);
            }
            return p;
        }
    }

    private Connections() {
    }

    /**
     * A required option, checked after parsing: picocli reports unknown options (with suggestions)
     * only when nothing required is missing, and {@code --urll x} must say "unknown option --urll".
     */
    static void require(picocli.CommandLine.Model.CommandSpec spec, String value, String option) {
        if (value == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '" + option + "=URL'");
        }
    }

    /** The jdbc:sync: form of a URL given on the command line. */
    static String syncUrl(String url) {
        if (url.startsWith("jdbc:") && !url.startsWith("jdbc:sync:")) {
            return "jdbc:sync:" + url.substring("jdbc:".length());
        }
        if (!url.startsWith("jdbc:sync:")) {
            throw new IllegalArgumentException("'" + url + "' is not a JDBC URL: give jdbc:sync:sqlite:/path/app.db,"
                    + " jdbc:sync:mariadb://host/db?user=... (or the plain jdbc:sqlite:/jdbc:mariadb: URL)");
        }
        return url;
    }

    /** The jdbc:sync: URL of an existing database, opened read-write without create. */
    static String existing(String url, Properties options) {
        String sync = checkExisting(syncUrl(url));
        checkLog(sync, options);
        return sync;
    }

    /** Opens an existing database through the sync driver. */
    static Connection openExisting(String url, Properties options) throws SQLException {
        String sync = existing(url, options);
        try {
            return DriverManager.getConnection(sync, options);
        } catch (SQLException e) {
            throw new SQLException("cannot open " + describe(sync) + ": " + e.getMessage(), e.getSQLState(), e);
        }
    }

    /** Opens an existing database without the sync driver (reads that must write nothing). */
    static Connection openRaw(String url) throws SQLException {
        String sync = checkExisting(syncUrl(url));
        String raw = "jdbc:" + stripSyncParameters(sync.substring("jdbc:sync:".length()));
        try {
            return DriverManager.getConnection(raw);
        } catch (SQLException e) {
            throw new SQLException("cannot open " + describe(sync) + ": " + e.getMessage(), e.getSQLState(), e);
        }
    }

    /** True when the database was set up for sync (its metadata tables exist). */
    /**
     * A read-only command's connection to a database that is set up for sync already: checked
     * first through the plain driver, so that nothing is created or written for one that is not.
     */
    static Connection openDevice(String url, Properties options) throws SQLException {
        try (Connection raw = openRaw(url)) {
            if (!isDevice(raw)) {
                throw new IllegalStateException(describe(url) + " is not set up for sync (it has no _sync_state table);"
                        + " run 'jdbc-sync init --url ...' (an app sets it up at its first DDL or write through the driver)");
            }
        }
        return openExisting(url, options);
    }

    static boolean isDevice(Connection raw) throws SQLException {
        return io.jdbcsync.internal.device.MetadataStore.exists(raw);
    }

    /**
     * A SQLite file must exist and is opened read-write without create: the underlying driver
     * would otherwise create an empty database for a misspelt path.
     */
    private static String checkExisting(String sync) {
        String rest = sync.substring("jdbc:sync:".length());
        if (!rest.startsWith("sqlite:")) {
            return sync;
        }
        String spec = rest.substring("sqlite:".length());
        int q = spec.indexOf('?');
        String file = q < 0 ? spec : spec.substring(0, q);
        if (file.startsWith("file:")) {
            file = file.substring("file:".length());
        }
        if (file.isEmpty() || file.contains(":memory:")) {
            throw new IllegalStateException("an in-memory SQLite database cannot sync: give the path of a database file");
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("no SQLite database at " + path.toAbsolutePath()
                    + (Files.exists(path) ? " (not a file)" : " (no such file)")
                    + ": commands open existing databases only");
        }
        // open_mode 2 = SQLITE_OPEN_READWRITE without SQLITE_OPEN_CREATE.
        return sync + (q < 0 ? "?" : "&") + "open_mode=2";
    }

    private static void checkLog(String sync, Properties options) {
        String log = options.getProperty("sync.log");
        int at = sync.indexOf("sync.log=");
        if (log == null && at >= 0) {
            log = java.net.URLDecoder.decode(sync.substring(at + "sync.log=".length()).split("&")[0], StandardCharsets.UTF_8);
        }
        boolean s3Options = sync.contains("sync.s3.") || options.stringPropertyNames().stream().anyMatch(n -> n.startsWith("sync.s3."));
        boolean s3 = (log != null && log.regionMatches(true, 0, "s3://", 0, 5)) || s3Options;
        if (s3 && SharedLogs.providerOptionNames().stream().noneMatch(n -> n.startsWith("sync.s3."))) {
            throw new IllegalStateException("the shared log is on S3 but the S3 module is not on the class path: install the S3"
                    + " module (put jdbc-sync-s3-shared-log and its dependencies next to this jar and run"
                    + " java -cp 'jdbc-sync-driver-cli.jar:s3/*' io.jdbcsync.internal.cli.Main ...)");
        }
    }

    /** The URL without parameters that may hold secrets (user names stay: they say which database). */
    static String describe(String sync) {
        int q = sync.indexOf('?');
        return q < 0 ? sync : sync.substring(0, q);
    }

    static String stripSyncParameters(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        StringBuilder kept = new StringBuilder();
        for (String part : url.substring(q + 1).split("&")) {
            if (!part.isEmpty() && !part.startsWith("sync.")) {
                kept.append(kept.length() == 0 ? "" : "&").append(part);
            }
        }
        return kept.length() == 0 ? url.substring(0, q) : url.substring(0, q) + "?" + kept;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
