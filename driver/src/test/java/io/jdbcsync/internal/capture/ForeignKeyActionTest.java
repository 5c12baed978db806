package io.jdbcsync.internal.capture;

import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rows the database changes through foreign-key actions are logged with the statement that set
 * them off, so another device ends with the same children (it applies changes with checks off).
 */
class ForeignKeyActionTest {

    private static final String[] TABLES = {"parent", "child_c", "grand", "child_n", "child_u", "tree", "child_d"};

    @ParameterizedTest
    @EnumSource(Kind.class)
    void actionsReachTheOtherDevice(Kind kind) throws Exception {
        try (Fleet f = new Fleet(List.of(kind, kind), null, null)) {
            boolean sqlite = kind == Kind.SQLITE;
            if (sqlite) {
                // SQLite acts on foreign keys only when asked to, per connection.
                f.exec(0, "PRAGMA foreign_keys = ON");
                f.exec(1, "PRAGMA foreign_keys = ON");
            }
            List<String> ddl = new ArrayList<>(List.of(
                    "CREATE TABLE parent (id BIGINT PRIMARY KEY, code VARCHAR(10) UNIQUE, name VARCHAR(20))",
                    "CREATE TABLE child_c (id BIGINT PRIMARY KEY, parent_id BIGINT,"
                            + " FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE)",
                    "CREATE TABLE grand (id BIGINT PRIMARY KEY, child_id BIGINT,"
                            + " FOREIGN KEY (child_id) REFERENCES child_c (id) ON DELETE CASCADE)",
                    "CREATE TABLE child_n (id BIGINT PRIMARY KEY, parent_id BIGINT, note VARCHAR(10),"
                            + " FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE SET NULL)",
                    "CREATE TABLE child_u (id BIGINT PRIMARY KEY, parent_code VARCHAR(10),"
                            + " FOREIGN KEY (parent_code) REFERENCES parent (code) ON UPDATE CASCADE ON DELETE CASCADE)",
                    "CREATE TABLE tree (id BIGINT PRIMARY KEY, up BIGINT,"
                            + " FOREIGN KEY (up) REFERENCES tree (id) ON DELETE CASCADE)"));
            if (sqlite) {
                // InnoDB refuses SET DEFAULT.
                ddl.add("CREATE TABLE child_d (id BIGINT PRIMARY KEY, parent_id BIGINT DEFAULT 9,"
                        + " FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE SET DEFAULT)");
            } else {
                ddl.add("CREATE TABLE child_d (id BIGINT PRIMARY KEY, parent_id BIGINT)");
            }
            f.everywhere(ddl.toArray(new String[0]));
            f.exec(0, "INSERT INTO parent (id, code, name) VALUES (1, 'a', 'one'), (2, 'b', 'two'), (3, 'c', 'three'),"
                            + " (9, 'd', 'default')",
                    "INSERT INTO child_c (id, parent_id) VALUES (10, 1), (11, 1), (12, 2)",
                    "INSERT INTO grand (id, child_id) VALUES (100, 10), (101, 11), (102, 12)",
                    "INSERT INTO child_n (id, parent_id, note) VALUES (20, 1, 'x'), (21, 2, 'y')",
                    "INSERT INTO child_u (id, parent_code) VALUES (30, 'b'), (31, 'c'), (32, 'b')",
                    "INSERT INTO tree (id, up) VALUES (1, NULL), (2, 1), (3, 2), (4, 3), (5, NULL)",
                    "INSERT INTO child_d (id, parent_id) VALUES (40, 1), (41, 2)");
            f.syncAll();
            // By key (the WHERE names the row), then by a condition, then a key change, then a tree.
            f.exec(0, "DELETE FROM parent WHERE id = 1",
                    "UPDATE parent SET code = 'z' WHERE name = 'two'",
                    "UPDATE parent SET code = 'y', id = 7 WHERE id = 3",
                    "DELETE FROM tree WHERE id = 2");
            List<String> rowsBefore = new ArrayList<>();
            for (String t : TABLES) {
                rowsBefore.add(t + f.rows(0, t, "id"));
            }
            List<String> log = ChangeLog.lines(f.database(0));
            assertTrue(log.contains("D grand [100]"), log.toString());
            assertTrue(log.contains("U child_u [31] parent_code='y'"), log.toString());
            f.syncAll();
            for (String t : TABLES) {
                assertEquals(f.rows(0, t, "id"), f.rows(1, t, "id"), t);
            }
            assertEquals(List.of("12|2"), f.rows(1, "child_c", "id"));
            assertEquals(List.of("102|12"), f.rows(1, "grand", "id"));
            assertEquals(List.of("20|null|x", "21|2|y"), f.rows(1, "child_n", "id"));
            assertEquals(List.of("30|z", "31|y", "32|z"), f.rows(1, "child_u", "id"));
            assertEquals(List.of("1|null", "5|null"), f.rows(1, "tree", "id"));
            if (sqlite) {
                assertEquals(List.of("40|9", "41|2"), f.rows(1, "child_d", "id"));
            }
            // Nothing changed in the meantime on the writing device.
            List<String> rowsAfter = new ArrayList<>();
            for (String t : TABLES) {
                rowsAfter.add(t + f.rows(0, t, "id"));
            }
            assertEquals(rowsBefore, rowsAfter);
        }
    }

