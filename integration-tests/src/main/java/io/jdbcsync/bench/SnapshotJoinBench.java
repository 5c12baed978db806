package io.jdbcsync.bench;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A new device joining a group through the shared log from a snapshot of N rows, against a raw
 * JDBC copy of the same rows in the same run (read, batched inserts of 5,000 rows per
 * transaction). "Empty device": the newcomer holds nothing, the rows load in bulk; "device with a
 * row": the same join on a device that holds one row of its own, which sends the whole table
 * through the per-change integrator (the path every join took before bulk loading).
 * Usage: {@code SnapshotJoinBench [rows] [sqlite|mariadb|both]} (default 200,000, both);
 * {@code -Dbench.mariadb=jdbc:mariadb://host:3306/}.
 */
public final class SnapshotJoinBench {
    private static final String MARIADB = System.getProperty("bench.mariadb", "jdbc:mariadb://127.0.0.1:3306/");
    private static final int CHUNK = 5000;
    private static final String TABLE = "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(60), qty INTEGER,"
            + " price DECIMAL(12,2), note VARCHAR(200))";

    private SnapshotJoinBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        String kinds = args.length > 1 ? args[1] : "both";
        Path dir = Files.createTempDirectory("jdbc-sync-join-bench");
        System.out.printf("snapshot join bench: %,d rows, max heap %d MiB%n", rows, Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("| database | join | rows | join (s) | rows/s | raw copy rows/s | ratio |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (String kind : new String[] {"sqlite", "mariadb"}) {
            if (kinds.equals("both") || kinds.equals(kind)) {
                run(kind, rows, dir);
            }
        }
    }

    private static void run(String kind, int rows, Path dir) throws Exception {
        Path log = dir.resolve(kind + "-log");
        String source = create(kind, dir);
        try (Connection c = DriverManager.getConnection(sync(source, log))) {
            exec(c, TABLE);
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name, qty, price, note) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= rows; i++) {
                    ps.setLong(1, i);
                    ps.setString(2, "item " + i);
                    ps.setInt(3, i % 1000);
                    ps.setBigDecimal(4, BigDecimal.valueOf(i % 100_000, 2));
                    ps.setString(5, "a note of some length for row " + i);
                    ps.addBatch();
                    if (i % CHUNK == 0 || i == rows) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
            }
            c.setAutoCommit(true);
            exec(c, "CALL sync_now()");
            // One more batch: compaction keeps each device's newest batch, so this one stays out of the snapshot.
            exec(c, "INSERT INTO item (id, name, qty, price, note) VALUES (" + (rows + 1) + ", 'last', 0, 0, 'last')",
                    "CALL sync_now()", "CALL sync_compact()");
        }
        double raw = Double.MAX_VALUE;
        double bulk = Double.MAX_VALUE;
        for (int round = 0; round < 2; round++) {
            String copy = create(kind, dir);
            exec(copy, TABLE);
            long t0 = System.nanoTime();
            rawCopy(source, copy);
            raw = Math.min(raw, (System.nanoTime() - t0) / 1e9);
            drop(copy);
            bulk = Math.min(bulk, join(kind, dir, log, rows, false));
        }
        double integrated = join(kind, dir, log, rows, true);
        report(kind, "empty device (bulk)", rows, bulk, raw);
        report(kind, "device with a row (integrator)", rows, integrated, raw);
        drop(source);
    }

    private static void report(String kind, String join, int rows, double seconds, double raw) {
        System.out.printf("| %s | %s | %,d | %.2f | %,.0f | %,.0f | %.2f |%n", kind, join, rows, seconds, rows / seconds,
                rows / raw, raw / seconds);
    }

    /** Seconds a new device takes to join (its first sync_now). */
    private static double join(String kind, Path dir, Path log, int rows, boolean holdsARow) throws Exception {
        String db = create(kind, dir);
        try (Connection c = DriverManager.getConnection(sync(db, log))) {
            exec(c, TABLE);
            if (holdsARow) {
                exec(c, "INSERT INTO item (id, name, qty, price, note) VALUES (" + (rows + 1000) + ", 'own', 0, 0, 'own')");
            }
            long t0 = System.nanoTime();
            exec(c, "CALL sync_now()");
            double s = (System.nanoTime() - t0) / 1e9;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM item")) {
                rs.next();
                if (rs.getLong(1) != rows + 1 + (holdsARow ? 1 : 0)) {
                    throw new IllegalStateException("joined with " + rs.getLong(1) + " rows");
                }
            }
            return s;
        } finally {
            drop(db);
        }
    }

    private static void rawCopy(String from, String to) throws SQLException {
        try (Connection src = DriverManager.getConnection(from); Connection dst = DriverManager.getConnection(to);
             Statement s = src.createStatement();
             PreparedStatement ps = dst.prepareStatement("INSERT INTO item (id, name, qty, price, note) VALUES (?, ?, ?, ?, ?)")) {
            dst.setAutoCommit(false);
            s.setFetchSize(CHUNK);
            try (ResultSet rs = s.executeQuery("SELECT id, name, qty, price, note FROM item ORDER BY id")) {
                int n = 0;
                while (rs.next()) {
                    for (int i = 1; i <= 5; i++) {
                        ps.setObject(i, rs.getObject(i));
                    }
                    ps.addBatch();
                    if (++n % CHUNK == 0) {
                        ps.executeBatch();
                        dst.commit();
                    }
                }
            }
            ps.executeBatch();
            dst.commit();
        }
    }

    private static String create(String kind, Path dir) throws SQLException {
        String name = "jsync_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        if (kind.equals("sqlite")) {
            return "jdbc:sqlite:" + dir.resolve(name + ".db") + "?journal_mode=WAL";
        }
        try (Connection c = DriverManager.getConnection(MARIADB + "test", "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return MARIADB + name + "?user=root&password=";
    }

    private static void drop(String raw) throws Exception {
        if (raw.startsWith("jdbc:sqlite:")) {
            String file = raw.substring("jdbc:sqlite:".length(), raw.indexOf('?'));
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
            return;
        }
        String name = raw.substring(MARIADB.length(), raw.indexOf('?'));
        try (Connection c = DriverManager.getConnection(MARIADB + "test", "root", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
        }
    }

    private static String sync(String raw, Path log) {
        return "jdbc:sync:" + raw.substring("jdbc:".length()) + (raw.contains("?") ? "&" : "?") + "sync.log=" + log
                + "&sync.snapshot-every=0"; // measured without automatic compaction
    }

    private static void exec(String raw, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(raw)) {
            exec(c, sql);
        }
    }

    private static void exec(Connection c, String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }
}
