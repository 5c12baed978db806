package io.jdbcsync.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A HikariCP pool on {@code jdbc:sync:sqlite:} shared by 8 threads doing mixed reads and writes,
 * in autocommit and in transactions: every row any thread changed is in the log, once per change.
 */
class PooledSqliteWritersTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 30;

    private final AtomicLong inserted = new AtomicLong();
    private final AtomicLong updated = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final Set<Long> issued = ConcurrentHashMap.newKeySet();

    @Test
    void eightThreadsOnePool() throws Exception {
        try (ItDatabase db = ItDatabase.sqlite()) {
            try (Connection c = db.openSync(); Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, owner INTEGER NOT NULL, name TEXT NOT NULL,"
                        + " qty INTEGER NOT NULL DEFAULT 0)");
                s.execute("CREATE INDEX item_owner ON item (owner)");
            }
            HikariConfig config = new HikariConfig();
            // Writers queue on SQLite's single write lock: let them wait for it.
            config.setJdbcUrl(db.syncUrl() + "?busy_timeout=30000");
            config.setMaximumPoolSize(THREADS);
            config.setPoolName("it-sqlite");
            try (HikariDataSource pool = new HikariDataSource(config)) {
                ExecutorService threads = Executors.newFixedThreadPool(THREADS);
                try {
                    List<Future<?>> done = new ArrayList<>();
                    for (int t = 0; t < THREADS; t++) {
                        int owner = t;
                        done.add(threads.submit(() -> {
                            work(pool, owner);
                            return null;
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get(120, TimeUnit.SECONDS);
                    }
                } finally {
                    threads.shutdownNow();
                }
            }

            ChangeLog log = db.log();
            assertEquals("item I=" + inserted + " U=" + updated + " D=" + deleted, log.summary());
            List<Object> loggedKeys = log.keys("item", 'I');
            assertEquals(issued, new HashSet<>(loggedKeys), "every id a thread got back is logged once");
            assertEquals(loggedKeys.size(), new HashSet<>(loggedKeys).size());
            try (Connection raw = db.openRaw()) {
                var stored = ChangeLog.tableState(raw, "item", "id");
                assertEquals(inserted.get() - deleted.get(), stored.size());
                assertEquals(stored, log.replay("item"));
            }
        }
    }

    /** One thread's share: its own rows (owner = thread number), touched in every way an app does. */
    private void work(HikariDataSource pool, int owner) throws SQLException {
        Deque<Long> mine = new ArrayDeque<>();
        for (int i = 0; i < ROUNDS; i++) {
            try (Connection c = pool.getConnection()) {
                long id = insert(c, owner, "t" + owner + "-" + i, i);
                mine.add(id);
                try (PreparedStatement ps = c.prepareStatement("SELECT name FROM item WHERE id = ?")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals("t" + owner + "-" + i, rs.getString(1));
                    }
                }
                if (i % 3 == 0) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE item SET qty = qty + 1 WHERE id = ?")) {
                        ps.setLong(1, mine.getFirst());
                        updated.addAndGet(ps.executeUpdate());
                    }
                }
                if (i % 4 == 1) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE item SET qty = qty + 10 WHERE owner = ? AND qty < ?")) {
                        ps.setInt(1, owner);
                        ps.setInt(2, 5);
                        updated.addAndGet(ps.executeUpdate());
                    }
                }
                if (i % 5 == 2) {
                    c.setAutoCommit(false);
                    try {
                        mine.add(insert(c, owner, "tx-a", 0));
                        mine.add(insert(c, owner, "tx-b", 0));
                        try (PreparedStatement ps = c.prepareStatement(
                                "UPDATE item SET name = name || '*' WHERE owner = ? AND name LIKE 'tx-%'")) {
                            ps.setInt(1, owner);
                            long n = ps.executeUpdate();
                            c.commit();
                            updated.addAndGet(n);
                            inserted.addAndGet(2);
                        }
                    } catch (SQLException | RuntimeException e) {
                        c.rollback();
                        throw e;
                    } finally {
                        c.setAutoCommit(true);
                    }
                }
                if (i % 7 == 6) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM item WHERE id = ?")) {
                        ps.setLong(1, mine.removeFirst());
                        deleted.addAndGet(ps.executeUpdate());
                    }
                }
            }
        }
    }

    /** Inserts a row with its key left to the database; counts it when it commits in autocommit. */
    private long insert(Connection c, int owner, String name, int qty) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (owner, name, qty) VALUES (?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setInt(1, owner);
            ps.setString(2, name);
            ps.setInt(3, qty);
            assertEquals(1, ps.executeUpdate());
            try (ResultSet keys = ps.getGeneratedKeys()) {
                assertTrue(keys.next());
                long id = keys.getLong(1);
                assertTrue(issued.add(id), "id " + id + " issued twice");
                if (c.getAutoCommit()) {
                    inserted.incrementAndGet();
                }
                return id;
            }
        }
    }
}