    /** A replaced row is deleted first (MariaDB always, SQLite with foreign keys on): its children go too. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void replacedParentsTakeTheirChildren(Kind kind) throws Exception {
        try (Fleet f = new Fleet(List.of(kind, kind), null, null)) {
            if (kind == Kind.SQLITE) {
                f.exec(0, "PRAGMA foreign_keys = ON");
            }
            f.everywhere("CREATE TABLE parent (id BIGINT PRIMARY KEY, code VARCHAR(10) UNIQUE, name VARCHAR(20))",
                    "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT,"
                            + " FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE)",
                    "CREATE TABLE by_code (id BIGINT PRIMARY KEY, code VARCHAR(10),"
                            + " FOREIGN KEY (code) REFERENCES parent (code) ON UPDATE CASCADE)");
            f.exec(0, "INSERT INTO parent (id, code, name) VALUES (1, 'a', 'one'), (2, 'b', 'two')",
                    "INSERT INTO child (id, parent_id) VALUES (10, 1), (11, 2)",
                    "INSERT INTO by_code (id, code) VALUES (20, 'b')");
            f.syncAll();
            f.exec(0, "REPLACE INTO parent (id, code, name) VALUES (1, 'a', 'uno')",
                    kind == Kind.SQLITE
                            ? "INSERT INTO parent (id, code, name) VALUES (2, 'b', 'x') ON CONFLICT (id) DO UPDATE SET code = 'c'"
                            : "INSERT INTO parent (id, code, name) VALUES (2, 'b', 'x') ON DUPLICATE KEY UPDATE code = 'c'");
            assertEquals(List.of("11|2"), f.rows(0, "child", "id"));
            assertEquals(List.of("20|c"), f.rows(0, "by_code", "id"));
            f.syncAll();
            for (String t : new String[] {"parent", "child", "by_code"}) {
                assertEquals(f.rows(0, t, "id"), f.rows(1, t, "id"), t);
            }
        }
    }

    /** Composite keys, ON UPDATE SET NULL, and (SQLite) a reference to the parent's key without naming it. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void compositeAndImplicitKeys(Kind kind) throws Exception {
        try (Fleet f = new Fleet(List.of(kind, kind), null, null)) {
            boolean sqlite = kind == Kind.SQLITE;
            if (sqlite) {
                f.exec(0, "PRAGMA foreign_keys = ON");
            }
            f.everywhere("CREATE TABLE pair (a BIGINT, b VARCHAR(10), label VARCHAR(10), PRIMARY KEY (a, b))",
                    "CREATE TABLE pair_child (id BIGINT PRIMARY KEY, pa BIGINT, pb VARCHAR(10),"
                            + " FOREIGN KEY (pa, pb) REFERENCES pair (a, b) ON UPDATE SET NULL ON DELETE CASCADE)",
                    sqlite ? "CREATE TABLE implicit (id BIGINT PRIMARY KEY, a BIGINT, b VARCHAR(10),"
                            + " FOREIGN KEY (a, b) REFERENCES pair ON DELETE CASCADE)"
                            : "CREATE TABLE implicit (id BIGINT PRIMARY KEY, a BIGINT, b VARCHAR(10),"
                            + " FOREIGN KEY (a, b) REFERENCES pair (a, b) ON DELETE CASCADE)");
            f.exec(0, "INSERT INTO pair (a, b, label) VALUES (1, 'x', 'p'), (2, 'y', 'q')",
                    "INSERT INTO pair_child (id, pa, pb) VALUES (10, 1, 'x'), (11, 2, 'y')",
                    "INSERT INTO implicit (id, a, b) VALUES (20, 2, 'y')");
            f.syncAll();
            f.exec(0, "UPDATE pair SET b = 'z' WHERE a = 1 AND b = 'x'", "DELETE FROM pair WHERE label = 'q'");
            f.syncAll();
            assertEquals(List.of("10|null|null"), f.rows(0, "pair_child", "id"));
            assertEquals(List.of(), f.rows(0, "implicit", "id"));
            assertEquals(f.rows(0, "pair", "a"), f.rows(1, "pair", "a"));
            assertEquals(f.rows(0, "pair_child", "id"), f.rows(1, "pair_child", "id"));
            assertEquals(f.rows(0, "implicit", "id"), f.rows(1, "implicit", "id"));
        }
    }

    /** Without PRAGMA foreign_keys SQLite changes no child: nothing extra is logged. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "SQLITE")
    void sqliteWithoutForeignKeysChangesNoChild(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); var c = db.openSync()) {
            TestDatabase.exec(c, "CREATE TABLE parent (id BIGINT PRIMARY KEY)",
                    "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT REFERENCES parent ON DELETE CASCADE)",
                    "INSERT INTO parent (id) VALUES (1)", "INSERT INTO child (id, parent_id) VALUES (2, 1)",
                    "DELETE FROM parent WHERE id = 1");
            assertEquals(List.of("2|1"), db.rawRows("SELECT id, parent_id FROM child"));
            assertEquals(List.of("I parent [1] id=1", "I child [2] id=2 parent_id=1", "D parent [1]"), ChangeLog.lines(db));
        }
    }
}
