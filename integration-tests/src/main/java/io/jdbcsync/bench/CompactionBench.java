package io.jdbcsync.bench;

import io.jdbcsync.internal.compact.Compactor;
import io.jdbcsync.internal.log.BatchCodec;
import io.jdbcsync.internal.log.DirectorySharedLog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compaction of a shared log holding N rows (one device's inserts, then every 10th row updated),
 * each run in a JVM of its own with a given maximum heap, on a fresh copy of the log: seconds, the
 * peak of the used heap (sampled every 5 ms) and whether it ran out of memory. The reference in the
 * same run is the raw driver inserting the same N rows into a SQLite file (5,000 per transaction).
 * With {@code -Dbench.before=<classpath>} (an older driver's classes first), each heap runs the
 * older compaction too, on the same log.
 * Usage: {@code CompactionBench [rows] [heaps]} (default 1,000,000 and {@code 64m,4g}).
 */
public final class CompactionBench {
    private static final int CHUNK = 5000;
    private static final String TABLE = "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(60), qty INTEGER,"
            + " note VARCHAR(200))";

    private CompactionBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("compact")) {
            compact(Path.of(args[1]));
            return;
        }
        int rows = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        String[] heaps = (args.length > 1 ? args[1] : "64m,4g").split(",");
        Path dir = Files.createTempDirectory("jdbc-sync-compaction-bench");
        Path log = dir.resolve("log");
        double raw = rawInsert(dir, rows);
        fill(dir, log, rows);
        String after = System.getProperty("java.class.path");
        String before = System.getProperty("bench.before");
        System.out.printf("compaction bench: %,d rows (+%,d updates), raw insert of the rows %.1f s%n", rows, rows / 10, raw);
        System.out.println("| code | -Xmx | compaction (s) | rows/s | compaction / raw insert | heap peak (MiB) |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (String heap : heaps) {
            if (before != null) {
                run("before", before, heap, dir, log, rows, raw);
            }
            run("after", after, heap, dir, log, rows, raw);
        }
        deleteTree(dir);
    }

    private static void run(String label, String classpath, String heap, Path dir, Path log, int rows, double raw)
            throws Exception {
        Path copy = dir.resolve("copy");
        deleteTree(copy);
        copyTree(log, copy);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-cp", classpath, CompactionBench.class.getName(), "compact", copy.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        String result = out.lines().filter(l -> l.startsWith("compacted ")).findFirst().orElse(null);
        if (result == null) {
            String why = out.contains("OutOfMemoryError") ? "OutOfMemoryError" : "failed: " + out.strip();
            System.out.printf("| %s | %s | %s | | | |%n", label, heap, why);
            return;
        }
        String[] f = result.split(" ");
        double seconds = Double.parseDouble(f[1]);
        if (Long.parseLong(f[2]) != rows) {
            throw new IllegalStateException("snapshot of " + f[2] + " rows, expected " + rows);
        }
        System.out.printf("| %s | %s | %.1f | %,.0f | %.2f | %s |%n", label, heap, seconds, rows / seconds, seconds / raw, f[3]);
    }

    /** In the child JVM: compacts the log, prints {@code compacted <seconds> <rows> <heap peak MiB>}. */
    private static void compact(Path log) throws Exception {
        HeapWatch heap = new HeapWatch();
        long t0 = System.nanoTime();
        Compactor.Result r;
        try (DirectorySharedLog l = new DirectorySharedLog(log)) {
            r = new Compactor(l, new BatchCodec(null), null).compact(0, System.currentTimeMillis());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        heap.stop();
        System.out.printf("compacted %.2f %d %d%n", seconds, r.rows(), heap.peak() >> 20);
    }

    /** One device's shared log: N inserts, every 10th row updated, one batch more (compaction keeps each device's newest). */
    private static void fill(Path dir, Path log, int rows) throws Exception {
        String url = "jdbc:sync:sqlite:" + dir.resolve("device.db") + "?sync.log=" + log + "&sync.snapshot-every=0";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(TABLE);
            insert(c, rows);
            s.execute("CALL sync_now()");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE item SET qty = ? WHERE id = ?")) {
                for (int i = 10; i <= rows; i += 10) {
                    ps.setInt(1, -i);
                    ps.setLong(2, i);
                    ps.addBatch();
                    if (i % (10 * CHUNK) == 0 || i + 10 > rows) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
            }
            c.setAutoCommit(true);
            s.execute("CALL sync_now()");
            s.execute("INSERT INTO item (id, name, qty, note) VALUES (" + (rows + 1) + ", 'last', 0, 'last')");
            s.execute("CALL sync_now()");
        }
    }

    /** Seconds the raw driver takes to insert the rows. */
    private static double rawInsert(Path dir, int rows) throws Exception {
        Path file = dir.resolve("raw.db");
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute(TABLE);
            insert(c, rows);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.delete(file);
        return seconds;
    }

    private static void insert(Connection c, int rows) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name, qty, note) VALUES (?, ?, ?, ?)")) {
            for (int i = 1; i <= rows; i++) {
                ps.setLong(1, i);
                ps.setString(2, "item " + i);
                ps.setInt(3, i % 1000);
                ps.setString(4, "a note of some length for row " + i);
                ps.addBatch();
                if (i % CHUNK == 0 || i == rows) {
                    ps.executeBatch();
                    c.commit();
                }
            }
        }
        c.setAutoCommit(true);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.delete(all.get(i));
        }
    }
}
