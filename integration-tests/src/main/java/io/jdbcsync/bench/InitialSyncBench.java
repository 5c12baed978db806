package io.jdbcsync.bench;

import io.jdbcsync.SyncClient;
import io.jdbcsync.internal.engine.Engine;
import io.jdbcsync.initial.Clone;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Initial sync against a raw JDBC copy in the same run: adoption of N existing rows at a device's
 * first sync (with the heap peak), and clone of those rows SQLite to SQLite, MariaDB to SQLite,
 * SQLite to MariaDB and MariaDB to MariaDB, each next to a raw copy of the same rows (read, batched
 * inserts of 5,000 rows per transaction, foreign-key checks off, one process), best of
 * {@code bench.repeat} alternating runs; and {@code mariadb-dump | mariadb} of the MariaDB rows.
 * Three tables with foreign keys, mixed types.
 * Usage: {@code InitialSyncBench [rows]} (default 1,000,000); {@code -Dbench.mariadb=jdbc:mariadb://host:3306/},
 * {@code -Dbench.repeat=3}.
 */
public final class InitialSyncBench {
    private static final String MARIADB = System.getProperty("bench.mariadb", "jdbc:mariadb://127.0.0.1:3306/");
    private static final int CHUNK = 5000;
    private static final int REPEAT = Integer.getInteger("bench.repeat", 3);

    private InitialSyncBench() {
    }

    enum Kind { SQLITE, MARIADB }

    /** One database: its raw URL, and how to drop it. */
    record Db(Kind kind, String raw, String name, Path file) {
        String sync(Path log) {
            return "jdbc:sync:" + raw.substring("jdbc:".length()) + (raw.contains("?") ? "&" : "?") + "sync.log=" + log
                + "&sync.snapshot-every=0"; // measured without automatic compaction
        }
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("jdbc-sync-initial-bench");
        List<Db> created = new ArrayList<>();
        System.out.printf("initial sync bench: %,d rows (10%% customer, 30%% orders, 60%% line), max heap %d MiB%n",
                rows, Runtime.getRuntime().maxMemory() >> 20);
        try {
            Db liteSource = create(Kind.SQLITE, dir, created);
            Db mariaSource = create(Kind.MARIADB, dir, created);
            fill(liteSource, rows);
            fill(mariaSource, rows);
            System.out.println();
            System.out.println("| step | rows | time (s) | rows/s | raw copy rows/s | ratio | heap peak (MiB) |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
            adopt("adoption at first sync, SQLite", liteSource, dir, rows);
            adopt("adoption at first sync, MariaDB", mariaSource, dir, rows);
            clone("clone SQLite -> SQLite", liteSource, Kind.SQLITE, dir, created, rows);
            clone("clone MariaDB -> SQLite", mariaSource, Kind.SQLITE, dir, created, rows);
            clone("clone SQLite -> MariaDB", liteSource, Kind.MARIADB, dir, created, rows);
            clone("clone MariaDB -> MariaDB", mariaSource, Kind.MARIADB, dir, created, rows);
            dump("mariadb-dump | mariadb (MariaDB -> MariaDB)", mariaSource, dir, created, rows);
        } finally {
            for (Db db : created) {
                drop(db);
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Db create(Kind kind, Path dir, List<Db> created) throws SQLException {
        String name = "jsync_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Db db;
        if (kind == Kind.SQLITE) {
            Path file = dir.resolve(name + ".db");
            db = new Db(kind, "jdbc:sqlite:" + file + "?journal_mode=WAL", name, file);
        } else {
            try (Connection c = DriverManager.getConnection(MARIADB + "test", "root", ""); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            db = new Db(kind, MARIADB + name + "?user=root&password=", name, null);
        }
        created.add(db);
        try (Connection c = DriverManager.getConnection(db.raw()); Statement s = c.createStatement()) {
            for (String ddl : schema(kind)) {
                s.execute(ddl);
            }
        }
        return db;
    }

    private static void drop(Db db) {
        try {
            if (db.kind() == Kind.MARIADB) {
                try (Connection c = DriverManager.getConnection(MARIADB + "test", "root", ""); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + db.name());
                }
            } else {
                for (String suffix : new String[] {"", "-wal", "-shm"}) {
                    Files.deleteIfExists(Path.of(db.file() + suffix));
                }
            }
        } catch (SQLException | java.io.IOException e) {
            System.err.println("could not drop " + db.name() + ": " + e.getMessage());
        }
    }

    private static List<String> schema(Kind k) {
        if (k == Kind.SQLITE) {
            return List.of(
                    "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, balance DECIMAL(12,2), created TIMESTAMP)",
                    "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id BIGINT NOT NULL REFERENCES customer(id),"
                            + " total DECIMAL(12,2), note TEXT, placed TIMESTAMP)",
                    "CREATE TABLE line (id INTEGER PRIMARY KEY, order_id BIGINT NOT NULL REFERENCES orders(id), sku TEXT,"
                            + " qty INTEGER, price DOUBLE, payload BLOB)");
        }
        return List.of(
                "CREATE TABLE customer (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(100), balance DECIMAL(12,2),"
                        + " created DATETIME(3))",
                "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, total DECIMAL(12,2), note TEXT,"
                        + " placed DATETIME(3), FOREIGN KEY (customer_id) REFERENCES customer(id))",
                "CREATE TABLE line (id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL, sku VARCHAR(40), qty INT, price DOUBLE,"
                        + " payload BLOB, FOREIGN KEY (order_id) REFERENCES orders(id))");
    }

    private static final String[] TABLES = {"customer", "orders", "line"};
    private static final String[] COLUMNS = {"id, name, email, balance, created", "id, customer_id, total, note, placed",
        "id, order_id, sku, qty, price, payload"};

    private static void fill(Db db, int rows) throws SQLException {
        int customers = rows / 10;
        int orders = rows * 3 / 10;
        int lines = rows - customers - orders;
        LocalDateTime t0 = LocalDateTime.of(2024, 1, 1, 0, 0);
        try (Connection c = DriverManager.getConnection(db.raw())) {
            c.setAutoCommit(false);
            try (PreparedStatement a = c.prepareStatement("INSERT INTO customer (" + COLUMNS[0] + ") VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement o = c.prepareStatement("INSERT INTO orders (" + COLUMNS[1] + ") VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement l = c.prepareStatement("INSERT INTO line (" + COLUMNS[2] + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= customers; i++) {
                    a.setLong(1, i);
                    a.setString(2, "customer " + i);
                    a.setString(3, "c" + i + "@example.com");
                    a.setBigDecimal(4, BigDecimal.valueOf(i * 37L % 100_000, 2));
                    a.setObject(5, t0.plusSeconds(i));
                    a.addBatch();
                    if (i % CHUNK == 0) {
                        a.executeBatch();
                    }
                }
                a.executeBatch();
                for (int i = 1; i <= orders; i++) {
                    o.setLong(1, i);
                    o.setLong(2, 1 + i % customers);
                    o.setBigDecimal(3, BigDecimal.valueOf(i * 91L % 1_000_000, 2));
                    o.setString(4, i % 7 == 0 ? "deliver to the back door, order " + i : null);
                    o.setObject(5, t0.plusMinutes(i));
                    o.addBatch();
                    if (i % CHUNK == 0) {
                        o.executeBatch();
                    }
                }
                o.executeBatch();
                for (int i = 1; i <= lines; i++) {
                    l.setLong(1, i);
                    l.setLong(2, 1 + i % orders);
                    l.setString(3, "SKU-" + (i % 5000));
                    l.setInt(4, 1 + i % 9);
                    l.setDouble(5, (i % 10_000) / 7.0);
                    l.setBytes(6, new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16), 42});
                    l.addBatch();
                    if (i % CHUNK == 0) {
                        l.executeBatch();
                    }
                }
                l.executeBatch();
            }
            c.commit();
        }
    }

    private static void adopt(String step, Db db, Path dir, int rows) throws Exception {
        Path log = Files.createDirectories(dir.resolve("log-" + db.name()));
        System.gc();
        List<MemoryPoolMXBean> heap = new ArrayList<>();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
                heap.add(p);
            }
        }
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(db.sync(log))) {
            ((Engine) c.unwrap(SyncClient.class)).adopt(null);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean p : heap) {
            peak += p.getPeakUsage().getUsed();
        }
        System.out.printf("| %s (and push to a directory log) | %,d | %.1f | %,.0f | – | – | %d |%n", step, rows, s, rows / s, peak >> 20);
    }

    /**
     * Raw copy and clone of the same rows, alternately {@code bench.repeat} times (default 3), each
     * into a new target; the best time of each is reported (the machine is shared: the best run is
     * the one least disturbed by other work).
     */
    private static void clone(String step, Db source, Kind targetKind, Path dir, List<Db> created, int rows) throws Exception {
        double rawSeconds = Double.MAX_VALUE;
        double cloneSeconds = Double.MAX_VALUE;
        Path log = dir.resolve("log-" + source.name());
        for (int i = 0; i < REPEAT; i++) {
            Db raw = create(targetKind, dir, created);
            long t0 = System.nanoTime();
            rawCopy(source, raw);
            rawSeconds = Math.min(rawSeconds, (System.nanoTime() - t0) / 1e9);
            drop(raw);
            Db target = create(targetKind, dir, created);
            DriverManager.getConnection(target.sync(log)).close(); // the target is a device (the app opened it once)
            t0 = System.nanoTime();
            Clone.Result r = Clone.from(source.sync(log)).to(target.sync(log)).chunkRows(CHUNK).run();
            cloneSeconds = Math.min(cloneSeconds, (System.nanoTime() - t0) / 1e9);
            if (r.rowsCopied() != rows) {
                throw new IllegalStateException("cloned " + r.rowsCopied() + " rows, expected " + rows);
            }
            drop(target);
        }
        System.out.printf("| %s | %,d | %.1f | %,.0f | %,.0f | **%.2f** | – |%n", step, rows, cloneSeconds, rows / cloneSeconds,
                rows / rawSeconds, rawSeconds / cloneSeconds);
    }

    /**
     * The database's own tools on the same rows: {@code mariadb-dump --single-transaction} of the
     * three tables piped into {@code mariadb} on a new database (the ratio column: dump time / clone
     * time of the MariaDB -> MariaDB step is in the text, this row's raw column is the dump's rate).
     */
    private static void dump(String step, Db source, Path dir, List<Db> created, int rows) throws Exception {
        java.net.URI uri = java.net.URI.create(MARIADB.substring("jdbc:".length()));
        String server = "--host=" + uri.getHost() + " --port=" + (uri.getPort() < 0 ? 3306 : uri.getPort()) + " --user=root";
        double best = Double.MAX_VALUE;
        for (int i = 0; i < REPEAT; i++) {
            Db target = create(Kind.MARIADB, dir, created);
            String cmd = "mariadb-dump " + server + " --single-transaction --no-create-info " + source.name() + " "
                    + String.join(" ", TABLES) + " | mariadb " + server + " " + target.name();
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("bash", "-c", "set -o pipefail; " + cmd).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("failed (" + p.exitValue() + "): " + cmd);
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            try (Connection c = DriverManager.getConnection(target.raw()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM customer) + (SELECT COUNT(*) FROM orders)"
                         + " + (SELECT COUNT(*) FROM line)")) {
                rs.next();
                if (rs.getLong(1) != rows) {
                    throw new IllegalStateException("the dump copied " + rs.getLong(1) + " rows, expected " + rows);
                }
            }
            drop(target);
        }
        System.out.printf("| %s | %,d | %.1f | %,.0f | – | – | – |%n", step, rows, best, rows / best);
    }

    /** The baseline: read every row, insert in batches of 5,000 per transaction, foreign-key checks off. */
    private static void rawCopy(Db from, Db to) throws SQLException {
        try (Connection src = DriverManager.getConnection(from.raw()); Connection dst = DriverManager.getConnection(to.raw())) {
            try (Statement s = dst.createStatement()) {
                s.execute(to.kind() == Kind.SQLITE ? "PRAGMA foreign_keys = OFF" : "SET FOREIGN_KEY_CHECKS = 0");
            }
            dst.setAutoCommit(false);
            for (int t = 0; t < TABLES.length; t++) {
                int n = COLUMNS[t].split(",").length;
                try (Statement s = src.createStatement();
                     PreparedStatement ps = dst.prepareStatement("INSERT INTO " + TABLES[t] + " (" + COLUMNS[t] + ") VALUES ("
                             + "?, ".repeat(n - 1) + "?)")) {
                    s.setFetchSize(CHUNK);
                    try (ResultSet rs = s.executeQuery("SELECT " + COLUMNS[t] + " FROM " + TABLES[t] + " ORDER BY id")) {
                        int pending = 0;
                        while (rs.next()) {
                            for (int i = 1; i <= n; i++) {
                                ps.setObject(i, rs.getObject(i));
                            }
                            ps.addBatch();
                            if (++pending == CHUNK) {
                                ps.executeBatch();
                                dst.commit();
                                pending = 0;
                            }
                        }
                        ps.executeBatch();
                        dst.commit();
                    }
                }
            }
        }
    }
}
