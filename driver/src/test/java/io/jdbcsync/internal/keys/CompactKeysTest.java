package io.jdbcsync.internal.keys;

import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sync.keys=compact}: every generated integer key comes from blocks and is JavaScript-safe. */
class CompactKeysTest {

    private static List<Long> insert(Connection c, int rows) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO note (body) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < rows; i++) {
                ps.setString(1, "n" + i);
                ps.executeUpdate();
                try (ResultSet k = ps.getGeneratedKeys()) {
                    k.next();
                    ids.add(k.getLong(1));
                }
            }
        }
        return ids;
    }

    @Test
    void everyGeneratedKeyIsBelowTwoToThe53OnSqliteAndMariaDb() throws Exception {
        Properties compact = new Properties();
        compact.setProperty("sync.keys", "compact");
        try (Fleet fleet = new Fleet(List.of(Kind.SQLITE, Kind.MARIADB), null, compact)) {
            fleet.exec(0, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
            fleet.exec(1, "CREATE TABLE note (id BIGINT AUTO_INCREMENT PRIMARY KEY, body TEXT NOT NULL)");
            // A row from before compact mode, with a time-ordered 63-bit id, stays as it is.
            fleet.exec(0, "INSERT INTO note (id, body) VALUES (253212156860045952, 'old')");
            Set<Long> all = new HashSet<>();
            for (int round = 0; round < 3; round++) {
                for (int d = 0; d < 2; d++) {
                    for (long id : insert(fleet.device(d), 50)) {
                        assertTrue(id > 0 && id <= KeySpace.JAVASCRIPT_SAFE_MAX, "JavaScript-safe: " + id);
                        assertTrue(all.add(id), "issued twice: " + id);
                        assertEquals(id, (long) (double) id, "a double holds it exactly");
                    }
                }
                fleet.syncAll();
            }
            assertEquals(fleet.rows(0, "note", "id"), fleet.rows(1, "note", "id"));
            assertEquals(301, fleet.rows(1, "note", "id").size());
            try (Statement s = fleet.device(1).createStatement(); ResultSet rs = s.executeQuery("CALL sync_keys()")) {
                assertTrue(rs.next());
                assertEquals("note", rs.getString("table_name"));
                assertEquals("compact-blocks", rs.getString("strategy"));
                assertEquals(KeySpace.JAVASCRIPT_SAFE_MAX, rs.getLong("max_id"));
            }
        }
    }
}
