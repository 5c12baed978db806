package io.jdbcsync.s3;

import io.jdbcsync.SyncClient;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One device of an end-to-end sync test: a SQLite database opened through the jdbc-sync driver
 * (public surface only: the JDBC URL, {@code sync.*} properties, {@code CALL sync_now()} and
 * {@code CALL sync_status()}), syncing through a shared log given by its properties.
 */
final class SyncDevice implements AutoCloseable {
    final Path file;
    final Properties properties;
    private Connection connection;

    private SyncDevice(Path file, Properties properties) throws SQLException {
        this.file = file;
        this.properties = properties;
        open();
    }

    /**
     * Opens (creating if needed) the database {@code file} with the given {@code sync.*} properties.
     * The database runs in WAL mode with {@code synchronous=NORMAL}, as apps commonly do, so that
     * commits do not each wait for an fsync: the tests time the shared log, not the disk.
     */
    static SyncDevice open(Path file, Properties properties) throws SQLException {
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        p.setProperty("synchronous", "NORMAL");
        p.putAll(properties);
        return new SyncDevice(file, p);
    }

    /**
     * Properties for a log at {@code s3://shared-log/<prefix>} on the S3 server at {@code endpoint},
     * plus {@code extra} name/value pairs.
     */
    static Properties s3(URI endpoint, String prefix, String... extra) {
        Properties p = new Properties();
        p.setProperty("sync.log", "s3://" + TestS3.BUCKET + "/" + prefix);
        p.setProperty("sync.s3.endpoint", endpoint.toString());
        p.setProperty("sync.s3.path-style", "true");
        p.setProperty("sync.s3.region", "us-east-1");
        p.setProperty("sync.s3.access-key", TestS3.ACCESS_KEY);
        p.setProperty("sync.s3.secret-key", TestS3.SECRET_KEY);
        return with(p, extra);
    }

    /** A copy of {@code base} with the {@code extra} name/value pairs set. */
    static Properties with(Properties base, String... extra) {
        Properties p = new Properties();
        p.putAll(base);
        for (int i = 0; i < extra.length; i += 2) {
            p.setProperty(extra[i], extra[i + 1]);
        }
        return p;
    }

    /** (Re)opens the device's connection; a no-op while it is open. */
    void open() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection("jdbc:sync:sqlite:" + file, properties);
        }
    }

    Connection connection() {
        return connection;
    }

    String id() throws SQLException {
        return connection.unwrap(SyncClient.class).deviceId();
    }

    void exec(String... sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    /** Runs the statements in one transaction. */
    void transaction(String... sql) throws SQLException {
        connection.setAutoCommit(false);
        try {
            exec(sql);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** {@code CALL sync_now()}: pushed, pulled, applied, conflicts. */
    long[] sync() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("CALL sync_now()")) {
            if (!rs.next()) {
                throw new AssertionError("sync_now() returned no row");
            }
            return new long[] {rs.getLong("pushed"), rs.getLong("pulled"), rs.getLong("applied"),
                    rs.getLong("conflicts")};
        }
    }

    /** {@code CALL sync_status()} as column name to value. */
    Map<String, Object> status() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
            if (!rs.next()) {
                throw new AssertionError("sync_status() returned no row");
            }
            Map<String, Object> row = new LinkedHashMap<>();
            ResultSetMetaData md = rs.getMetaData();
            for (int c = 1; c <= md.getColumnCount(); c++) {
                row.put(md.getColumnLabel(c), rs.getObject(c));
            }
            return row;
        }
    }

    /** The rows of a query as "v1|v2|..." strings (blobs in hex). */
    List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int c = 1; c <= md.getColumnCount(); c++) {
                    Object v = rs.getObject(c);
                    sb.append(c == 1 ? "" : "|").append(v instanceof byte[] b ? HexFormat.of().formatHex(b) : v);
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    /** Every row of a table, ordered by its first column. */
    List<String> table(String name) throws SQLException {
        return rows("SELECT * FROM " + name + " ORDER BY 1");
    }

    long count(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Closes the connection: as the device's last one, this stops its sync engine. */
    @Override
    public void close() throws SQLException {
        if (connection != null) {
            try {
                connection.close();
            } finally {
                connection = null;
            }
        }
    }
}
