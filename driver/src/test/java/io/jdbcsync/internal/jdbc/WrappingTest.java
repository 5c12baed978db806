package io.jdbcsync.internal.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jdbcsync.SyncDriver;
import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver wraps the app's driver: both stay reachable, and pools work with jdbc:sync: URLs. */
class WrappingTest {

    private static Class<?> rawConnection(Kind kind) throws ClassNotFoundException {
        return Class.forName(kind == Kind.SQLITE ? "org.sqlite.SQLiteConnection" : "org.mariadb.jdbc.Connection");
    }

    private static Class<?> rawStatement(Kind kind) throws ClassNotFoundException {
        return Class.forName(kind == Kind.SQLITE ? "org.sqlite.jdbc3.JDBC3Statement" : "org.mariadb.jdbc.Statement");
    }

    private static Class<?> rawPrepared(Kind kind) throws ClassNotFoundException {
        return Class.forName(kind == Kind.SQLITE ? "org.sqlite.jdbc3.JDBC3PreparedStatement"
                : "org.mariadb.jdbc.BasePreparedStatement");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void unwrapReachesOursAndTheUnderlyingDriver(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            assertInstanceOf(SyncDriver.class, DriverManager.getDriver(db.syncUrl()));
            assertTrue(c.isWrapperFor(SyncConnection.class));
            assertSame(c, c.unwrap(SyncConnection.class));
            Class<?> raw = rawConnection(kind);
            assertTrue(c.isWrapperFor(raw));
            Object rawConnection = c.unwrap(raw);
            assertInstanceOf(raw, rawConnection);
            assertSame(((SyncConnection) c).raw(), rawConnection);
            assertFalse(c.isWrapperFor(Map.class));
            assertThrows(SQLException.class, () -> c.unwrap(Map.class));

            exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))");
            try (Statement s = c.createStatement()) {
                assertSame(c, s.getConnection());
                assertTrue(s.isWrapperFor(rawStatement(kind)));
                assertInstanceOf(rawStatement(kind), s.unwrap(rawStatement(kind)));
                assertSame(s, s.unwrap(Statement.class));
                assertFalse(s.isWrapperFor(Map.class));
                assertThrows(SQLException.class, () -> s.unwrap(Map.class));
            }
            for (String sql : new String[] {"SELECT id FROM item WHERE id = ?", "INSERT INTO item (id, name) VALUES (?, 'x')"}) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    assertSame(c, ps.getConnection());
                    assertTrue(ps.isWrapperFor(rawPrepared(kind)), sql);
                    assertInstanceOf(rawPrepared(kind), ps.unwrap(rawPrepared(kind)));
                    assertSame(ps, ps.unwrap(PreparedStatement.class));
                }
            }
            try (CallableStatement cs = c.prepareCall("CALL sync_status()")) {
                assertSame(c, cs.getConnection());
            }
            DatabaseMetaData md = c.getMetaData();
            assertEquals(db.syncUrl().replace("&password=", ""), md.getURL(), "the URL without its password");
            assertSame(c, md.getConnection());
            assertThrows(SQLException.class, () -> md.unwrap(Map.class));
            try (ResultSet rs = md.getTables(c.getCatalog(), null, "item", null)) {
                assertTrue(rs.next(), "metadata calls reach the database");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void hikariPoolWithEightThreads(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(kind == Kind.SQLITE ? db.syncUrl("journal_mode=WAL&busy_timeout=30000") : db.syncUrl());
            config.setMaximumPoolSize(4);
            config.setConnectionTimeout(30_000);
            int threads = 8;
            int rounds = 40;
            AtomicInteger writes = new AtomicInteger();
            try (HikariDataSource ds = new HikariDataSource(config)) {
                try (Connection c = ds.getConnection()) {
                    exec(c, "CREATE TABLE item (id " + db.autoKey() + ", name VARCHAR(20), n INTEGER)");
                    assertTrue(c.isWrapperFor(SyncConnection.class));
                    assertTrue(c.isWrapperFor(rawConnection(kind)));
                    assertInstanceOf(rawConnection(kind), c.unwrap(rawConnection(kind)));
                }
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                try {
                    List<Future<?>> futures = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        int thread = t;
                        futures.add(pool.submit(() -> {
                            Random random = new Random(thread);
                            List<Long> mine = new ArrayList<>();
                            for (int i = 0; i < rounds; i++) {
                                try (Connection c = ds.getConnection()) {
                                    int op = random.nextInt(4);
                                    if (op == 0 || mine.isEmpty()) {
                                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (name, n) VALUES (?, ?)",
                                                Statement.RETURN_GENERATED_KEYS)) {
                                            ps.setString(1, "t" + thread);
                                            ps.setInt(2, i);
                                            ps.executeUpdate();
                                            try (ResultSet keys = ps.getGeneratedKeys()) {
                                                keys.next();
                                                mine.add(keys.getLong(1));
                                            }
                                        }
                                        writes.incrementAndGet();
                                    } else if (op == 1) {
                                        c.setAutoCommit(false);
                                        try (Statement s = c.createStatement()) {
                                            s.executeUpdate("UPDATE item SET n = n + 1 WHERE id = " + mine.get(random.nextInt(mine.size())));
                                            s.executeUpdate("INSERT INTO item (name, n) VALUES ('tx" + thread + "', 0)",
                                                    Statement.RETURN_GENERATED_KEYS);
                                            try (ResultSet keys = s.getGeneratedKeys()) {
                                                keys.next();
                                                mine.add(keys.getLong(1));
                                            }
                                        }
                                        c.commit();
                                        c.setAutoCommit(true);
                                        writes.addAndGet(2);
                                    } else if (op == 2) {
                                        try (PreparedStatement ps = c.prepareStatement("DELETE FROM item WHERE id = ?")) {
                                            ps.setLong(1, mine.remove(mine.size() - 1));
                                            assertEquals(1, ps.executeUpdate());
                                        }
                                        writes.incrementAndGet();
                                    } else {
                                        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM item WHERE name = ?")) {
                                            ps.setString(1, "t" + thread);
                                            try (ResultSet rs = ps.executeQuery()) {
                                                assertTrue(rs.next());
                                            }
                                        }
                                    }
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : futures) {
                        f.get(90, TimeUnit.SECONDS);
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
            List<ChangeLog.Change> log = ChangeLog.read(db);
            assertEquals(writes.get(), log.size(), "every write logged once");
            // Replaying the log gives the table exactly as it is.
            Map<Long, Map<String, Object>> replay = new TreeMap<>();
            for (ChangeLog.Change ch : log) {
                long id = (Long) ch.key().get(0);
                switch (ch.op()) {
                    case "I" -> replay.put(id, new HashMap<>(ch.data()));
                    case "U" -> replay.get(id).putAll(ch.data());
                    case "D" -> assertTrue(replay.remove(id) != null, "delete of a logged row");
                    default -> throw new AssertionError(ch);
                }
            }
            List<String> expected = new ArrayList<>();
            replay.forEach((id, row) -> expected.add(id + "|" + row.get("name") + "|" + row.get("n")));
            assertEquals(expected, db.rawRows("SELECT id, name, n FROM item ORDER BY id"));
        }
    }
}
