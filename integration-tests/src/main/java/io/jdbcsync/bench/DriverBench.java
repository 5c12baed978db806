package io.jdbcsync.bench;

import io.jdbcsync.internal.jdbc.SyncConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Compares the jdbc-sync driver with the underlying driver on the same machine in the same run:
 * each scenario gets two fresh databases (one per driver), then alternates raw and sync rounds so
 * that machine noise hits both sides alike. Reports median ops/s per side and the median of the
 * per-round sync/raw time ratios (a raw round and the sync round next to it share the machine's
 * state of the moment, so their ratio is steadier than a ratio of two medians). Also reports the
 * ratio of the two sides' fastest rounds (noise only ever adds time), the median ratio of this
 * thread's CPU time (not blurred by time spent descheduled, but blind to waiting for the disk or the
 * server), and for MariaDB the statements the server executed per round.
 *
 * <pre>
 * mvn -B -q -pl integration-tests -am package -DskipTests
 * java -cp "integration-tests/target/classes:$(cat integration-tests/target/classpath.txt)" io.jdbcsync.bench.DriverBench
 * </pre>
 *
 * System properties: {@code bench.rounds} (measured rounds per side, default 21), {@code bench.warmup}
 * (default 3), {@code bench.only} (run scenarios whose "name DB" contains this text, case-insensitive,
 * e.g. {@code -Dbench.only=mariadb}), {@code bench.dir}
 * (where SQLite files go, default the temp folder), {@code bench.mariadb} (server URL, default
 * {@code jdbc:mariadb://127.0.0.1:3306/}, user root, empty password).
 */
public final class DriverBench {
    private static final Logger LOG = LoggerFactory.getLogger(DriverBench.class);

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 21);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 3);
    private static final String ONLY = System.getProperty("bench.only", "");
    private static final String MARIADB = System.getProperty("bench.mariadb", "jdbc:mariadb://127.0.0.1:3306/");
    private static final String SQLITE_SYNCHRONOUS = System.getProperty("bench.sqlite-synchronous");
    private static final int TABLE_ROWS = 10_000;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private DriverBench() {
    }

    enum Db { SQLITE, MARIADB }

    /** The timed part of a scenario, run alternately on a raw and a sync connection. */
    interface Workload {
        /** Creates tables and data on this side's connection (not timed). */
        void setUp(Connection c, Db db) throws SQLException;

        /** One timed round; returns the number of operations it did. */
        int round(Connection c, int round) throws SQLException;
    }

    record Scenario(String name, Db db, double bound, Workload workload) { }

    /**
     * {@code ratio}: median over rounds of sync time / raw time, each raw round paired with the sync
     * round next to it. Statements are per round (MariaDB only, NaN for SQLite).
     */
    record Outcome(Scenario scenario, int opsPerRound, double rawOps, double syncOps, double ratio,
                   double minRatio, double maxRatio, double bestRatio, double cpuRatio, double rawStatements,
                   double syncStatements) {
        boolean met() {
            return ratio() <= scenario.bound();
        }
    }

    public static void main(String[] args) throws Exception {
        // Bounds of the capture-cost issue (ratio of sync time to raw time, same run).
        List<Scenario> all = List.of(
                new Scenario("SELECT by key (PreparedStatement)", Db.SQLITE, 1.05, new SelectByKey(20_000)),
                new Scenario("SELECT by key (PreparedStatement)", Db.MARIADB, 1.05, new SelectByKey(2_000)),
                new Scenario("INSERT 1 row, autocommit", Db.SQLITE, 1.3, new InsertAutocommit(200)),
                new Scenario("INSERT 1 row, autocommit", Db.MARIADB, 1.3, new InsertAutocommit(300)),
                new Scenario("INSERT 1 row, autocommit, Statement with literals", Db.SQLITE, 1.3, new InsertLiteralText(200)),
                new Scenario("INSERT 1 row, autocommit, Statement with literals", Db.MARIADB, 1.3, new InsertLiteralText(300)),
                new Scenario("UPDATE by key, autocommit", Db.SQLITE, 1.3, new UpdateByKey(200)),
                new Scenario("UPDATE by key, autocommit", Db.MARIADB, 1.3, new UpdateByKey(300)),
                new Scenario("batched INSERT 10,000 rows, 1 transaction", Db.SQLITE, 1.8, new BatchInsert(10_000)),
                new Scenario("batched INSERT 10,000 rows, 1 transaction", Db.MARIADB, 1.8, new BatchInsert(10_000)),
                new Scenario("UPDATE range of 1,000 rows, SET col = ?", Db.SQLITE, 2.0, new RangeUpdate(false)),
                new Scenario("UPDATE range of 1,000 rows, SET col = ?", Db.MARIADB, 2.0, new RangeUpdate(false)),
                new Scenario("UPDATE range of 1,000 rows, SET col = col + 1", Db.SQLITE, 2.5, new RangeUpdate(true)),
                new Scenario("UPDATE range of 1,000 rows, SET col = col + 1", Db.MARIADB, 2.5, new RangeUpdate(true)),
                new Scenario("DELETE range of 1,000 rows", Db.SQLITE, 2.0, new RangeDelete()),
                new Scenario("DELETE range of 1,000 rows", Db.MARIADB, 2.0, new RangeDelete()));
        List<Outcome> outcomes = new ArrayList<>();
        long started = System.nanoTime();
        for (Scenario s : all) {
            if ((s.name() + " " + s.db()).toLowerCase(Locale.ROOT).contains(ONLY.toLowerCase(Locale.ROOT))) {
                Outcome o = run(s);
                LOG.info("{} [{}]: raw {} ops/s, sync {} ops/s, sync/raw {}", s.name(), s.db(), fmt(o.rawOps()),
                        fmt(o.syncOps()), String.format(Locale.ROOT, "%.2fx", o.ratio()));
                outcomes.add(o);
            }
        }
        System.out.println(table(outcomes));
        System.out.printf(Locale.ROOT, "%n%d measured rounds per side after %d warm-up rounds; total %.0f s; java %s, %d cpus%n",
                ROUNDS, WARMUP, (System.nanoTime() - started) / 1e9, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
    }

    /** Both sides of one scenario, in fresh databases, rounds alternating (and which side goes first). */
    static Outcome run(Scenario s) throws Exception {
        try (Target raw = Target.create(s.db(), false); Target sync = Target.create(s.db(), true)) {
            Connection rc = raw.open();
            Connection sc = sync.open();
            try {
                s.workload().setUp(rc, s.db());
                s.workload().setUp(sc, s.db());
                for (int w = 0; w < WARMUP; w++) {
                    s.workload().round(rc, -1 - w);
                    s.workload().round(sc, -1 - w);
                }
                double[] rawNanos = new double[ROUNDS];
                double[] syncNanos = new double[ROUNDS];
                double[] rawCpu = new double[ROUNDS];
                double[] syncCpu = new double[ROUNDS];
                int ops = 0;
                long[] rawStatements = new long[2];
                long[] syncStatements = new long[2];
                for (int r = 0; r < ROUNDS; r++) {
                    boolean rawFirst = r % 2 == 0;
                    for (int side = 0; side < 2; side++) {
                        boolean isRaw = (side == 0) == rawFirst;
                        Connection c = isRaw ? rc : sc;
                        long before = statements(c, s.db());
                        long cpu0 = CPU.getCurrentThreadCpuTime();
                        long t0 = System.nanoTime();
                        ops = s.workload().round(c, r);
                        long t = System.nanoTime() - t0;
                        (isRaw ? rawCpu : syncCpu)[r] = CPU.getCurrentThreadCpuTime() - cpu0;
                        long[] count = isRaw ? rawStatements : syncStatements;
                        count[0] += statements(c, s.db()) - before - 1;
                        count[1]++;
                        (isRaw ? rawNanos : syncNanos)[r] = t;
                    }
                }
                double[] ratios = new double[ROUNDS];
                double[] cpuRatios = new double[ROUNDS];
                for (int r = 0; r < ROUNDS; r++) {
                    ratios[r] = syncNanos[r] / rawNanos[r];
                    cpuRatios[r] = syncCpu[r] / rawCpu[r];
                }
                return new Outcome(s, ops, ops / (median(rawNanos) / 1e9), ops / (median(syncNanos) / 1e9),
                        median(ratios), Arrays.stream(ratios).min().orElseThrow(), Arrays.stream(ratios).max().orElseThrow(),
                        Arrays.stream(syncNanos).min().orElseThrow() / Arrays.stream(rawNanos).min().orElseThrow(),
                        median(cpuRatios),
                        s.db() == Db.MARIADB ? (double) rawStatements[0] / rawStatements[1] : Double.NaN,
                        s.db() == Db.MARIADB ? (double) syncStatements[0] / syncStatements[1] : Double.NaN);
            } finally {
                rc.close();
                sc.close();
            }
        }
    }

    /**
     * Statements the MariaDB server executed for this session so far ({@code Questions}, which counts
     * each execution, COMMIT and SET autocommit). Asked on the underlying connection, outside the timing.
     */
    private static long statements(Connection c, Db db) throws SQLException {
        if (db != Db.MARIADB) {
            return 0;
        }
        Connection raw = c.isWrapperFor(SyncConnection.class) ? c.unwrap(SyncConnection.class).raw() : c;
        try (Statement st = raw.createStatement(); ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'Questions'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    // ---- scenarios --------------------------------------------------------------------------------

    /** kv(id, grp, name, qty) with ids 1..10,000 given by the app, grp = id % 10 (1,000 rows each). */
    static void createKv(Connection c, Db db) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kv (id " + (db == Db.SQLITE ? "INTEGER PRIMARY KEY" : "BIGINT NOT NULL PRIMARY KEY")
                    + ", grp INTEGER NOT NULL, name VARCHAR(40) NOT NULL, qty INTEGER NOT NULL)"
                    + (db == Db.MARIADB ? " ENGINE=InnoDB" : ""));
            s.execute("CREATE INDEX kv_grp ON kv (grp)");
        }
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO kv (id, grp, name, qty) VALUES (?, ?, ?, ?)")) {
            for (int id = 1; id <= TABLE_ROWS; id++) {
                ps.setLong(1, id);
                ps.setInt(2, id % 10);
                ps.setString(3, "name-" + id);
                ps.setInt(4, 0);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
    }

    /** Point reads through one prepared statement, random keys (same sequence on both sides). */
    record SelectByKey(int reads) implements Workload {
        @Override
        public void setUp(Connection c, Db db) throws SQLException {
            createKv(c, db);
        }

        @Override
        public int round(Connection c, int round) throws SQLException {
            Random random = new Random(round);
            long sum = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT name, qty FROM kv WHERE id = ?")) {
                for (int i = 0; i < reads; i++) {
                    ps.setLong(1, 1 + random.nextInt(TABLE_ROWS));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        sum += rs.getString(1).length() + rs.getInt(2);
                    }
                }
            }
            if (sum == 0) {
                throw new IllegalStateException("nothing read");
            }
            return reads;
        }
    }

    /** Single-row inserts, each its own transaction, key left to the database. */
    /**
     * As {@link InsertAutocommit}, but as clients that do not prepare send it: a plain statement
     * whose text is new at every execution (the values are literals in it), so nothing is reused
     * from one execution to the next.
     */
    record InsertLiteralText(int inserts) implements Workload {
        @Override
        public void setUp(Connection c, Db db) throws SQLException {
            new InsertAutocommit(inserts).setUp(c, db);
        }

        @Override
        public int round(Connection c, int round) throws SQLException {
            try (Statement s = c.createStatement()) {
                for (int i = 0; i < inserts; i++) {
                    s.executeUpdate("INSERT INTO event (kind, payload, at) VALUES ('click', '{\"round\":" + round + ",\"i\":" + i
                            + "}', " + (System.nanoTime() & 0xffffffffL) + ")");
                }
            }
            return inserts;
        }
    }

    record InsertAutocommit(int inserts) implements Workload {
        @Override
        public void setUp(Connection c, Db db) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute(db == Db.SQLITE
                        ? "CREATE TABLE event (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, payload TEXT, at INTEGER NOT NULL)"
                        : "CREATE TABLE event (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, kind VARCHAR(20) NOT NULL,"
                                + " payload TEXT, at BIGINT NOT NULL) ENGINE=InnoDB");
            }
        }

        @Override
        public int round(Connection c, int round) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO event (kind, payload, at) VALUES (?, ?, ?)")) {
                for (int i = 0; i < inserts; i++) {
                    ps.setString(1, "click");
                    ps.setString(2, "{\"round\":" + round + ",\"i\":" + i + "}");
                    ps.setLong(3, System.currentTimeMillis());
                    ps.executeUpdate();
                }
            }
            return inserts;
        }
    }

    /** Single-row updates by primary key, each its own transaction. */
    record UpdateByKey(int updates) implements Workload {
        @Override
        public void setUp(Connection c, Db db) throws SQLException {
            createKv(c, db);
        }

        @Override
        public int round(Connection c, int round) throws SQLException {
            Random random = new Random(round);
            try (PreparedStatement ps = c.prepareStatement("UPDATE kv SET name = ?, qty = ? WHERE id = ?")) {
                for (int i = 0; i < updates; i++) {
                    ps.setString(1, "renamed-" + round + "-" + i);
                    ps.setInt(2, i);
                    ps.setLong(3, 1 + random.nextInt(TABLE_ROWS));
                    ps.executeUpdate();
                }
            }
            return updates;
        }
    }

    /** addBatch/executeBatch of many rows in one transaction, keys left to the database. */
    record BatchInsert(int rows) implements Workload {
        @Override
        public void setUp(Connection c, Db db) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute(db == Db.SQLITE
                        ? "CREATE TABLE line (id INTEGER PRIMARY KEY, order_no INTEGER NOT NULL, product TEXT NOT NULL,"
                                + " qty INTEGER NOT NULL, price NUMERIC(10,2) NOT NULL)"
                        : "CREATE TABLE line (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, order_no INTEGER NOT NULL,"
                                + " product VARCHAR(40) NOT NULL, qty INTEGER NOT NULL, price DECIMAL(10,2) NOT NULL) ENGINE=InnoDB");
            }
        }

        @Override
        public int round(Connection c, int round) throws SQLException {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO line (order_no, product, qty, price) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < rows; i++) {
                    ps.setInt(1, i / 10);
                    ps.setString(2, "product-" + (i % 97));
                    ps.setInt(3, 1 + i % 5);
                    ps.setBigDecimal(4, java.math.BigDecimal.valueOf(100 + i % 1000, 2));
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } finally {
                c.setAutoCommit(true);
            }
            return rows;
        }
    }

    /** Autocommit UPDATEs whose WHERE is a key range of 1,000 rows; ops are rows changed. */
    record RangeUpdate(boolean computed) implements Workload {
        private static final int STATEMENTS = 5;

        @Override
        public void setUp(Connection c, Db db) throws SQLException {
            createKv(c, db);
        }

        @Override
        public int round(Connection c, int round) throws SQLException {
            int changed = 0;
            String sql = computed ? "UPDATE kv SET qty = qty + 1 WHERE id BETWEEN ? AND ?"
                    : "UPDATE kv SET qty = ? WHERE id BETWEEN ? AND ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < STATEMENTS; i++) {
                    int from = 1 + ((round + 10) * STATEMENTS + i) % 10 * 1_000;
                    int p = 1;
                    if (!computed) {
                        ps.setInt(p++, round * 100 + i);
                    }
                    ps.setLong(p++, from);
                    ps.setLong(p, from + 999);
                    changed += ps.executeUpdate();
                }
            }
            if (changed != STATEMENTS * 1_000) {
                throw new IllegalStateException("expected to change " + STATEMENTS * 1_000 + " rows, changed " + changed);
            }
            return changed;
        }
    }

    /**
     * Autocommit DELETEs whose WHERE is a key range of 1,000 rows; ops are rows deleted. Every round
     * deletes rows of its own, all inserted at set-up.
     */
    record RangeDelete() implements Workload {
        private static final int STATEMENTS = 5;

        @Override
        public void setUp(Connection c, Db db) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE doomed (id " + (db == Db.SQLITE ? "INTEGER PRIMARY KEY" : "BIGINT NOT NULL PRIMARY KEY")
                        + ", name VARCHAR(40) NOT NULL, qty INTEGER NOT NULL)" + (db == Db.MARIADB ? " ENGINE=InnoDB" : ""));
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO doomed (id, name, qty) VALUES (?, ?, ?)")) {
                for (long id = 1; id <= (long) (WARMUP + ROUNDS) * STATEMENTS * 1_000; id++) {
                    ps.setLong(1, id);
                    ps.setString(2, "name-" + id);
                    ps.setInt(3, 0);
                    ps.addBatch();
                    if (id % 10_000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
        }

        @Override
        public int round(Connection c, int round) throws SQLException {
            int slot = round < 0 ? -1 - round : WARMUP + round;
            int deleted = 0;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM doomed WHERE id BETWEEN ? AND ?")) {
                for (int i = 0; i < STATEMENTS; i++) {
                    long from = 1 + ((long) slot * STATEMENTS + i) * 1_000;
                    ps.setLong(1, from);
                    ps.setLong(2, from + 999);
                    deleted += ps.executeUpdate();
                }
            }
            if (deleted != STATEMENTS * 1_000) {
                throw new IllegalStateException("expected to delete " + STATEMENTS * 1_000 + " rows, deleted " + deleted);
            }
            return deleted;
        }
    }

    // ---- databases --------------------------------------------------------------------------------

    /** A fresh database for one side of one scenario: a SQLite file in WAL mode, or a MariaDB database. */
    static final class Target implements AutoCloseable {
        private final Db db;
        private final String url;
        private final String mariaDbName;
        private final Path dir;

        private Target(Db db, String url, String mariaDbName, Path dir) {
            this.db = db;
            this.url = url;
            this.mariaDbName = mariaDbName;
            this.dir = dir;
        }

        static Target create(Db db, boolean sync) throws SQLException, IOException {
            String prefix = sync ? "jdbc:sync:" : "jdbc:";
            String name = "jsync_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)
                    + (sync ? "_sync" : "_raw");
            if (db == Db.SQLITE) {
                String base = System.getProperty("bench.dir");
                Path dir = base == null ? Files.createTempDirectory("jsync-bench")
                        : Files.createTempDirectory(Path.of(base), "jsync-bench");
                Path file = dir.resolve(name + ".db");
                // WAL is set once per file and stays; synchronous stays at the default.
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
                    s.execute("PRAGMA journal_mode=WAL");
                }
                return new Target(db, prefix + "sqlite:" + file, null, dir);
            }
            try (Connection c = DriverManager.getConnection(MARIADB + "test", "root", "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return new Target(db, prefix + MARIADB.substring("jdbc:".length()) + name + "?user=root&password=", name, null);
        }

        Connection open() throws SQLException {
            return withSynchronous(DriverManager.getConnection(url));
        }

        /** Opens with extra URL parameters ({@code name=value&...}). */
        Connection open(String parameters) throws SQLException {
            return withSynchronous(DriverManager.getConnection(url(parameters)));
        }

        /**
         * {@code -Dbench.sqlite-synchronous=OFF} (or NORMAL): SQLite's {@code synchronous} on both
         * sides, so that a disk's fsync does not hide what the capture costs in CPU.
         */
        private Connection withSynchronous(Connection c) throws SQLException {
            if (db == Db.SQLITE && SQLITE_SYNCHRONOUS != null) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA synchronous=" + SQLITE_SYNCHRONOUS);
                }
            }
            return c;
        }

        /** This side's URL with extra parameters ({@code name=value&...}). */
        String url(String parameters) {
            return url + (url.contains("?") ? "&" : "?") + parameters;
        }

        @Override
        public void close() throws SQLException, IOException {
            if (db == Db.MARIADB) {
                try (Connection c = DriverManager.getConnection(MARIADB + "test", "root", "");
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

    // ---- report -----------------------------------------------------------------------------------

    static String table(List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder();
        sb.append("| Scenario | DB | ops/round | raw ops/s | sync ops/s | sync/raw time | per-round range | bound | met |"
                + " best round sync/raw | client CPU sync/raw | server statements/round raw → sync |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|:---:|---:|---:|---:|\n");
        for (Outcome o : outcomes) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %,d | %s | %s | **%.2fx** | %.2f–%.2f | ≤ %.2fx | %s | %.2fx | %.2fx | %s |%n",
                    o.scenario().name(), o.scenario().db() == Db.SQLITE ? "SQLite" : "MariaDB", o.opsPerRound(),
                    fmt(o.rawOps()), fmt(o.syncOps()), o.ratio(), o.minRatio(), o.maxRatio(), o.scenario().bound(),
                    o.met() ? "yes" : "**no**", o.bestRatio(), o.cpuRatio(),
                    Double.isNaN(o.rawStatements()) ? "–"
                            : String.format(Locale.ROOT, "%,.0f → %,.0f", o.rawStatements(), o.syncStatements())));
        }
        return sb.toString();
    }

    private static String fmt(double opsPerSecond) {
        return String.format(Locale.ROOT, "%,.0f", opsPerSecond);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
