package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many connections writing at once lose no log entry, and every entry has its own clock value. */
class ConcurrencyTest {
    static final int THREADS = 8;
    static final int INSERTS = 500;

    /** A connection to the test database: SQLite in WAL mode with a busy timeout, as concurrent apps run it. */
    static Connection open(TestDatabase db) throws Exception {
        if (db.kind() == Kind.SQLITE) {
            return DriverManager.getConnection(db.syncUrl("journal_mode=WAL&busy_timeout=30000"));
        }
        return db.openSync();
    }

    static <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> t : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return t.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(90, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void parallelInsertsAndUpdatesLoseNoLogEntry(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            try (Connection c = open(db)) {
                exec(c, "CREATE TABLE item (id " + db.autoKey() + ", worker INTEGER, seq INTEGER, n INTEGER)");
            }
            List<Callable<List<Long>>> tasks = new ArrayList<>();
            for (int w = 0; w < THREADS; w++) {
                int worker = w;
                tasks.add(() -> {
                    List<Long> keys = new ArrayList<>();
                    try (Connection c = open(db);
                         PreparedStatement insert = c.prepareStatement("INSERT INTO item (worker, seq, n) VALUES (?, ?, 0)",
                                 Statement.RETURN_GENERATED_KEYS);
                         PreparedStatement update = c.prepareStatement("UPDATE item SET n = n + 1 WHERE id = ?")) {
                        for (int i = 0; i < INSERTS; i++) {
                            insert.setInt(1, worker);
                            insert.setInt(2, i);
                            insert.executeUpdate();
                            try (ResultSet rs = insert.getGeneratedKeys()) {
                                rs.next();
                                keys.add(rs.getLong(1));
                            }
                            if (i % 10 == 9) {
                                update.setLong(1, keys.get(i - 5));
                                assertEquals(1, update.executeUpdate());
                            }
                        }
                    }
                    return keys;
                });
            }
            Set<Long> keys = new HashSet<>();
            for (List<Long> k : runAll(tasks)) {
                keys.addAll(k);
            }
            int updates = THREADS * (INSERTS / 10);
            assertEquals(THREADS * INSERTS, keys.size(), "every generated key is distinct");
            List<ChangeLog.Change> log = ChangeLog.read(db);
            assertEquals(THREADS * INSERTS + updates, log.size());
            Set<Long> hlcs = new HashSet<>();
            Map<String, Integer> ops = new HashMap<>();
            Set<Object> inserted = new HashSet<>();
            for (ChangeLog.Change ch : log) {
                hlcs.add(ch.hlc());
                ops.merge(ch.op(), 1, Integer::sum);
                if (ch.op().equals("I")) {
                    inserted.add(ch.key().get(0));
                } else {
                    assertEquals(List.of("n"), List.copyOf(ch.data().keySet()));
                    assertEquals(1L, ch.get("n"));
                }
            }
            assertEquals(log.size(), hlcs.size(), "no two log rows share an hlc");
            assertEquals(Map.of("I", THREADS * INSERTS, "U", updates), ops);
            assertEquals(keys, inserted);
            assertEquals(List.of(Integer.toString(THREADS * INSERTS)), db.rawRows("SELECT COUNT(*) FROM item"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void parallelRangeUpdatesOnSharedRows(Kind kind) throws Exception {
        int rounds = 40;
        try (TestDatabase db = TestDatabase.create(kind)) {
            try (Connection c = open(db)) {
                exec(c, "CREATE TABLE counter (id BIGINT PRIMARY KEY, grp INTEGER, n INTEGER)",
                        "INSERT INTO counter (id, grp, n) VALUES (1, 1, 0), (2, 1, 0), (3, 2, 0), (4, 2, 0)");
            }
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int grp = w % 2 + 1;
                tasks.add(() -> {
                    try (Connection c = open(db);
                         PreparedStatement ps = c.prepareStatement("UPDATE counter SET n = n + 1 WHERE grp = ?")) {
                        for (int i = 0; i < rounds; i++) {
                            ps.setInt(1, grp);
                            assertEquals(2, ps.executeUpdate());
                        }
                    }
                    return rounds;
                });
            }
            runAll(tasks);
            assertEquals(List.of("1|80", "2|80", "3|80", "4|80"), db.rawRows("SELECT id, n FROM counter ORDER BY id"));
            List<ChangeLog.Change> log = ChangeLog.read(db);
            assertEquals(4 + 4 * rounds * 2, log.size());
            // Per row, the logged values count up one by one: each is the value the row held after that update.
            Map<Object, Long> last = new HashMap<>();
            for (ChangeLog.Change ch : log.subList(4, log.size())) {
                long n = (Long) ch.get("n");
                long previous = last.getOrDefault(ch.key().get(0), 0L);
                assertEquals(previous + 1, n, "row " + ch.key() + " in clock order");
                last.put(ch.key().get(0), n);
            }
            assertTrue(last.values().stream().allMatch(v -> v == 80L), last.toString());
        }
    }
}
