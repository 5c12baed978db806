package io.jdbcsync.engine;

import io.jdbcsync.testing.FaultyLogProvider;
import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Devices make random changes (generated and explicit keys, re-inserts after deletes, unique-value
 * collisions, parent/child rows, range updates and deletes, rolled-back transactions), sync in
 * random order through a log that fails at random (before a write, after a write whose answer is
 * lost, on reads and listings), get batches delivered twice, and still end identical after
 * everyone syncs twice without faults.
 */
class ConvergencePropertyTest {
    private static final String[] NAMES = {"ann", "bob", "cid", "dan", "eve"};

    @Property
    void devicesConverge(@ForAll long seed, @ForAll @IntRange(min = 3, max = 5) int deviceCount,
                         @ForAll @IntRange(min = 5, max = 40) int steps) throws Exception {
        converge(seed, deviceCount, steps, null);
    }

    /** The same with keys from blocks claimed through the (faulty) log: small ids, and inserts that need a claim. */
    @Property(tries = 100)
    void devicesConvergeWithCompactKeys(@ForAll long seed, @ForAll @IntRange(min = 3, max = 5) int deviceCount,
                                        @ForAll @IntRange(min = 5, max = 40) int steps) throws Exception {
        java.util.Properties compact = new java.util.Properties();
        compact.setProperty("sync.keys", "compact");
        converge(seed, deviceCount, steps, compact);
    }

    void converge(long seed, int deviceCount, int steps, java.util.Properties extra) throws Exception {
        List<TestDatabase.Kind> kinds = new ArrayList<>(Collections.nCopies(deviceCount, TestDatabase.Kind.SQLITE));
        try (Fleet f = new Fleet(kinds, null, extra, true)) {
            f.everywhere("CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT UNIQUE, v INTEGER, note TEXT)",
                    "CREATE TABLE child (id TEXT PRIMARY KEY, parent_id INTEGER REFERENCES parent(id), v INTEGER)");
            Random r = new Random(seed);
            FaultyLogProvider.reset(seed);
            FaultyLogProvider.failBeforeWrite = 0.1;
            FaultyLogProvider.loseWriteResponse = 0.1;
            FaultyLogProvider.failRead = 0.05;
            FaultyLogProvider.failList = 0.05;
            List<String> trace = new ArrayList<>();
            for (int step = 0; step < steps; step++) {
                int d = r.nextInt(deviceCount);
                try {
                    act(f, d, r, deviceCount, trace);
                } catch (SQLException expected) {
                    // a constraint the app would also hit, or an injected log fault: both are fine
                    trace.add("   -> " + expected.getMessage());
                }
            }
            if (Boolean.getBoolean("trace")) {
                trace.forEach(System.out::println);
            }
            FaultyLogProvider.reset(seed);
            f.syncAll();
            List<String> parents = f.rows(0, "parent", "id");
            List<String> children = f.rows(0, "child", "id");
            for (int i = 1; i < deviceCount; i++) {
                assertEquals(parents, f.rows(i, "parent", "id"), "parent rows of device " + i + " (seed " + seed + ")");
                assertEquals(children, f.rows(i, "child", "id"), "child rows of device " + i + " (seed " + seed + ")");
            }
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
