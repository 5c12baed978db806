package io.jdbcsync.bench;

import io.jdbcsync.bench.DriverBench.Db;
import io.jdbcsync.bench.DriverBench.Target;
import io.jdbcsync.internal.value.ValueCodec;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How much of the sync/raw gap of the write scenarios that miss their bound is the change log
 * itself. Runs DriverBench workloads four ways, rounds rotating: raw; raw plus the log written by
 * hand the way the driver writes it, with the least work that takes (same statements, one
 * {@code _sync_log}-shaped row per changed row, same value encoding, same transaction); raw plus
 * the log in a cheaper layout (bulk writes: one log row per statement; MariaDB update by key: the
 * same statements in one round trip); and the sync driver. Prints each as a median time ratio to raw,
 * and the median ratio of this thread's CPU time for the cheaper layout and the sync driver.
 * {@code bench.rounds} (default 11), {@code bench.only} (workloads whose "title DB" contains the text).
 *
 * <pre>
 * java -cp "integration-tests/target/classes:$(cat integration-tests/target/classpath.txt)" io.jdbcsync.bench.LogFloor
 * </pre>
 */
public final class LogFloor {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 11);
    private static final int WARMUP = 3;
    private static final String[] SIDES = {"raw", "per-row log", "per-statement log", "sync"};
    /** Runs the workloads whose "title DB" contains this text (case-insensitive); all by default. */
    private static final String ONLY = System.getProperty("bench.only", "");
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private long hlc = 1L << 50;
    private long nextId = 1L << 45;

    private LogFloor() {
    }

    public static void main(String[] args) throws Exception {
        StringBuilder out = new StringBuilder("| Workload | DB | raw + log by hand, as the driver writes it |"
                + " raw + log by hand, cheaper layout | sync driver | client CPU: cheaper layout by hand, sync |"
                + "\n|---|---|---:|---:|---:|---:|\n");
        for (Db db : Db.values()) {
            for (Workload w : Workload.values()) {
                if (w == Workload.BY_KEY && db == Db.SQLITE || !(w.title + " " + db).toLowerCase(Locale.ROOT)
                        .contains(ONLY.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                double[] ratios = new LogFloor().run(db, w);
                out.append(String.format(Locale.ROOT, "| %s | %s | %.2fx | %.2fx (%s) | %.2fx | %.2fx, %.2fx |%n",
                        w.title, db == Db.SQLITE ? "SQLite" : "MariaDB", ratios[1], ratios[2], w.cheaper, ratios[3],
                        ratios[SIDES.length + 2], ratios[SIDES.length + 3]));
            }
        }
        System.out.println(out);
    }

    private enum Workload {
        RANGE("UPDATE range of 1,000 rows, SET col = ?", "1 log row per statement"),
        BATCH("batched INSERT 10,000 rows", "1 log row per statement"),
        DELETE("DELETE range of 1,000 rows", "1 log row per statement"),
        BY_KEY("UPDATE by key, autocommit", "same statements in 1 round trip");

        final String title;
        final String cheaper;

        Workload(String title, String cheaper) {
            this.title = title;
            this.cheaper = cheaper;
        }
    }

    private double[] run(Db db, Workload w) throws Exception {
        List<Target> targets = new ArrayList<>();
        List<Connection> connections = new ArrayList<>();
        try {
            for (int side = 0; side < SIDES.length; side++) {
                Target t = Target.create(db, side == 3);
                targets.add(t);
                // The one-round-trip layout sends several statements in one text.
                Connection c = w == Workload.BY_KEY && side == 2 ? t.open("allowMultiQueries=true") : t.open();
                connections.add(c);
                if (w == Workload.BATCH) {
                    new DriverBench.BatchInsert(10_000).setUp(c, db);
                } else if (w == Workload.DELETE) {
                    new DriverBench.RangeDelete().setUp(c, db);
                } else {
                    DriverBench.createKv(c, db);
                }
                if (side == 1 || side == 2) {
                    try (Statement s = c.createStatement()) {
                        s.execute(logTableDdl(db));
                    }
                }
            }
            double[][] nanos = new double[SIDES.length][ROUNDS];
            double[][] cpu = new double[SIDES.length][ROUNDS];
            for (int r = -WARMUP; r < ROUNDS; r++) {
                for (int k = 0; k < SIDES.length; k++) {
                    int side = (k + Math.max(r, 0)) % SIDES.length;
                    Connection c = connections.get(side);
                    long cpu0 = CPU.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    switch (w) {
                        case RANGE -> rangeRound(c, side, r);
                        case BATCH -> batchRound(c, side, r);
                        case DELETE -> deleteRound(c, side, r);
                        case BY_KEY -> byKeyRound(c, side, r);
                        default -> throw new IllegalStateException();
                    }
                    if (r >= 0) {
                        nanos[side][r] = System.nanoTime() - t0;
                        cpu[side][r] = CPU.getCurrentThreadCpuTime() - cpu0;
                    }
                }
            }
            // Time ratios per side, then the same on this thread's CPU time (on SQLite, which runs
            // in-process, the whole cost; blind to waiting for the disk).
            double[] ratios = new double[2 * SIDES.length];
            for (int side = 0; side < SIDES.length; side++) {
                ratios[side] = medianRatio(nanos[side], nanos[0]);
                ratios[SIDES.length + side] = medianRatio(cpu[side], cpu[0]);
            }
            return ratios;
        } finally {
            for (Connection c : connections) {
                c.close();
            }
            for (Target t : targets) {
                t.close();
            }
        }
    }

    private static double medianRatio(double[] side, double[] raw) {
        double[] rs = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            rs[r] = side[r] / raw[r];
        }
        Arrays.sort(rs);
        return rs[ROUNDS / 2];
    }

    /** The driver's own _sync_log layout, as its dialects create it. */
    private static String logTableDdl(Db db) {
        return db == Db.SQLITE
                ? "CREATE TABLE floor_log (hlc INTEGER NOT NULL PRIMARY KEY, tbl TEXT NOT NULL, op TEXT NOT NULL,"
                        + " pk BLOB NOT NULL, data BLOB NOT NULL, batch INTEGER) WITHOUT ROWID"
                : "CREATE TABLE floor_log (hlc BIGINT NOT NULL PRIMARY KEY, tbl VARCHAR(255) NOT NULL, op CHAR(1) NOT NULL,"
                        + " pk VARBINARY(3072) NOT NULL, data LONGBLOB NOT NULL, batch BIGINT NULL) ENGINE=InnoDB";
    }

    private void rangeRound(Connection c, int side, int round) throws SQLException {
        if (side == 0 || side == 3) {
            new DriverBench.RangeUpdate(false).round(c, round);
            return;
        }
        String lock = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("sqlite") ? "" : " FOR UPDATE";
        for (int i = 0; i < 5; i++) {
            int from = 1 + ((round + 10) * 5 + i) % 10 * 1_000;
            c.setAutoCommit(false);
            List<Long> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM kv WHERE id BETWEEN ? AND ?" + lock)) {
                ps.setLong(1, from);
                ps.setLong(2, from + 999);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getLong(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE kv SET qty = ? WHERE id BETWEEN ? AND ?")) {
                ps.setInt(1, round * 100 + i);
                ps.setLong(2, from);
                ps.setLong(3, from + 999);
                ps.executeUpdate();
            }
            byte[] data = ValueCodec.encodeRow(List.of("qty"), List.of((long) round * 100 + i));
            if (side == 1) {
                List<byte[][]> rows = new ArrayList<>();
                for (long k : keys) {
                    rows.add(new byte[][] {ValueCodec.encodeKey(k), data});
                }
                log(c, "kv", "U", rows);
            } else {
                // Every key in one entry: too long for the pk column on MariaDB, so it goes with the data.
                log(c, "kv", "U", List.<byte[][]>of(new byte[][] {new byte[0], data, ValueCodec.encodeKey(keys)}));
            }
            c.setAutoCommit(true);
        }
    }

    /**
     * DriverBench's RangeDelete. By hand: in one transaction, the keys read first (on SQLite the
     * write lock taken before, as the driver does), the DELETE, then the log: a row per deleted key,
     * or every key in one row.
     */
    private void deleteRound(Connection c, int side, int round) throws SQLException {
        if (side == 0 || side == 3) {
            new DriverBench.RangeDelete().round(c, round);
            return;
        }
        boolean sqlite = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("sqlite");
        int slot = round < 0 ? -1 - round : Integer.getInteger("bench.warmup", 3) + round;
        for (int i = 0; i < 5; i++) {
            long from = 1 + ((long) slot * 5 + i) * 1_000;
            c.setAutoCommit(false);
            if (sqlite) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM floor_log WHERE 0");
                }
            }
            List<Long> keys = new ArrayList<>(1_000);
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM doomed WHERE id BETWEEN ? AND ?"
                    + (sqlite ? "" : " FOR UPDATE"))) {
                ps.setLong(1, from);
                ps.setLong(2, from + 999);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getLong(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM doomed WHERE id BETWEEN ? AND ?")) {
                ps.setLong(1, from);
                ps.setLong(2, from + 999);
                ps.executeUpdate();
            }
            if (side == 1) {
                List<byte[][]> rows = new ArrayList<>(keys.size());
                for (long k : keys) {
                    rows.add(new byte[][] {ValueCodec.encodeKey(k), new byte[0]});
                }
                log(c, "doomed", "D", rows);
            } else {
                log(c, "doomed", "D", List.<byte[][]>of(new byte[][] {new byte[0], new byte[0],
                        ValueCodec.encodeKey(keys.toArray())}));
            }
            c.setAutoCommit(true);
        }
    }

    /**
     * DriverBench's UpdateByKey. By hand: SET autocommit=0, UPDATE, log INSERT, SET autocommit=1, as
     * the driver sends them; or all in one text, the log row kept only when the UPDATE hit a row.
     */
    private void byKeyRound(Connection c, int side, int round) throws SQLException {
        DriverBench.UpdateByKey bench = new DriverBench.UpdateByKey(300);
        if (side == 0 || side == 3) {
            bench.round(c, round);
            return;
        }
        Random random = new Random(round);
        String oneTrip = "START TRANSACTION; UPDATE kv SET name = ?, qty = ? WHERE id = ?;"
                + " INSERT INTO floor_log (hlc, tbl, op, pk, data) SELECT ?, 'kv', 'U', ?, ? FROM DUAL WHERE ROW_COUNT() = 1;"
                + " COMMIT";
        try (PreparedStatement update = c.prepareStatement("UPDATE kv SET name = ?, qty = ? WHERE id = ?");
             PreparedStatement all = side == 2 ? c.prepareStatement(oneTrip) : null) {
            for (int i = 0; i < bench.updates(); i++) {
                String name = "renamed-" + round + "-" + i;
                long id = 1 + random.nextInt(10_000);
                byte[] data = ValueCodec.encodeRow(List.of("name", "qty"), List.of(name, (long) i));
                if (side == 1) {
                    c.setAutoCommit(false);
                    update.setString(1, name);
                    update.setInt(2, i);
                    update.setLong(3, id);
                    if (update.executeUpdate() == 1) {
                        log(c, "kv", "U", List.<byte[][]>of(new byte[][] {ValueCodec.encodeKey(id), data}));
                    }
                    c.setAutoCommit(true);
                } else {
                    all.setString(1, name);
                    all.setInt(2, i);
                    all.setLong(3, id);
                    all.setLong(4, hlc++);
                    all.setBytes(5, ValueCodec.encodeKey(id));
                    all.setBytes(6, data);
                    all.execute();
                }
            }
        }
    }

    private void batchRound(Connection c, int side, int round) throws SQLException {
        if (side == 0 || side == 3) {
            new DriverBench.BatchInsert(10_000).round(c, round);
            return;
        }
        c.setAutoCommit(false);
        List<Object[]> rows = new ArrayList<>(10_000);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO line (order_no, product, qty, price, id) VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < 10_000; i++) {
                Object[] row = {nextId++, (long) (i / 10), "product-" + (i % 97), (long) (1 + i % 5),
                        BigDecimal.valueOf(100 + i % 1000, 2)};
                ps.setInt(1, i / 10);
                ps.setString(2, (String) row[2]);
                ps.setInt(3, 1 + i % 5);
                ps.setBigDecimal(4, (BigDecimal) row[4]);
                ps.setLong(5, (Long) row[0]);
                ps.addBatch();
                rows.add(row);
            }
            ps.executeBatch();
        }
        List<String> names = List.of("id", "order_no", "product", "qty", "price");
        if (side == 1) {
            List<byte[][]> log = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                log.add(new byte[][] {ValueCodec.encodeKey(row[0]), ValueCodec.encodeRow(names, Arrays.asList(row))});
            }
            log(c, "line", "I", log);
        } else {
            // Column names once, then the values of every row.
            List<Object> values = new ArrayList<>(rows.size() * names.size());
            for (Object[] row : rows) {
                values.addAll(Arrays.asList(row));
            }
            log(c, "line", "I", List.<byte[][]>of(new byte[][] {new byte[0],
                    ValueCodec.encodeRow(List.of("columns"), List.of(String.join(",", names))),
                    ValueCodec.encodeKey(values)}));
        }
        c.commit();
        c.setAutoCommit(true);
    }

    /** Appends log rows as the driver does: one statement, batched when there are several. */
    private void log(Connection c, String table, String op, List<byte[][]> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO floor_log (hlc, tbl, op, pk, data) VALUES (?, ?, ?, ?, ?)")) {
            for (byte[][] row : rows) {
                ps.setLong(1, hlc++);
                ps.setString(2, table);
                ps.setString(3, op);
                ps.setBytes(4, row[0]);
                ps.setBytes(5, row.length == 2 ? row[1] : concat(row[1], row[2]));
                if (rows.size() == 1) {
                    ps.executeUpdate();
                } else {
                    ps.addBatch();
                }
            }
            if (rows.size() > 1) {
                ps.executeBatch();
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
