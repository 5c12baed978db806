package io.jdbcsync.internal.merge;

import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Versions of rows whose whole history is one insert are packed ({@code _sync_pack}) on the device
 * that pushed them and on those that integrated them; a row changed later leaves its pack, and
 * every device ends with the same versions and rows as if each had its own {@code _sync_row} row.
 */
class InsertPacksTest {
    private static final String TABLE = "CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(40), note VARCHAR(40))";

    private static Fleet fleet(Kind kind, int devices) throws Exception {
        return new Fleet(new ArrayList<>(Collections.nCopies(devices, kind)), null, null);
    }

    private static void insert(Fleet f, int device, long from, long to) throws SQLException {
        Connection c = f.device(device);
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, name, note) VALUES (?, ?, ?)")) {
            for (long id = from; id <= to; id++) {
                ps.setLong(1, id);
                ps.setString(2, "n" + id);
                ps.setString(3, "d" + device);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
    }

    private static long number(TestDatabase d, String sql) throws SQLException {
        return Long.parseLong(d.rawRows(sql).get(0));
    }

    private static long packed(TestDatabase d) throws SQLException {
        return number(d, "SELECT COALESCE(SUM(n), 0) FROM _sync_pack WHERE tbl = 't'");
    }

    private static long unpacked(TestDatabase d) throws SQLException {
        return number(d, "SELECT COUNT(*) FROM _sync_row WHERE tbl = 't'");
    }

