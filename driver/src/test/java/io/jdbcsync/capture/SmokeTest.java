package io.jdbcsync.capture;

import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmokeTest {
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void insertUpdateDelete(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openSync()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE item (id " + db.autoKey() + ", name VARCHAR(50), n INTEGER)");
            }
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (name, n) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, "a");
                ps.setInt(2, 1);
                assertEquals(1, ps.executeUpdate());
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    assertTrue(keys.next());
                    id = keys.getLong(1);
                }
            }
            assertTrue(id > 1_000_000_000L, "generated id " + id);
            try (Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("UPDATE item SET n = n + 1 WHERE name = 'a'"));
                assertEquals(1, s.executeUpdate("DELETE FROM item WHERE id = " + id));
                try (ResultSet rs = s.executeQuery("CALL sync_status()")) {
                    assertTrue(rs.next());
                    assertEquals(3, rs.getLong("pending_changes"));
                    assertEquals("item", rs.getString("synced_tables"));
                }
            }
            var rows = db.logRows();
            assertEquals(3, rows.size());
            assertEquals("I", rows.get(0)[0]);
            assertEquals("U", rows.get(1)[0]);
            assertEquals("D", rows.get(2)[0]);
        }
    }
}
