package io.jdbcsync.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Several devices (databases) sharing one log: each device has one open jdbc-sync connection.
 * The log is a directory unless a location is given (S3 tests pass theirs).
 */
public final class Fleet implements AutoCloseable {
    private final List<TestDatabase> databases = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();
    private final String log;
    private final Path logDir;
    private final Properties extra;
    /**
     * When set, fleets that would use a directory log sync through the location this returns for a
     * fresh name instead (the S3 module runs the scenario suite this way), with these options added.
     */
    public static volatile java.util.function.Function<String, String> logOverride;
    public static volatile Properties optionsOverride;

    public Fleet(List<TestDatabase.Kind> kinds, String logLocation, Properties extra) throws Exception {
        this(kinds, logLocation, extra, false);
    }

    /** With {@code faulty}, the log is a directory behind {@link FaultyLogProvider}. */
    public Fleet(List<TestDatabase.Kind> kinds, String logLocation, Properties extra, boolean faulty) throws Exception {
        java.util.function.Function<String, String> override = logOverride;
        boolean local = logLocation == null && override == null;
        this.logDir = local ? Files.createTempDirectory("jdbc-sync-log") : null;
        this.log = logLocation != null ? logLocation
                : override != null ? override.apply("fleet-" + java.util.UUID.randomUUID())
                : faulty ? "faulty://" + logDir.toUri().getPath() : logDir.toString();
        this.extra = new Properties();
        if (override != null && optionsOverride != null) {
            this.extra.putAll(optionsOverride);
        }
        if (extra != null) {
            this.extra.putAll(extra);
        }
        for (TestDatabase.Kind k : kinds) {
            TestDatabase db = TestDatabase.create(k);
            databases.add(db);
            connections.add(open(db));
        }
    }

    public static Fleet sqlite(int devices) throws Exception {
        List<TestDatabase.Kind> kinds = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            kinds.add(TestDatabase.Kind.SQLITE);
        }
        return new Fleet(kinds, null, null);
    }

    private Connection open(TestDatabase db) throws SQLException {
        Properties p = new Properties();
        p.putAll(extra);
        p.setProperty("sync.log", log);
        return DriverManager.getConnection(db.syncUrl(), p);
    }

    public Connection device(int i) {
        return connections.get(i);
    }

    /** Another connection to device i, with the fleet's options (the caller closes it). */
    public Connection openAnother(int i) throws SQLException {
        return open(databases.get(i));
    }

    public TestDatabase database(int i) {
        return databases.get(i);
    }

    public int size() {
        return connections.size();
    }

    public String log() {
        return log;
    }

    /** True when this fleet syncs through a local directory (tests that look at files need one). */
    public boolean usesDirectory() {
        return logDir != null;
    }

    /** Reopens device i's connection (e.g. after its engine was stopped). */
    public void reopen(int i) throws SQLException {
        connections.get(i).close();
        connections.set(i, open(databases.get(i)));
    }

    /** Runs DDL on every device. */
    public void everywhere(String... ddl) throws SQLException {
        for (Connection c : connections) {
            try (Statement s = c.createStatement()) {
                for (String d : ddl) {
                    s.execute(d);
                }
            }
        }
    }

    public void exec(int device, String... sql) throws SQLException {
        try (Statement s = connections.get(device).createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    /** CALL sync_now() on a device; returns pushed, pulled, applied, conflicts. */
    public long[] sync(int device) throws SQLException {
        try (Statement s = connections.get(device).createStatement(); ResultSet rs = s.executeQuery("CALL sync_now()")) {
            rs.next();
            return new long[] {rs.getLong("pushed"), rs.getLong("pulled"), rs.getLong("applied"), rs.getLong("conflicts")};
        }
    }

    /** Everyone syncs, twice round, so every device has everything. */
    public void syncAll() throws SQLException {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < size(); i++) {
                sync(i);
            }
        }
    }

    /** A table's rows ordered by its first column, as strings (comparable across database kinds). */
    public List<String> rows(int device, String table, String orderBy) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = connections.get(device).createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY " + orderBy)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int c = 1; c <= md.getColumnCount(); c++) {
                    Object v = rs.getObject(c);
                    sb.append(c == 1 ? "" : "|").append(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : String.valueOf(v));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        for (Connection c : connections) {
            c.close();
        }
        for (TestDatabase db : databases) {
            db.close();
        }
        if (logDir != null) {
            try (var files = Files.walk(logDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
