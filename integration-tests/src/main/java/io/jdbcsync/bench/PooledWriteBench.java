package io.jdbcsync.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jdbcsync.bench.DriverBench.Db;
import io.jdbcsync.bench.DriverBench.Target;
import io.jdbcsync.internal.value.ValueCodec;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * An app's write load through a connection pool, with background sync on: 16 threads share a
 * HikariCP pool of 16 and run autocommit writes by key, in the repeating mix insert, update,
 * update, delete (each thread on rows of its own, so no two threads wait for the same row). The
 * sync side has {@code sync.interval=200ms} to a directory log, so its background sync pushes while
 * the threads write. A round is the same number of writes on each side; rounds alternate raw and
 * sync (and which goes first) as in {@link DriverBench}, and the ratio is the median over rounds of
 * sync throughput / raw throughput of neighbouring rounds. After every round (both sides) the bench
 * pauses {@code bench.pause} ms, untimed, so the background push of one round's changes does not run
 * into the next raw round.
 *
 * <p>A third side, the floor, runs the same writes on the raw driver with a change-log row written by
 * hand in the same transaction, the way the driver writes it and with the least work that takes:
 * a {@code _sync_log}-shaped table, the driver's value encoding, and on MariaDB the write, its log
 * row and the commit in one text (one round trip). Its throughput against raw is what any design
 * that logs each write in the write's own transaction can reach here.
 *
 * <pre>
 * mvn -B -q -pl integration-tests -am package -DskipTests
 * java -cp "integration-tests/target/classes:$(cat integration-tests/target/classpath.txt)" io.jdbcsync.bench.PooledWriteBench
 * </pre>
 *
 * System properties: {@code bench.rounds} (default 11), {@code bench.warmup} (default 2),
 * {@code bench.only} ({@code sqlite} or {@code mariadb}), {@code bench.threads} (default 16),
 * {@code bench.writes} (writes per thread per round, default 100), {@code bench.pause} (default 500),
 * {@code bench.interval} (the sync side's {@code sync.interval}, default {@code 200ms}; {@code 0} for no background sync).
 */
public final class PooledWriteBench {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 11);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 2);
    private static final String ONLY = System.getProperty("bench.only", "");
    private static final int THREADS = Integer.getInteger("bench.threads", 16);
    private static final int WRITES = Integer.getInteger("bench.writes", 100);
    private static final long PAUSE_MS = Long.getLong("bench.pause", 500);
    /** {@code sync.interval} of the sync side; {@code 0} leaves background sync off (the write path alone). */
    private static final String INTERVAL = System.getProperty("bench.interval", "200ms");
    /** Rows each thread owns before the first round. */
    private static final int ROWS_PER_THREAD = 100;
    private static final double BOUND = 0.7;
    /** Clock values of the floor's log rows. */
    private static final AtomicLong HLC = new AtomicLong(1L << 50);

    private PooledWriteBench() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("| DB | threads | writes/round | raw writes/s | sync writes/s | sync/raw throughput | per-round range"
                + " | bound | met | process CPU sync/raw | batches pushed | floor/raw throughput | sync/floor |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|:---:|---:|---:|---:|---:|");
        for (Db db : Db.values()) {
            if (db.name().toLowerCase(Locale.ROOT).contains(ONLY.toLowerCase(Locale.ROOT))) {
                run(db);
            }
        }
        System.out.printf(Locale.ROOT, "%n%d measured rounds per side after %d warm-up rounds, %d ms pause after each, sync.interval=%s; java %s, %d cpus%n",
                ROUNDS, WARMUP, PAUSE_MS, INTERVAL, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    }

    private static void run(Db db) throws Exception {
        Path log = Files.createTempDirectory("jsync-pooled-log");
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try (Target rawTarget = Target.create(db, false); Target floorTarget = Target.create(db, false);
             Target syncTarget = Target.create(db, true)) {
            // 16 SQLite writers queue for one write lock: wait up to a minute, on all sides alike.
            String wait = db == Db.SQLITE ? "busy_timeout=60000" : "";
            String floorUrl = floorTarget.url(db == Db.SQLITE ? wait : "allowMultiQueries=true");
            try (Side raw = new Side(db, rawTarget.url(wait), false); Side floor = new Side(db, floorUrl, true);
                 Side sync = new Side(db, syncTarget.url(wait + (wait.isEmpty() ? "" : "&") + "sync.log=" + log
                         + "&sync.interval=" + INTERVAL), false)) {
                Side[] sides = {raw, floor, sync};
                for (int w = 0; w < WARMUP; w++) {
                    for (Side side : sides) {
                        side.round(threads);
                        pause();
                    }
                }
                double[][] nanos = new double[sides.length][ROUNDS];
                double[][] cpu = new double[sides.length][ROUNDS];
                for (int r = 0; r < ROUNDS; r++) {
                    for (int s = 0; s < sides.length; s++) {
                        int side = (s + r) % sides.length; // each side goes first, second and last in turn
                        long cpu0 = processCpu();
                        nanos[side][r] = sides[side].round(threads);
                        cpu[side][r] = processCpu() - cpu0;
                        pause();
                    }
                }
                double[] ratios = new double[ROUNDS];
                double[] cpuRatios = new double[ROUNDS];
                double[] floorRatios = new double[ROUNDS];
                double[] overFloor = new double[ROUNDS];
                for (int r = 0; r < ROUNDS; r++) {
                    ratios[r] = nanos[0][r] / nanos[2][r];
                    cpuRatios[r] = cpu[2][r] / cpu[0][r];
                    floorRatios[r] = nanos[0][r] / nanos[1][r];
                    overFloor[r] = nanos[1][r] / nanos[2][r];
                }
                int writes = THREADS * WRITES;
                double ratio = median(ratios);
                System.out.printf(Locale.ROOT, "| %s | %d | %,d | %,.0f | %,.0f | **%.2fx** | %.2f–%.2f | ≥ %.2fx | %s | %.2fx | %,d | %.2fx | %.2fx |%n",
                        db == Db.SQLITE ? "SQLite" : "MariaDB", THREADS, writes, writes / (median(nanos[0]) / 1e9),
                        writes / (median(nanos[2]) / 1e9), ratio, Arrays.stream(ratios).min().orElseThrow(),
                        Arrays.stream(ratios).max().orElseThrow(), BOUND, ratio >= BOUND ? "yes" : "**no**",
                        median(cpuRatios), batches(log), median(floorRatios), median(overFloor));
            }
        } finally {
            threads.shutdown();
            try (Stream<Path> files = Files.walk(log)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** One side: its pool, its table, and what each thread owns. */
    private static final class Side implements AutoCloseable {
        private final HikariDataSource pool;
        private final Writer[] writers = new Writer[THREADS];

        Side(Db db, String url, boolean logByHand) throws SQLException {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setMaximumPoolSize(THREADS);
            config.setMinimumIdle(THREADS);
            config.setPoolName("bench-" + (url.startsWith("jdbc:sync:") ? "sync" : logByHand ? "floor" : "raw"));
            pool = new HikariDataSource(config);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kv (id " + (db == Db.SQLITE ? "INTEGER PRIMARY KEY" : "BIGINT NOT NULL PRIMARY KEY")
                        + ", name VARCHAR(40) NOT NULL, qty INTEGER NOT NULL)" + (db == Db.MARIADB ? " ENGINE=InnoDB" : ""));
                if (logByHand) {
                    s.execute(db == Db.SQLITE
                            ? "CREATE TABLE floor_log (hlc INTEGER NOT NULL PRIMARY KEY, tbl TEXT NOT NULL, op TEXT NOT NULL,"
                                    + " pk BLOB NOT NULL, data BLOB NOT NULL, batch INTEGER)"
                            : "CREATE TABLE floor_log (hlc BIGINT NOT NULL PRIMARY KEY, tbl VARCHAR(255) NOT NULL, op CHAR(1) NOT NULL,"
                                    + " pk VARBINARY(3072) NOT NULL, data LONGBLOB NOT NULL, batch BIGINT NULL) ENGINE=InnoDB");
                }
            }
            for (int t = 0; t < THREADS; t++) {
                writers[t] = new Writer(pool, t, logByHand ? new LogByHand(db == Db.MARIADB) : null);
            }
        }

        /** All threads' writes of one round; returns the nanoseconds from the start signal to the last write. */
        long round(ExecutorService threads) throws Exception {
            CountDownLatch start = new CountDownLatch(1);
            Future<?>[] done = new Future<?>[THREADS];
            for (int t = 0; t < THREADS; t++) {
                Writer w = writers[t];
                done[t] = threads.submit(() -> {
                    start.await();
                    w.writes(WRITES);
                    return null;
                });
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            return System.nanoTime() - t0;
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /** One thread's rows: ids {@code (thread + 1) * 10^9 + n}, the live ones oldest first. */
    private static final class Writer {
        private final HikariDataSource pool;
        private final LogByHand log;
        private final ArrayDeque<Long> live = new ArrayDeque<>();
        private final Random random;
        private long next;
        private int op;

        Writer(HikariDataSource pool, int thread, LogByHand log) throws SQLException {
            this.pool = pool;
            this.log = log;
            this.random = new Random(thread);
            this.next = (thread + 1) * 1_000_000_000L;
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                for (int i = 0; i < ROWS_PER_THREAD; i++) {
                    long id = next++;
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO kv (id, name, qty) VALUES (?, ?, ?)")) {
                        ps.setLong(1, id);
                        ps.setString(2, "row " + id);
                        ps.setInt(3, 0);
                        ps.executeUpdate();
                    }
                    live.addLast(id);
                }
                c.commit();
                c.setAutoCommit(true);
            }
        }

        /** Each write borrows a connection from the pool, as a web request would. */
        void writes(int n) throws SQLException {
            for (int i = 0; i < n; i++) {
                try (Connection c = pool.getConnection()) {
                    switch (op++ % 4) {
                        case 0 -> insert(c);
                        case 1, 2 -> update(c);
                        default -> delete(c);
                    }
                }
            }
        }

        private void insert(Connection c) throws SQLException {
            long id = next++;
            String name = "row " + id;
            write(c, "INSERT INTO kv (id, name, qty) VALUES (?, ?, ?)", id, "I", List.of("id", "name", "qty"),
                    id, name, 0);
            live.addLast(id);
        }

        private void update(Connection c) throws SQLException {
            Long[] ids = live.toArray(new Long[0]);
            long id = ids[random.nextInt(ids.length)];
            write(c, "UPDATE kv SET name = ?, qty = ? WHERE id = ?", id, "U", List.of("name", "qty"),
                    "updated " + op, op, id);
        }

        private void delete(Connection c) throws SQLException {
            long id = live.removeFirst();
            write(c, "DELETE FROM kv WHERE id = ?", id, "D", List.of(), id);
        }

        /** One autocommit write; on the floor side with its log row (the logged columns' values first in {@code values}). */
        private void write(Connection c, String sql, long id, String op, List<String> logged, Object... values)
                throws SQLException {
            if (log == null) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < values.length; i++) {
                        ps.setObject(i + 1, values[i]);
                    }
                    ps.executeUpdate();
                }
                return;
            }
            List<Object> row = new java.util.ArrayList<>();
            for (int i = 0; i < logged.size(); i++) {
                row.add(values[i] instanceof Integer n ? Long.valueOf(n) : values[i]);
            }
            log.write(c, sql, values, op, ValueCodec.encodeKey(id), ValueCodec.encodeRow(logged, row));
        }
    }

    /** The floor's write: the app's write and a {@code _sync_log}-shaped row in one transaction. */
    private record LogByHand(boolean oneText) {
        void write(Connection c, String sql, Object[] values, String op, byte[] key, byte[] data) throws SQLException {
            if (oneText) {
                // MariaDB: one round trip, as the driver sends a write by key in autocommit.
                try (PreparedStatement ps = c.prepareStatement("START TRANSACTION; " + sql
                        + "; INSERT INTO floor_log (hlc, tbl, op, pk, data) SELECT ?, 'kv', ?, ?, ? FROM DUAL"
                        + " WHERE ROW_COUNT() = 1; COMMIT")) {
                    int p = bind(ps, values);
                    bindLog(ps, p, op, key, data);
                    ps.execute();
                    while (ps.getMoreResults() || ps.getUpdateCount() != -1) {
                        // every statement's result read, as the driver reads them
                    }
                }
                return;
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql);
                 PreparedStatement logRow = c.prepareStatement("INSERT INTO floor_log (hlc, tbl, op, pk, data) VALUES (?, 'kv', ?, ?, ?)")) {
                bind(ps, values);
                ps.executeUpdate();
                bindLog(logRow, 0, op, key, data);
                logRow.executeUpdate();
                c.commit();
            } finally {
                c.setAutoCommit(true);
            }
        }

        private static int bind(PreparedStatement ps, Object[] values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            return values.length;
        }

        private static void bindLog(PreparedStatement ps, int p, String op, byte[] key, byte[] data) throws SQLException {
            ps.setLong(++p, HLC.getAndIncrement());
            ps.setString(++p, op);
            ps.setBytes(++p, key);
            ps.setBytes(++p, data);
        }
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void pause() throws InterruptedException {
        Thread.sleep(PAUSE_MS);
    }

    /** Batch objects the background sync wrote to the directory log. */
    private static long batches(Path log) throws IOException {
        Path devices = log.resolve("devices");
        if (!Files.isDirectory(devices)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(devices)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
