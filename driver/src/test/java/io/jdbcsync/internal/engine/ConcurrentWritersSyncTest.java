package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sync while the app keeps writing: bounded syncs, and no local write missed by integration. */
class ConcurrentWritersSyncTest {

    private static Properties options(Fleet f, int batchEntries) {
        Properties p = new Properties();
        p.setProperty("sync.log", f.log());
        p.setProperty("sync.batch-max-entries", Integer.toString(batchEntries));
        return p;
    }

    private static Fleet fleet(List<TestDatabase.Kind> kinds, int batchEntries) throws Exception {
        Properties p = new Properties();
        p.setProperty("sync.batch-max-entries", Integer.toString(batchEntries));
        return new Fleet(kinds, null, p);
    }

    /** Inserts rows on their own connection until stopped or the cap is reached. */
    private static Thread inserter(Connection c, long base, AtomicBoolean stop, AtomicLong written, long cap,
                                   ConcurrentLinkedQueue<Throwable> errors) {
        Thread t = new Thread(() -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, v) VALUES (?, ?)")) {
                for (long i = 0; !stop.get() && written.get() < cap; i++) {
                    ps.setLong(1, base + i);
                    ps.setString(2, "w" + i);
                    ps.executeUpdate();
                    written.incrementAndGet();
                    Thread.sleep(1); // leaves the sync its turn at SQLite's write lock
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        t.start();
        return t;
    }

    @Test
    void syncNowReturnsWhileWritersKeepGoingSqlite() throws Exception {
        syncNowReturnsWhileWritersKeepGoing(TestDatabase.Kind.SQLITE);
    }

    @Test
    void syncNowReturnsWhileWritersKeepGoingMariaDb() throws Exception {
        syncNowReturnsWhileWritersKeepGoing(TestDatabase.Kind.MARIADB);
    }

    /**
     * A sync pushes what was committed when it started. With one entry per batch a round of pushing
     * takes longer than the writers need for a row, so a push that chased every new row would end
     * only with the writers.
     */
    private void syncNowReturnsWhileWritersKeepGoing(TestDatabase.Kind kind) throws Exception {
        long cap = 10_000;
        try (Fleet f = fleet(List.of(kind, TestDatabase.Kind.SQLITE), 1)) {
            f.everywhere("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(32))");
            f.sync(0); // the engine is open before the writers start
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong written = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            List<Connection> conns = new ArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                Connection c = DriverManager.getConnection(f.database(0).syncUrl(), options(f, 1));
                conns.add(c);
                writers.add(inserter(c, (w + 1) * 1_000_000L, stop, written, cap, errors));
            }
            try {
                while (written.get() < 20 && errors.isEmpty()) {
                    Thread.onSpinWait();
                }
                long[] result = f.sync(0);
                long atReturn = written.get();
                assertTrue(atReturn < cap, "sync_now returned only after the writers stopped (" + atReturn + " rows)");
                assertTrue(result[0] > 0 && result[0] < cap, "pushed " + result[0]);
            } finally {
                stop.set(true);
                for (Thread t : writers) {
                    t.join();
                }
                for (Connection c : conns) {
                    c.close();
                }
            }
            assertTrue(errors.isEmpty(), "writers failed: " + errors);
            f.syncAll();
            assertEquals(f.rows(0, "t", "id"), f.rows(1, "t", "id"));
            assertEquals(written.get(), f.rows(1, "t", "id").size());
        }
    }

