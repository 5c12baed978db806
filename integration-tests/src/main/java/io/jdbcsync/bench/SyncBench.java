package io.jdbcsync.bench;

import io.jdbcsync.bench.DriverBench.Db;
import io.jdbcsync.bench.DriverBench.Target;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Sync throughput on SQLite files (or MariaDB databases, {@code -Dbench.db=mariadb}) through a
 * directory log, against the raw driver in the same run:
 * pushing N local changes, and pulling + integrating them on another device versus inserting the
 * same rows through the raw driver in one transaction, by wall time and by the process's CPU time (the
 * steadier measure on a loaded machine). Usage: {@code SyncBench [rows] [rounds]}
 * (after {@code -Dbench.warmup} unreported rounds, default 1). Both devices sync once before the
 * rows are written, so the push is an established device's; {@code -Dbench.first-sync=true} times
 * each device's first sync instead (the push then also scans for rows from before sync to adopt).
 */
public final class SyncBench {
    private static final String TABLE = "CREATE TABLE item (id %s PRIMARY KEY, name TEXT, qty INTEGER, price DOUBLE, note TEXT)";
    /** {@code -Dbench.db=mariadb}: the devices and the raw side are MariaDB databases. */
    private static final Db DB = "mariadb".equalsIgnoreCase(System.getProperty("bench.db")) ? Db.MARIADB : Db.SQLITE;

    /** {@code -Dbench.first-sync=true}: the timed push and pull are each device's first sync. */
    private static final boolean FIRST_SYNC = Boolean.getBoolean("bench.first-sync");

    private SyncBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("sync bench: %d row changes, %d rounds, %s, directory log, %s%n", rows, rounds,
                DB == Db.SQLITE ? "SQLite files in WAL mode" : "MariaDB databases",
                FIRST_SYNC ? "first sync of each device" : "devices synced once before");
        System.out.println("| round | raw insert (rows/s) | push (changes/s) | pull+integrate (changes/s) | push / raw | integrate / raw"
                + " | push / raw, CPU | integrate / raw, CPU | CPU µs per row: raw, push, integrate | log bytes per change | heap peak (MiB) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        double[][] ratios = new double[4][rounds];
        double[][] micros = new double[3][rounds];
        int warmup = Integer.getInteger("bench.warmup", 1);
        for (int r = -warmup; r < rounds; r++) {
            Path dir = Files.createTempDirectory("jdbc-sync-bench");
            try {
                long cpu0 = cpu();
                double raw = rawInsert(rows);
                double rawCpu = rows * 1e9 / (cpu() - cpu0);
                long[] sync = pushAndPull(dir, rows);
                double[] round = {rows * 1e9 / sync[0] / raw, rows * 1e9 / sync[1] / raw,
                        rows * 1e9 / sync[4] / rawCpu, rows * 1e9 / sync[5] / rawCpu};
                if (r < 0) {
                    continue; // warm-up: the JIT compiles both sides' code
                }
                for (int i = 0; i < round.length; i++) {
                    ratios[i][r] = round[i];
                }
                double[] us = {1e6 / rawCpu, sync[4] / 1e3 / rows, sync[5] / 1e3 / rows};
                for (int i = 0; i < us.length; i++) {
                    micros[i][r] = us[i];
                }
                System.out.printf("| %d | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f, %.2f, %.2f | %.1f | %d |%n", r + 1,
                        raw, rows * 1e9 / sync[0], rows * 1e9 / sync[1], round[0], round[1], round[2], round[3],
                        us[0], us[1], us[2], (double) sync[2] / rows, sync[3] >> 20);
            } finally {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        String[] names = {"push / raw", "integrate / raw", "push / raw, process CPU", "integrate / raw, process CPU"};
        for (int i = 0; i < names.length; i++) {
            double[] x = ratios[i];
            java.util.Arrays.sort(x);
            System.out.printf("median %s throughput: %.2f (per round %.2f-%.2f; target >= 0.50)%n", names[i], x[rounds / 2],
                    x[0], x[rounds - 1]);
        }
        String[] steps = {"raw insert", "push", "integrate"};
        for (int i = 0; i < steps.length; i++) {
            double[] x = micros[i];
            java.util.Arrays.sort(x);
            System.out.printf("median process CPU per row, %s: %.2f µs (per round %.2f-%.2f)%n", steps[i], x[rounds / 2],
                    x[0], x[rounds - 1]);
        }
    }

    /** CPU time of the whole process (the SQLite library runs in its threads). */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String table() {
        return String.format(TABLE, DB == Db.SQLITE ? "INTEGER" : "BIGINT");
    }

    private static double rawInsert(int rows) throws SQLException, java.io.IOException {
        try (Target raw = Target.create(DB, false); Connection c = raw.open()) {
            try (Statement s = c.createStatement()) {
                s.execute(table());
            }
            long t0 = System.nanoTime();
            insertRows(c, rows);
            return rows * 1e9 / (System.nanoTime() - t0);
        }
    }

    /** The same rows on both sides: one transaction of batches of 1,000. */
    private static void insertRows(Connection c, int rows) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name, qty, price, note) VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 1; i <= rows; i++) {
                bind(ps, i);
                ps.addBatch();
                if (i % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
    }

    private static void bind(PreparedStatement ps, int i) throws SQLException {
        ps.setLong(1, 1_000_000_000L + i);
        ps.setString(2, "item " + i);
        ps.setInt(3, i % 100);
        ps.setDouble(4, i * 0.25);
        ps.setString(5, "note number " + i + " with a little text");
    }

    /** Returns push nanos, pull+integrate nanos, bytes in the log, peak heap bytes, push and pull CPU nanos. */
    private static long[] pushAndPull(Path dir, int rows) throws Exception {
        Path log = dir.resolve("log");
        // sync.snapshot-every=0: push and integrate measured without automatic compaction
        try (Target ta = Target.create(DB, true); Target tb = Target.create(DB, true);
             Connection a = DriverManager.getConnection(ta.url("sync.log=" + log + "&sync.snapshot-every=0"));
             Connection b = DriverManager.getConnection(tb.url("sync.log=" + log + "&sync.snapshot-every=0"))) {
            for (Connection c : new Connection[] {a, b}) {
                try (Statement s = c.createStatement()) {
                    s.execute(table());
                }
            }
            if (!FIRST_SYNC) {
                // Both devices are members already (untimed): the push is an established device's, not
                // a first sync's, which also looks for rows from before sync to adopt.
                sync(a);
                sync(b);
            }
            insertRows(a, rows);
            System.gc();
            HeapWatch heap = new HeapWatch();
            long c0 = cpu();
            long t0 = System.nanoTime();
            sync(a);
            long t1 = System.nanoTime();
            long c1 = cpu();
            sync(b);
            long t2 = System.nanoTime();
            long c2 = cpu();
            heap.stop();
            long count;
            try (Statement s = b.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM item")) {
                rs.next();
                count = rs.getLong(1);
            }
            if (count != rows) {
                throw new IllegalStateException("device b has " + count + " rows, expected " + rows);
            }
            long bytes;
            try (var files = Files.walk(log.resolve("devices"))) {
                bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
            return new long[] {t1 - t0, t2 - t1, bytes, heap.peak(), c1 - c0, c2 - c1};
        }
    }

    private static void sync(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_now()")) {
            rs.next();
        }
    }
}
