package io.jdbcsync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Sync throughput on SQLite files through a directory log, against the raw driver in the same run:
 * pushing N local changes, and pulling + integrating them on another device versus inserting the
 * same rows through the raw driver in one transaction. Usage: {@code SyncBench [rows] [rounds]}.
 */
public final class SyncBench {
    private static final String TABLE = "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER, price REAL, note TEXT)";

    private SyncBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("sync bench: %d row changes, %d rounds, SQLite files in WAL mode, directory log%n", rows, rounds);
        System.out.println("| round | raw insert (rows/s) | push (changes/s) | pull+integrate (changes/s) | integrate / raw | log bytes per change | heap peak (MiB) |");
        System.out.println("|---|---|---|---|---|---|---|");
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            Path dir = Files.createTempDirectory("jdbc-sync-bench");
            try {
                double raw = rawInsert(dir.resolve("raw.db"), rows);
                long[] sync = pushAndPull(dir, rows);
                double push = rows * 1e9 / sync[0];
                double pull = rows * 1e9 / sync[1];
                ratios[r] = pull / raw;
                System.out.printf("| %d | %.0f | %.0f | %.0f | %.2f | %.1f | %d |%n", r + 1, raw, push, pull, ratios[r],
                        (double) sync[2] / rows, sync[3] >> 20);
            } finally {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        java.util.Arrays.sort(ratios);
        System.out.printf("median integrate/raw throughput: %.2f (target >= 0.50)%n", ratios[rounds / 2]);
    }

    private static double rawInsert(Path db, int rows) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?journal_mode=WAL")) {
            try (Statement s = c.createStatement()) {
                s.execute(TABLE);
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

    /** Returns push nanos, pull+integrate nanos, bytes in the log, peak heap bytes. */
    private static long[] pushAndPull(Path dir, int rows) throws Exception {
        Path log = dir.resolve("log");
        Properties p = new Properties();
        p.setProperty("sync.log", log.toString());
        p.setProperty("sync.snapshot-every", "0"); // push and integrate measured without automatic compaction
        try (Connection a = DriverManager.getConnection("jdbc:sync:sqlite:" + dir.resolve("a.db") + "?journal_mode=WAL", p);
             Connection b = DriverManager.getConnection("jdbc:sync:sqlite:" + dir.resolve("b.db") + "?journal_mode=WAL", p)) {
            for (Connection c : new Connection[] {a, b}) {
                try (Statement s = c.createStatement()) {
                    s.execute(TABLE);
                }
            }
            insertRows(a, rows);
            System.gc();
            HeapWatch heap = new HeapWatch();
            long t0 = System.nanoTime();
            sync(a);
            long t1 = System.nanoTime();
            sync(b);
            long t2 = System.nanoTime();
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
            return new long[] {t1 - t0, t2 - t1, bytes, heap.peak()};
        }
    }

    private static void sync(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_now()")) {
            rs.next();
        }
    }
}
