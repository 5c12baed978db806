package io.jdbcsync.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A fresh database for one test: a SQLite file in its own temporary folder, or a new database
 * {@code jsync_it_<random>} on the local MariaDB server (127.0.0.1:3306, root, no password).
 * A missing MariaDB fails the test: these tests are the point of the module, so never skip them.
 */
final class ItDatabase implements AutoCloseable {
    static final String MARIADB_SERVER = "jdbc:mariadb://127.0.0.1:3306/";

    private final String rawUrl;
    private final String mariaDbName;
    private final Path dir;

    private ItDatabase(String rawUrl, String mariaDbName, Path dir) {
        this.rawUrl = rawUrl;
        this.mariaDbName = mariaDbName;
        this.dir = dir;
    }

    static ItDatabase sqlite() throws IOException {
        Path dir = Files.createTempDirectory("jsync-it");
        return new ItDatabase("jdbc:sqlite:" + dir.resolve("app.db"), null, dir);
    }

    static ItDatabase mariaDb() {
        String name = "jsync_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(MARIADB_SERVER + "test", "root", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB must run on 127.0.0.1:3306 (user root, empty password) for"
                    + " these tests: " + e.getMessage(), e);
        }
        return new ItDatabase(MARIADB_SERVER + name + "?user=root&password=", name, null);
    }

    /** The underlying driver's URL: jdbc:sqlite:... or jdbc:mariadb:... */
    String rawUrl() {
        return rawUrl;
    }

    /** The same database through jdbc-sync. */
    String syncUrl() {
        return "jdbc:sync:" + rawUrl.substring("jdbc:".length());
    }

    Connection openRaw() throws SQLException {
        return DriverManager.getConnection(rawUrl);
    }

    Connection openSync() throws SQLException {
        return DriverManager.getConnection(syncUrl());
    }

    /** The change log as it is stored, read past the driver. */
    ChangeLog log() throws SQLException {
        try (Connection c = openRaw()) {
            return ChangeLog.read(c);
        }
    }

    @Override
    public void close() throws SQLException, IOException {
        if (mariaDbName != null) {
            try (Connection c = DriverManager.getConnection(MARIADB_SERVER + "test", "root", "");
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + mariaDbName);
            }
        } else {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