    /**
     * MariaDB stamps a change when its statement runs, so writers commit in another order than their
     * stamps. Integration must still see every local write before judging a remote change against
     * the row: a remote device's older update never overwrites a newer local write that committed
     * late, and every device ends identical.
     */
    @Test
    void lateCommittingLocalWritesAreNotSkippedMariaDb() throws Exception {
        int rows = 200;
        try (Fleet f = fleet(List.of(TestDatabase.Kind.SQLITE, TestDatabase.Kind.MARIADB), 1)) {
            f.everywhere("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(32))");
            try (Statement s = f.device(1).createStatement()) {
                for (int i = 1; i <= rows; i++) {
                    s.addBatch("INSERT INTO t (id, v) VALUES (" + i + ", 'start')");
                }
                s.executeBatch();
            }
            f.syncAll();
            // The remote device's updates, one per batch, all older than anything the writers below do.
            try (PreparedStatement ps = f.device(0).prepareStatement("UPDATE t SET v = ? WHERE id = ?")) {
                for (int i = 0; i < 2 * rows; i++) {
                    ps.setString(1, "remote" + i);
                    ps.setLong(2, 1 + i % rows);
                    ps.executeUpdate();
                }
            }
            f.sync(0);
            // Each row is written once by the writers below, in random order.
            List<Long> order = new ArrayList<>();
            for (long i = 1; i <= rows; i++) {
                order.add(i);
            }
            java.util.Collections.shuffle(order, new Random(7));
            ConcurrentLinkedQueue<Long> todo = new ConcurrentLinkedQueue<>(order);
            java.util.Set<Long> writtenRows = java.util.concurrent.ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            List<Thread> writers = new ArrayList<>();
            List<Connection> conns = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                Connection c = DriverManager.getConnection(f.database(1).syncUrl(), options(f, 1));
                conns.add(c);
                int id = w;
                Thread t = new Thread(() -> {
                    Random r = new Random(id);
                    try (PreparedStatement ps = c.prepareStatement("UPDATE t SET v = ? WHERE id = ?");
                         PreparedStatement seen = c.prepareStatement("SELECT COUNT(*) FROM t WHERE v LIKE 'remote%'")) {
                        // Start once the pull is under way (its first batch is in), so writes overlap integration.
                        while (!stop.get()) {
                            try (ResultSet rs = seen.executeQuery()) {
                                rs.next();
                                if (rs.getLong(1) > 0) {
                                    break;
                                }
                            }
                        }
                        for (Long row = todo.poll(); row != null && !stop.get(); row = todo.poll()) {
                            c.setAutoCommit(false);
                            ps.setString(1, "local" + id + "-" + row);
                            ps.setLong(2, row);
                            try {
                                ps.executeUpdate();
                                // Stamped now, committed later: other writers commit meanwhile.
                                Thread.sleep(r.nextInt(15));
                                c.commit();
                                writtenRows.add(row);
                            } catch (SQLException e) {
                                c.rollback();
                                if (!"40001".equals(e.getSQLState()) && e.getErrorCode() != 1205 && e.getErrorCode() != 1213) {
                                    throw e; // only deadlock victims and lock-wait timeouts may fail
                                }
                            }
                            c.setAutoCommit(true);
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                t.start();
                writers.add(t);
            }
            try {
                syncTolerantOfRaces(f, 1);
            } finally {
                stop.set(true);
                for (Thread t : writers) {
                    t.join();
                }
                for (Connection c : conns) {
                    c.close();
                }
            }
            assertTrue(errors.isEmpty(), "writers failed: " + errors);
            syncTolerantOfRaces(f, 1);
            f.syncAll();
            List<String> remote = f.rows(0, "t", "id");
            List<String> local = f.rows(1, "t", "id");
            List<String> differ = new ArrayList<>();
            for (int i = 0; i < Math.max(remote.size(), local.size()); i++) {
                String a = i < remote.size() ? remote.get(i) : null;
                String b = i < local.size() ? local.get(i) : null;
                if (!java.util.Objects.equals(a, b)) {
                    differ.add(a + " here, " + b + " on the MariaDB device");
                }
            }
            assertTrue(differ.isEmpty(), "devices differ: " + differ);
            for (String row : remote) {
                long id = Long.parseLong(row.substring(0, row.indexOf('|')));
                if (writtenRows.contains(id)) {
                    assertTrue(row.contains("|local"), "a local write lost to an older remote one: " + row);
                }
            }
            assertTrue(writtenRows.size() > rows / 2, "the writers wrote " + writtenRows.size() + " rows");
        }
    }

    /** sync_now, repeated while it reports that local writes kept racing with integration. */
    private static void syncTolerantOfRaces(Fleet f, int device) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try {
                f.sync(device);
                return;
            } catch (SQLException e) {
                boolean race = "40001".equals(e.getSQLState()) || e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
                if (!race || attempt >= 20) {
                    throw e;
                }
            }
        }
    }
}
