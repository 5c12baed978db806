package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.Fleet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ContinuousSyncTest {
    private static final String ITEMS = "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, n INTEGER)";

    @Test
    void createUpdateDeleteReachAnotherDevice() throws Exception {
        try (Fleet f = Fleet.sqlite(2)) {
            f.everywhere(ITEMS);
            f.exec(0, "INSERT INTO item (name, n) VALUES ('a', 1)", "INSERT INTO item (name, n) VALUES ('b', 2)");
            f.sync(0);
            f.sync(1);
            assertEquals(f.rows(0, "item", "name"), f.rows(1, "item", "name"));
            f.exec(1, "UPDATE item SET n = n + 10 WHERE name = 'a'", "DELETE FROM item WHERE name = 'b'");
            f.sync(1);
            f.sync(0);
            List<String> rows = f.rows(0, "item", "name");
            assertEquals(1, rows.size());
            assertEquals(rows, f.rows(1, "item", "name"));
            assertEquals("11", rows.get(0).split("\\|")[2]);
        }
    }
}
