package io.jdbcsync.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * A fresh database for one test: a SQLite file in a temporary folder, or a new database on the
 * local MariaDB server (127.0.0.1:3306, root, no password). A missing MariaDB fails the test.
 */
public final class TestDatabase implements AutoCloseable {
    public enum Kind { SQLITE, MARIADB }

    public static final String MARIADB_SERVER = "jdbc:mariadb://127.0.0.1:3306/";

    private final Kind kind;
    private final String rawUrl;
    private final String name;
    private final Path dir;

    private TestDatabase(Kind kind, String rawUrl, String name, Path dir) {
        this.kind = kind;
        this.rawUrl = rawUrl;
        this.name = name;
        this.dir = dir;
    }

    public static TestDatabase create(Kind kind) {
        try {
            String name = "jsync_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            if (kind == Kind.SQLITE) {
                Path dir = Files.createTempDirectory("jdbc-sync-test");
                // Durability is not under test here: skip fsyncs so the suite stays fast.
                return new TestDatabase(kind, "jdbc:sqlite:" + dir.resolve(name + ".db") + "?synchronous=OFF", name, dir);
            }
            try (Connection c = DriverManager.getConnection(MARIADB_SERVER + "test", "root", "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return new TestDatabase(kind, MARIADB_SERVER + name + "?user=root&password=", name, null);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a " + kind + " test database (is MariaDB running on"
                    + " 127.0.0.1:3306? .ci/run starts it): " + e.getMessage(), e);
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The underlying URL (jdbc:sqlite:... / jdbc:mariadb:...). */
    public String rawUrl() {
        return rawUrl;
    }

    /** The jdbc-sync URL for this database. */
    public String syncUrl() {
        return "jdbc:sync:" + rawUrl.substring("jdbc:".length());
    }

    /** The jdbc-sync URL with more URL parameters ({@code a=1&b=2}) appended. */
    public String syncUrl(String parameters) {
        String url = syncUrl();
        return url + (url.indexOf('?') < 0 ? "?" : "&") + parameters;
    }

    public Path dir() {
        return dir;
    }

    public Connection openSync() throws SQLException {
        return DriverManager.getConnection(syncUrl());
    }

    public Connection openSync(Properties p) throws SQLException {
        return DriverManager.getConnection(syncUrl(), p);
    }

    public Connection openRaw() throws SQLException {
        return DriverManager.getConnection(rawUrl);
    }

    /** Auto-increment key column DDL for this database. */
    public String autoKey() {
        return kind == Kind.SQLITE ? "INTEGER PRIMARY KEY" : "BIGINT PRIMARY KEY AUTO_INCREMENT";
    }

    /** Changes of {@code _sync_log} (packed rows expanded) in clock order: op, tbl, hlc, pk, data. */
    public List<Object[]> logRows() throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (Connection c = openRaw()) {
            for (io.jdbcsync.internal.log.LogEntry e : io.jdbcsync.internal.capture.ChangeLogTable.readAll(c)) {
                out.add(new Object[] {String.valueOf(e.op().code()), e.table(), e.hlc(), e.key(), e.data()});
            }
        }
        return out;
    }

    /** Every row version, in {@code _sync_row} or packed, as {@code tbl|HEX(pk)|hlc|device|deleted|HEX(cols)}. */
    public List<String> versions() throws SQLException {
        try (Connection c = openRaw()) {
            return io.jdbcsync.internal.merge.VersionDump.of(c);
        }
    }

    /** Runs statements through a raw connection (no capture). */
    public void execRaw(String... sql) throws SQLException {
        try (Connection c = openRaw(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    /** The rows of a query through a raw connection, each as its columns' getString values joined by '|'. */
    public List<String> rawRows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = openRaw(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    /** Runs statements through a connection (the driver's, when it is a sync connection). */
    public static void exec(Connection c, String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    @Override
    public void close() throws SQLException, java.io.IOException {
        if (kind == Kind.MARIADB) {
            try (Connection c = DriverManager.getConnection(MARIADB_SERVER + "test", "root", "");
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name);
            }
        } else if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
