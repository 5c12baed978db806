package io.jdbcsync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * The pages a SQLite range write puts in the WAL, through the raw driver and through the sync
 * driver: what the capture adds to every commit's I/O. Auto-checkpoints are off, so the WAL's frame
 * count after ten statements (each on its own 1,000 rows of {@link DriverBench}'s table) is what
 * they wrote. Deterministic: one run is enough.
 *
 * <pre>java -cp "integration-tests/target/classes:$(cat integration-tests/target/classpath.txt)" io.jdbcsync.bench.LogPages</pre>
 */
public final class LogPages {
    private static final int STATEMENTS = 10;

    private LogPages() {
    }

    public static void main(String[] args) throws Exception {
        List<String> writes = List.of("UPDATE kv SET qty = ? WHERE id BETWEEN ? AND ?",
                "UPDATE kv SET qty = qty + 1 WHERE id BETWEEN ? AND ?", "DELETE FROM kv WHERE id BETWEEN ? AND ?");
        System.out.println("| Statement (1,000 rows, autocommit) | WAL pages per statement, raw | sync | added by the capture |");
        System.out.println("|---|---:|---:|---:|");
        for (String sql : writes) {
            double raw = pagesPerStatement("jdbc:", sql);
            double sync = pagesPerStatement("jdbc:sync:", sql);
            System.out.printf(Locale.ROOT, "| `%s` | %.1f | %.1f | %.1f |%n", sql, raw, sync, sync - raw);
        }
    }

    private static double pagesPerStatement(String prefix, String sql) throws Exception {
        Path dir = Files.createTempDirectory("jsync-log-pages");
        try (Connection c = DriverManager.getConnection(prefix + "sqlite:" + dir.resolve("bench.db"))) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
            }
            DriverBench.createKv(c, DriverBench.Db.SQLITE);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_autocheckpoint=0");
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < STATEMENTS; i++) {
                    int p = 1;
                    if (sql.contains("qty = ?")) {
                        ps.setInt(p++, i + 5);
                    }
                    ps.setLong(p++, 1 + i * 1_000L);
                    ps.setLong(p, 1_000 + i * 1_000L);
                    ps.executeUpdate();
                }
            }
            return walFrames(c) / (double) STATEMENTS;
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The WAL's frame count: the second column of a passive checkpoint's answer. */
    private static int walFrames(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
            return rs.getInt(2);
        }
    }
}