    private static void assertSameEverywhere(Fleet f) throws SQLException {
        for (int d = 1; d < f.size(); d++) {
            assertEquals(f.rows(0, "t", "id"), f.rows(d, "t", "id"), "rows of device " + d);
            assertEquals(f.database(0).versions(), f.database(d).versions(), "versions of device " + d);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void firstInsertsArePackedAndChangedRowsLeaveTheirPack(Kind kind) throws Exception {
        try (Fleet f = fleet(kind, 3)) {
            f.everywhere(TABLE);
            insert(f, 0, 1, 2500);    // three packs of at most 1,024 keys
            insert(f, 1, 5001, 5005); // too few for a pack
            f.syncAll();
            for (int d = 0; d < 3; d++) {
                assertEquals(2500, packed(f.database(d)), "device " + d);
                assertEquals(5, unpacked(f.database(d)), "device " + d);
                assertEquals(3, number(f.database(d), "SELECT COUNT(*) FROM _sync_pack"), "device " + d);
            }
            assertSameEverywhere(f);
            assertEquals(2505, f.database(2).versions().size());

            f.exec(1, "UPDATE t SET name = 'changed' WHERE id = 7");
            f.exec(2, "DELETE FROM t WHERE id = 8");
            f.exec(0, "UPDATE t SET note = 'range' WHERE id BETWEEN 1020 AND 1030"); // across two packs
            f.syncAll();
            f.syncAll();
            for (int d = 0; d < 3; d++) {
                assertEquals(2500 - 2 - 11, packed(f.database(d)), "device " + d);
                assertEquals(5 + 2 + 11, unpacked(f.database(d)), "device " + d);
            }
            assertSameEverywhere(f);
            assertEquals(List.of("7|changed|d0"), f.database(0).rawRows("SELECT id, name, note FROM t WHERE id = 7"));
            assertEquals(List.of(), f.rows(1, "t", "id").stream().filter(r -> r.startsWith("8|")).toList());

            // A deleted key inserted again, and a packed row deleted and re-inserted elsewhere: newer inserts win.
            f.exec(0, "INSERT INTO t (id, name, note) VALUES (8, 'back', 'again')");
            f.exec(2, "DELETE FROM t WHERE id = 9");
            f.syncAll();
            f.exec(1, "INSERT INTO t (id, name, note) VALUES (9, 'reborn', 'x')");
            f.syncAll();
            f.syncAll();
            assertSameEverywhere(f);
            assertTrue(f.rows(2, "t", "id").contains("8|back|again"));
            assertTrue(f.rows(0, "t", "id").contains("9|reborn|x"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentEditsOfPackedRowsFollowTheUsualRules(Kind kind) throws Exception {
        try (Fleet f = fleet(kind, 2)) {
            f.everywhere(TABLE);
            insert(f, 0, 1, 100);
            f.syncAll();
            assertEquals(100, packed(f.database(1)));
            f.exec(0, "UPDATE t SET name = 'from-0' WHERE id = 50");
            Thread.sleep(5);
            f.exec(1, "UPDATE t SET name = 'from-1' WHERE id = 50");
            f.exec(0, "DELETE FROM t WHERE id = 51");
            Thread.sleep(5);
            f.exec(1, "UPDATE t SET note = 'late' WHERE id = 51"); // the delete wins
            f.sync(0);
            f.sync(1);
            f.sync(0);
            assertSameEverywhere(f);
            assertEquals(List.of("50|from-1|d0"), f.database(0).rawRows("SELECT id, name, note FROM t WHERE id = 50"));
            assertEquals(List.of(), f.database(1).rawRows("SELECT id FROM t WHERE id = 51"));
            assertEquals(98, packed(f.database(0)));
        }
    }

    @Test
    void keysThatAreNotOneIntegerAreNeverPacked() throws Exception {
        try (Fleet f = Fleet.sqlite(2)) {
            f.everywhere("CREATE TABLE s (code VARCHAR(20) PRIMARY KEY, v INTEGER)",
                    "CREATE TABLE p (a INTEGER NOT NULL, b INTEGER NOT NULL, v INTEGER, PRIMARY KEY (a, b))");
            for (int i = 0; i < 50; i++) {
                f.exec(0, "INSERT INTO s (code, v) VALUES ('k" + i + "', " + i + ")",
                        "INSERT INTO p (a, b, v) VALUES (1, " + i + ", " + i + ")");
            }
            f.syncAll();
            for (int d = 0; d < 2; d++) {
                assertEquals(List.of("0"), f.database(d).rawRows("SELECT COUNT(*) FROM _sync_pack"));
                assertEquals(List.of("100"), f.database(d).rawRows("SELECT COUNT(*) FROM _sync_row"));
            }
        }
    }

    @Test
    void anOlderDatabaseGetsThePackTableWhenOpened() throws Exception {
        try (Fleet f = Fleet.sqlite(2)) {
            f.everywhere(TABLE);
            f.exec(0, "INSERT INTO t (id, name) VALUES (1, 'a')");
            f.sync(0);
            f.database(1).execRaw("DROP TABLE _sync_pack", "UPDATE _sync_state SET value = '2' WHERE name = 'format'");
            f.reopen(1);
            insert(f, 1, 100, 200);
            f.syncAll();
            assertEquals(101, packed(f.database(1)));
            assertEquals(List.of("4"), f.database(1).rawRows("SELECT value FROM _sync_state WHERE name = 'format'"));
            assertSameEverywhere(f);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aBulkLoadDoesNotPackKeysThatHaveAVersionRow(Kind kind) throws Exception {
        try (Fleet f = fleet(kind, 1); Connection raw = f.database(0).openRaw()) {
            f.everywhere(TABLE);
            f.sync(0); // the metadata tables exist
            io.jdbcsync.internal.dialect.Dialect dialect = io.jdbcsync.internal.dialect.Dialect.forUrl(f.database(0).rawUrl());
            List<VersionStore.Stored> fresh = new ArrayList<>();
            for (long id = 1; id <= 40; id++) {
                fresh.add(new VersionStore.Stored(new InsertPacks.Entry(id, 1000 + id, "dev").pk(), 1000 + id, "dev", false, null));
            }
            try (Statement s = raw.createStatement()) {
                s.execute("INSERT INTO _sync_row (tbl, pk, hlc, device, deleted, cols) VALUES ('t', "
                        + (kind == Kind.SQLITE ? "X'010114'" : "0x010114") + ", 5, 'other', 1, NULL)"); // key 10, deleted
            }
            assertEquals(null, VersionStore.pack(raw, dialect, "t", fresh), "key 10 has a version row");
            try (Statement s = raw.createStatement()) {
                s.execute("DELETE FROM _sync_row");
            }
            assertEquals(List.of(), VersionStore.pack(raw, dialect, "t", fresh));
            assertEquals(40, packed(f.database(0)));
        }
    }

    @Test
    void aPackRoundTripsItsEntries() throws SQLException {
        List<InsertPacks.Entry> entries = List.of(new InsertPacks.Entry(-5, 100L << 16, "dev-a"),
                new InsertPacks.Entry(0, 3, "dev-b"), new InsertPacks.Entry(7, Long.MAX_VALUE >> 2, "dev-a"),
                new InsertPacks.Entry(Long.MAX_VALUE, 1L << 40, "dev-c"));
        assertEquals(entries, InsertPacks.decode("t", -5, InsertPacks.encode(-5, entries)));
        for (long k : new long[] {0, 1, -1, 42, 63, 64, -64, -65, 8191, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertEquals(Long.valueOf(k), InsertPacks.integerKey(new InsertPacks.Entry(k, 1, "d").pk()), "key " + k);
        }
        assertEquals(null, InsertPacks.integerKey(new byte[] {1, 1, (byte) 0x80, 0}), "not the shortest form");
        assertEquals(null, InsertPacks.integerKey(new byte[] {1, 1, (byte) 0x80}), "cut short");
        assertEquals(null, InsertPacks.integerKey(io.jdbcsync.internal.value.ValueCodec.encodeKey("42")));
        assertEquals(null, InsertPacks.integerKey(io.jdbcsync.internal.value.ValueCodec.encodeKey(1L, 2L)));
    }
}
