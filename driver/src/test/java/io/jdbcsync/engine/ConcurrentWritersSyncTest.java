package io.jdbcsync.engine;

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
     * A sync pushes what was committed when it started: a push that chased every new row would
     * always find more (the writers add rows faster than a round of pushing takes) and end only with
     * the writers.
     */
    private void syncNowReturnsWhileWritersKeepGoing(TestDatabase.Kind kind) throws Exception {
        long cap = 30_000;
        try (Fleet f = fleet(List.of(kind, TestDatabase.Kind.SQLITE), 5000)) {
            f.everywhere("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(32))");
            f.sync(0); // the engine is open before the writers start
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong written = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            List<Connection> conns = new ArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                Connection c = DriverManager.getConnection(f.database(0).syncUrl(), options(f, 5000));
                conns.add(c);
                writers.add(inserter(c, (w + 1) * 1_000_000L, stop, written, cap, errors));
            }
            try {
                while (written.get() < 50 && errors.isEmpty()) {
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
     * the row: a remote device's older updates never overwrite a newer local write that committed
     * late, and every device ends identical.
     */
    @Test
    void lateCommittingLocalWritesAreNotSkippedMariaDb() throws Exception {
        int rows = 4;
        try (Fleet f = fleet(List.of(TestDatabase.Kind.SQLITE, TestDatabase.Kind.MARIADB), 1)) {
            f.everywhere("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(32))");
            for (int i = 1; i <= rows; i++) {
                f.exec(1, "INSERT INTO t (id, v) VALUES (" + i + ", 'start')");
            }
            f.syncAll();
            // The remote device's updates, one per batch, all older than anything the writers below do.
            for (int i = 0; i < 300; i++) {
                f.exec(0, "UPDATE t SET v = 'remote" + i + "' WHERE id = " + (1 + i % rows));
            }
            f.sync(0);
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
                    try (PreparedStatement ps = c.prepareStatement("UPDATE t SET v = ? WHERE id = ?")) {
                        // A fixed number of writes: the pull goes on after them, so nothing heals a lost write.
                        for (int n = 0; n < 60 && !stop.get(); n++) {
                            c.setAutoCommit(false);
                            ps.setString(1, "local" + id + "-" + n);
                            ps.setLong(2, 1 + r.nextInt(rows));
                            try {
                                ps.executeUpdate();
                                // Stamped now, committed later: other writers commit meanwhile.
                                Thread.sleep(r.nextInt(15));
                                c.commit();
                            } catch (SQLException e) {
                                c.rollback();
                                if (!"40001".equals(e.getSQLState()) && e.getErrorCode() != 1205 && e.getErrorCode() != 1213) {
                                    throw e; // only deadlock victims and lock-wait timeouts retry
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
            assertEquals(remote, f.rows(1, "t", "id"));
            for (String row : remote) {
                assertTrue(row.contains("|local"), "a local write lost to an older remote one: " + remote);
            }
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
