package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.FaultyLogProvider;
import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Devices make random changes (generated and explicit keys, re-inserts after deletes, unique-value
 * collisions, parent/child rows, range updates and deletes, rolled-back transactions), sync in
 * random order through a log that fails at random (before a write, after a write whose answer is
 * lost, on reads and listings), get batches delivered twice, and still end identical after
 * everyone syncs twice without faults. The widened property mixes SQLite and MariaDB devices,
 * clocks that jump ahead, app writes during sync, and enforced ON DELETE CASCADE. Only the failures {@link #expected} names
 * are tolerated on the way.
 */
class ConvergencePropertyTest {
    private static final String[] NAMES = {"ann", "bob", "cid", "dan", "eve"};

    @Property
    void devicesConverge(@ForAll long seed, @ForAll @IntRange(min = 3, max = 5) int deviceCount,
                         @ForAll @IntRange(min = 5, max = 40) int steps) throws Exception {
        run(seed, new ArrayList<>(Collections.nCopies(deviceCount, TestDatabase.Kind.SQLITE)), steps, false, null);
    }

    /** The same with keys from blocks claimed through the (faulty) log: small ids, and inserts that need a claim. */
    @Property(tries = 100)
    void devicesConvergeWithCompactKeys(@ForAll long seed, @ForAll @IntRange(min = 3, max = 5) int deviceCount,
                                        @ForAll @IntRange(min = 5, max = 40) int steps) throws Exception {
        Properties compact = new Properties();
        compact.setProperty("sync.keys", "compact");
        run(seed, new ArrayList<>(Collections.nCopies(deviceCount, TestDatabase.Kind.SQLITE)), steps, false, compact);
    }

    /**
     * The same with every first insert's version packed, at most three keys a pack (see
     * {@code InsertPacks}): packs form, meet other packs' ranges, and lose rows to later changes all
     * the time, and the devices still end identical.
     */
    @Property(tries = 100)
    void devicesConvergeWithTinyInsertPacks(@ForAll long seed, @ForAll @IntRange(min = 3, max = 5) int deviceCount,
                                            @ForAll @IntRange(min = 5, max = 40) int steps,
                                            @ForAll boolean compactKeys) throws Exception {
        Properties p = new Properties();
        if (compactKeys) {
            p.setProperty("sync.keys", "compact");
        }
        System.setProperty("jdbcsync.pack.min-entries", "1");
        System.setProperty("jdbcsync.pack.max-entries", "3");
        try {
            run(seed, new ArrayList<>(Collections.nCopies(deviceCount, TestDatabase.Kind.SQLITE)), steps, false, p);
        } finally {
            System.clearProperty("jdbcsync.pack.min-entries");
            System.clearProperty("jdbcsync.pack.max-entries");
        }
    }

    /**
     * A sample that ended with {@code note} different on the device that wrote it: a newer insert of
     * its key arrived, lost a unique value and was kept aside without the newer update's value.
     */
    @Example
    void compactKeysSample17377568296523() throws Exception {
        devicesConvergeWithCompactKeys(17377568296523L, 3, 38);
    }

    /**
     * SQLite and MariaDB devices together, clocks that jump ahead (one device beyond
     * {@code sync.max-clock-drift-ms}, so its changes wait on the others), and the app writing on
     * another connection while a device syncs.
     */
    @Property(tries = 40)
    void devicesConvergeAcrossDatabasesClocksAndWriters(@ForAll long seed, @ForAll @IntRange(min = 2, max = 4) int deviceCount,
                                                         @ForAll @IntRange(min = 5, max = 30) int steps) throws Exception {
        Random r = new Random(seed);
        List<TestDatabase.Kind> kinds = new ArrayList<>();
        for (int i = 0; i < deviceCount; i++) {
            kinds.add(i == 0 ? TestDatabase.Kind.MARIADB : i == 1 ? TestDatabase.Kind.SQLITE
                    : r.nextBoolean() ? TestDatabase.Kind.MARIADB : TestDatabase.Kind.SQLITE);
        }
        run(seed, kinds, steps, true, null);
    }

    /**
     * A sample whose final sync was once reported failing with "injected fault: before writing
     * batch 2" (not reproduced: faults are off by then, and a failed sync leaves nothing the next
     * one rethrows); kept so a recurrence shows its trace.
     */
    @Example
    void widenedSampleMinus2() throws Exception {
        devicesConvergeAcrossDatabasesClocksAndWriters(-2, 2, 6);
    }

    /** How far ahead a device's clock may run before its changes wait elsewhere (kept short: the test waits it out). */
    private static final long DRIFT_MS = 300;

    private static void run(long seed, List<TestDatabase.Kind> kinds, int steps, boolean widened, Properties extra)
            throws Exception {
        int deviceCount = kinds.size();
        Properties options = new Properties();
        if (extra != null) {
            options.putAll(extra);
        }
        if (widened) {
            options.setProperty("sync.max-clock-drift-ms", Long.toString(DRIFT_MS));
            // SQLite enforces foreign keys (and runs their actions) only when asked; MariaDB always.
            options.setProperty("foreign_keys", "true");
        }
        // Widened: deleting a parent deletes its children on the writing device (captured as well).
        String action = widened ? " ON DELETE CASCADE" : "";
        try (Fleet f = new Fleet(kinds, null, options, true)) {
            for (int i = 0; i < deviceCount; i++) {
                if (kinds.get(i) == TestDatabase.Kind.MARIADB) {
                    f.exec(i, "CREATE TABLE parent (id BIGINT PRIMARY KEY, name VARCHAR(16) UNIQUE, v INTEGER, note VARCHAR(32))",
                            "CREATE TABLE child (id VARCHAR(40) PRIMARY KEY, parent_id BIGINT REFERENCES parent(id)" + action + ", v INTEGER)");
                } else {
                    f.exec(i, "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT UNIQUE, v INTEGER, note TEXT)",
                            "CREATE TABLE child (id TEXT PRIMARY KEY, parent_id INTEGER REFERENCES parent(id)" + action + ", v INTEGER)");
                }
            }
            Random r = new Random(seed);
            FaultyLogProvider.reset(seed);
            FaultyLogProvider.failBeforeWrite = 0.1;
            FaultyLogProvider.loseWriteResponse = 0.1;
            FaultyLogProvider.failRead = 0.05;
            FaultyLogProvider.failList = 0.05;
            List<String> trace = new ArrayList<>();
            long aheadUntil = 0;
            for (int step = 0; step < steps; step++) {
                int d = r.nextInt(deviceCount);
                try {
                    int kind = widened ? r.nextInt(100) : 100;
                    if (kind < 6) {
                        aheadUntil = Math.max(aheadUntil, jumpAhead(f, d, r, trace));
                    } else if (kind < 16) {
                        syncWhileWriting(f, d, r, trace);
                    } else {
                        act(f, d, r, deviceCount, trace);
                    }
                } catch (SQLException e) {
                    if (!expected(e)) {
                        trace.forEach(System.out::println);
                        throw new AssertionError("unexpected failure at step " + step + " (seed " + seed + ")", e);
                    }
                    trace.add("   -> " + e.getMessage());
                }
            }
            if (Boolean.getBoolean("trace")) {
                trace.forEach(System.out::println);
            }
            FaultyLogProvider.reset(seed);
            // Changes stamped beyond the allowed drift wait until every clock has caught up with them.
            while (System.currentTimeMillis() <= aheadUntil - DRIFT_MS + 5) {
                Thread.sleep(50);
            }
            try {
                syncAllRetryingRaces(f);
            } catch (SQLException e) {
                // Faults are off here: a device must recover on the sync after a failed one.
                trace.forEach(System.out::println);
                throw new AssertionError("the final sync failed with faults off (seed " + seed + ")", e);
            }
            List<String> parents = f.rows(0, "parent", "id");
            List<String> children = f.rows(0, "child", "id");
            for (int i = 1; i < deviceCount; i++) {
                assertEquals(parents, f.rows(i, "parent", "id"), "parent rows of device " + i + " (seed " + seed + ")");
                assertEquals(children, f.rows(i, "child", "id"), "child rows of device " + i + " (seed " + seed + ")");
            }
        }
    }

    /**
     * The failures a step may meet: a constraint the app would also hit, a fault the test injects
     * into the shared log, and, with concurrent writers, a transaction chosen as a deadlock victim or
     * an integration that kept racing with local writes (retried at the next sync).
     */
    static boolean expected(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("injected fault")) {
                return true;
            }
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = String.valueOf(e.getMessage());
        boolean constraint = state.startsWith("23") || message.contains("SQLITE_CONSTRAINT_UNIQUE")
                || message.contains("SQLITE_CONSTRAINT_PRIMARYKEY") || message.contains("SQLITE_CONSTRAINT_FOREIGNKEY");
        boolean race = state.equals("40001") || e.getErrorCode() == 1213;
        return constraint || race;
    }

    private static void syncAllRetryingRaces(Fleet f) throws SQLException {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < f.size(); i++) {
                for (int attempt = 0; ; attempt++) {
                    try {
                        f.sync(i);
                        break;
                    } catch (SQLException e) {
                        if (!"40001".equals(e.getSQLState()) || attempt > 5) {
                            throw e;
                        }
                    }
                }
            }
        }
    }

    /**
     * The device's clock jumps ahead (a wrong clock, corrected later): it resumes from a stored value
     * up to 1.5 s ahead, beyond the allowed drift of the others. Returns how far ahead it now is.
     */
    private static long jumpAhead(Fleet f, int d, Random r, List<String> trace) throws SQLException {
        long to = System.currentTimeMillis() + r.nextInt(1500);
        f.device(d).close();
        try (Connection raw = DriverManager.getConnection(f.database(d).rawUrl()); Statement s = raw.createStatement()) {
            // Only ever forward: a stored clock below the device's own changes is not a state a device can be in.
            long current = 0;
            try (ResultSet rs = s.executeQuery("SELECT value FROM _sync_state WHERE name = 'hlc'")) {
                if (rs.next()) {
                    current = Long.parseLong(rs.getString(1));
                }
            }
            s.executeUpdate("REPLACE INTO _sync_state (name, value) VALUES ('hlc', '" + Math.max(current, to << 16) + "')");
        }
        f.reopen(d);
        trace.add("d" + d + " clock jumps to +" + (to - System.currentTimeMillis()) + " ms");
        return to;
    }

    /** Another connection of the device writes while the device syncs. */
    private static void syncWhileWriting(Fleet f, int d, Random r, List<String> trace) throws Exception {
        long writerSeed = r.nextLong();
        int writes = 3 + r.nextInt(10);
        List<String> writerTrace = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        try (Connection c = f.openAnother(d)) {
            Thread writer = new Thread(() -> {
                Random wr = new Random(writerSeed);
                for (int i = 0; i < writes; i++) {
                    try (PreparedStatement ps = c.prepareStatement(wr.nextBoolean()
                            ? "INSERT INTO parent (name, v) VALUES (NULL, ?)" : "UPDATE parent SET v = ? WHERE v < 5")) {
                        ps.setInt(1, wr.nextInt(10));
                        ps.executeUpdate();
                    } catch (SQLException e) {
                        if (!expected(e)) {
                            failure.compareAndSet(null, e);
                            return;
                        }
                        writerTrace.add("   writer -> " + e.getMessage());
                    }
                }
            });
            writer.start();
            try {
                trace.add("d" + d + " sync while writing " + java.util.Arrays.toString(f.sync(d)));
            } finally {
                writer.join();
            }
        }
        trace.addAll(writerTrace);
        if (failure.get() != null) {
            throw new AssertionError("a concurrent writer failed unexpectedly", failure.get());
        }
    }

    @AfterProperty
    void noFaults() {
        FaultyLogProvider.reset(0);
    }

    private static void act(Fleet f, int d, Random r, int deviceCount, List<String> trace) throws SQLException {
        Connection c = TraceConnection.wrap(f.device(d), "d" + d, trace);
        int kind = r.nextInt(100);
        if (kind < 15) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO parent (name, v) VALUES (?, ?)")) {
                ps.setString(1, r.nextBoolean() ? NAMES[r.nextInt(NAMES.length)] : null);
                ps.setInt(2, r.nextInt(10));
                ps.executeUpdate();
            }
        } else if (kind < 25) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO parent (id, name, v) VALUES (?, NULL, ?)")) {
                ps.setInt(1, 1 + r.nextInt(6));
                ps.setInt(2, r.nextInt(10));
                ps.executeUpdate();
            }
        } else if (kind < 35) {
            Long id = pick(c, "SELECT id FROM parent", r);
            if (id != null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE parent SET v = ?, note = ? WHERE id = ?")) {
                    ps.setInt(1, r.nextInt(10));
                    ps.setString(2, "d" + d + "-" + r.nextInt(1000));
                    ps.setLong(3, id);
                    ps.executeUpdate();
                }
            }
        } else if (kind < 40) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE parent SET v = v + 1 WHERE v < " + r.nextInt(10));
            }
        } else if (kind < 45) {
            Long id = pick(c, "SELECT id FROM parent", r);
            if (id != null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE parent SET name = ? WHERE id = ?")) {
                    ps.setString(1, NAMES[r.nextInt(NAMES.length)]);
                    ps.setLong(2, id);
                    ps.executeUpdate();
                }
            }
        } else if (kind < 52) {
            Long id = pick(c, "SELECT id FROM parent", r);
            if (id != null) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM parent WHERE id = " + id);
                }
            }
        } else if (kind < 55) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM parent WHERE v > " + (5 + r.nextInt(5)));
            }
        } else if (kind < 62) {
            Long parent = pick(c, "SELECT id FROM parent", r);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO child (parent_id, v) VALUES (?, ?)")) {
                ps.setObject(1, parent);
                ps.setInt(2, r.nextInt(10));
                ps.executeUpdate();
            }
        } else if (kind < 67) {
            String id = pickText(c, "SELECT id FROM child", r);
            if (id != null) {
                try (PreparedStatement ps = c.prepareStatement(r.nextBoolean() ? "UPDATE child SET v = v + 1 WHERE id = ?"
                        : "DELETE FROM child WHERE id = ?")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
        } else if (kind < 71) {
            boolean commit = r.nextBoolean();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO parent (name, v) VALUES (NULL, " + r.nextInt(10) + ")");
                s.executeUpdate("UPDATE parent SET note = 'tx' WHERE v = " + r.nextInt(10));
            } finally {
                if (commit) {
                    c.commit();
                } else {
                    c.rollback();
                }
                c.setAutoCommit(true);
            }
        } else if (kind < 73) {
            try (Statement s = c.createStatement()) {
                s.executeQuery("CALL sync_compact()").close();
                trace.add("d" + d + " compacted");
            }
        } else if (kind < 75) {
            // Deliver everything of some device again.
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM _sync_cursor");
            }
        } else {
            trace.add("d" + d + " sync " + java.util.Arrays.toString(f.sync(d)));
        }
    }

    private static Long pick(Connection c, String sql, Random r) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids.isEmpty() ? null : ids.get(r.nextInt(ids.size()));
    }

    private static String pickText(Connection c, String sql, Random r) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids.isEmpty() ? null : ids.get(r.nextInt(ids.size()));
    }
}
