package io.jdbcsync.internal.engine;

import io.jdbcsync.SyncClient;
import io.jdbcsync.SyncListener;
import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engines start and stop with their connections, whatever happens to those connections, and
 * never hold a lock while the app's code or a slow shutdown runs. The waits below only bound a
 * deadlock: they are far longer than any of these steps takes.
 */
class EngineLifecycleTest {
    private static final long DEADLOCK_SECONDS = 25;

    private static Properties log(String dir) {
        Properties p = new Properties();
        p.setProperty("sync.log", dir);
        return p;
    }

    @Test
    void closingAConnectionTheServerKilledStillStopsItsEngine() throws Exception {
        int before = Engines.running();
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.MARIADB)) {
            Connection c = db.openSync();
            assertEquals(before + 1, Engines.running());
            long id;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                id = rs.getLong(1);
            }
            db.execRaw("KILL " + id);
            assertThrows(SQLException.class, () -> exec(c, "SELECT 1"));
            c.close();
            assertEquals(before, Engines.running(), "the engine of a killed connection must stop when it is closed");
            assertTrue(c.isClosed());
        }
    }

    @Test
    void abortingTwiceCountsTheConnectionOnce() throws Exception {
        int before = Engines.running();
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.SQLITE)) {
            Connection kept = db.openSync();
            Connection aborted = db.openSync();
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                aborted.abort(executor);
                aborted.abort(executor);
                aborted.close();
            } finally {
                executor.shutdown();
            }
            assertEquals(before + 1, Engines.running(), "the other connection still holds the engine");
            kept.close();
            assertEquals(before, Engines.running());
        }
    }

    @Test
    void aStoppingEngineDoesNotHoldUpConnectsToOtherDatabases() throws Exception {
        try (TestDatabase slow = TestDatabase.create(TestDatabase.Kind.SQLITE);
             TestDatabase other = TestDatabase.create(TestDatabase.Kind.SQLITE)) {
            Properties p = log(slow.dir().resolve("log").toString());
            p.setProperty("sync.interval", "50ms");
            Connection c = slow.openSync(p);
            CountDownLatch inListener = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            c.unwrap(SyncClient.class).addListener(new SyncListener() {
                @Override
                public void syncFinished(SyncClient.SyncResult result) {
                    inListener.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            assertTrue(inListener.await(DEADLOCK_SECONDS, TimeUnit.SECONDS), "background sync ran");
            // Closing the last connection waits for the background sync, which waits for the listener.
            CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
                try {
                    c.close();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                while (Thread.getAllStackTraces().keySet().stream().noneMatch(t -> isInShutdown(t))) {
                    Thread.sleep(10);
                }
                CompletableFuture<Connection> connect = CompletableFuture.supplyAsync(() -> {
                    try {
                        return other.openSync(log(other.dir().resolve("log").toString()));
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Connection o = connect.get(DEADLOCK_SECONDS, TimeUnit.SECONDS);
                o.close();
            } finally {
                release.countDown();
            }
            closing.get(DEADLOCK_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static boolean isInShutdown(Thread t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(BackgroundSync.class.getName()) && e.getMethodName().equals("shutdown")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aListenerMaySyncFromAnotherThreadWithoutDeadlock() throws Exception {
        try (Fleet f = Fleet.sqlite(2)) {
            f.everywhere("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
            SyncClient client = f.device(0).unwrap(SyncClient.class);
            AtomicInteger nested = new AtomicInteger();
            client.addListener(new SyncListener() {
                @Override
                public void syncFinished(SyncClient.SyncResult result) {
                    if (nested.getAndIncrement() > 0) {
                        return;
                    }
                    // E.g. a UI framework that hands work to its own thread and waits for it.
                    CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
                        try (Connection c = DriverManager.getConnection(f.database(0).syncUrl(), log(f.log()));
                             Statement s = c.createStatement()) {
                            s.executeQuery("CALL sync_now()").close();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    try {
                        other.get(DEADLOCK_SECONDS, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException("a listener could not sync from another thread", e);
                    }
                }
            });
            f.exec(0, "INSERT INTO item (id, name) VALUES (1, 'a')");
            f.sync(0);
            assertEquals(2, nested.get());
        }
    }

    @Test
    void aSyncConnectionWhoseSetupFailedIsNotKeptHalfReady() throws Exception {
        try (Fleet f = Fleet.sqlite(1)) {
            f.everywhere("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
            f.database(0).execRaw("ALTER TABLE _sync_row RENAME TO _sync_row_away");
            for (int i = 0; i < 3; i++) {
                SQLException e = assertThrows(SQLException.class, () -> f.sync(0));
                assertTrue(e.getMessage().contains("_sync_row"), e.getMessage());
            }
            f.database(0).execRaw("ALTER TABLE _sync_row_away RENAME TO _sync_row");
            f.exec(0, "INSERT INTO item (id, name) VALUES (1, 'a')");
            assertEquals(1, f.sync(0)[0]);
        }
    }

    @Test
    void backgroundSyncGoesOnAfterAnError() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.SQLITE)) {
            Properties p = log(db.dir().resolve("log").toString());
            p.setProperty("sync.interval", "50ms");
            try (Connection c = db.openSync(p)) {
                AtomicInteger finished = new AtomicInteger();
                CountDownLatch third = new CountDownLatch(3);
                c.unwrap(SyncClient.class).addListener(new SyncListener() {
                    @Override
                    public void syncFinished(SyncClient.SyncResult result) {
                        third.countDown();
                        if (finished.getAndIncrement() == 0) {
                            throw new AssertionError("a listener's bug");
                        }
                    }
                });
                assertTrue(third.await(DEADLOCK_SECONDS, TimeUnit.SECONDS),
                        "background sync stopped after an Error: " + finished.get() + " syncs");
            }
        }
    }
}
