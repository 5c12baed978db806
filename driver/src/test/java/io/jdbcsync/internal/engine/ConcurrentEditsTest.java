package io.jdbcsync.internal.engine;

import io.jdbcsync.SyncClient;
import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two devices edit the same column of the same row, neither having seen the other's edit: the
 * newer wins, and {@code sync_conflicts()} lists the older value on every device, with both
 * versions; an edit made after having seen the other is not listed.
 */
class ConcurrentEditsTest {
    private static final String TABLE = "CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(40), note VARCHAR(40))";

    private static Fleet fleet(Kind kind, int devices) throws Exception {
        List<Kind> kinds = new ArrayList<>(Collections.nCopies(devices, kind));
        return new Fleet(kinds, null, null);
    }

    static String id(Fleet f, int d) throws SQLException {
        return f.device(d).unwrap(SyncClient.class).deviceId();
    }

    /** The concurrent-edit losses listed by sync_conflicts(): table, key, column, value, losing device, reason. */
    static List<String> listed(Fleet f, int d) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = f.device(d).createStatement(); ResultSet rs = s.executeQuery("CALL sync_conflicts()")) {
            while (rs.next()) {
                String reason = rs.getString("reason");
                if (reason.startsWith("concurrent edit")) {
                    assertEquals(0L, rs.getLong("active"));
                    out.add(rs.getString("table_name") + " " + rs.getString("row_key") + " " + rs.getString("column_name")
                            + " " + rs.getString("losing_row") + " " + rs.getString("losing_device") + " "
                            + rs.getString("losing_change") + " / " + reason);
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    private static void setUp(Fleet f) throws Exception {
        f.everywhere(TABLE);
        f.exec(0, "INSERT INTO t (id, name, note) VALUES (1, 'first', 'n')");
        f.syncAll();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentEditsOfOneColumnAreListedOnBothDevices(Kind kind) throws Exception {
        try (Fleet f = fleet(kind, 2)) {
            setUp(f);
            f.exec(0, "UPDATE t SET name = 'from-0' WHERE id = 1");
            Thread.sleep(5);
            f.exec(1, "UPDATE t SET name = 'from-1', note = 'only-1' WHERE id = 1");
            f.sync(0);
            f.sync(1);
            f.sync(0);
            for (int d = 0; d < 2; d++) {
                assertEquals(List.of("1|from-1|only-1"), f.rows(d, "t", "id"), "the newer edit wins on device " + d);
                List<String> l = listed(f, d);
                assertEquals(1, l.size(), "device " + d + ": " + l);
                assertTrue(l.get(0).startsWith("t 1 name {name: 'from-0'} " + id(f, 0) + " "), l.get(0));
                assertTrue(l.get(0).contains("device " + id(f, 1) + " wrote it"), l.get(0));
            }
            assertEquals(listed(f, 0), listed(f, 1));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anEditMadeAfterSeeingTheOtherIsNotListed(Kind kind) throws Exception {
        try (Fleet f = fleet(kind, 2)) {
            setUp(f);
            f.exec(0, "UPDATE t SET name = 'from-0' WHERE id = 1");
            f.sync(0);
            f.sync(1);
            f.exec(1, "UPDATE t SET name = 'from-1' WHERE id = 1");
            f.syncAll();
            f.syncAll();
            for (int d = 0; d < 2; d++) {
                assertEquals(List.of("1|from-1|n"), f.rows(d, "t", "id"));
                assertEquals(List.of(), listed(f, d), "device " + d);
            }
        }
    }
}
