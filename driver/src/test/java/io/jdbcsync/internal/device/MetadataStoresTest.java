package io.jdbcsync.internal.device;

import io.jdbcsync.internal.capture.ChangeLogTable;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.jdbc.SyncConnection;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.merge.ConflictLog;
import io.jdbcsync.internal.merge.ParkedChanges;
import io.jdbcsync.internal.merge.VersionStore;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The static statements of the metadata stores, on real SQLite and MariaDB databases set up by the
 * driver: each returns what the rows written through its own store's statements hold.
 */
class MetadataStoresTest {

    /** A database set up for sync (metadata tables created) with a table {@code item}; returns its dialect. */
    private static Dialect setUp(TestDatabase db) throws SQLException {
        try (Connection c = db.openSync()) {
            TestDatabase.exec(c, "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(50))");
            return c.unwrap(SyncConnection.class).device().dialect();
        }
    }

    private interface Body {
        void run(TestDatabase db, Dialect d, Connection raw) throws Exception;
    }

    /** Runs {@code body} on a new database of this kind, set up, with a plain connection to it. */
    private static void onDatabase(Kind kind, Body body) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Dialect d = setUp(db);
            try (Connection c = db.openRaw()) {
                body.run(db, d, c);
            }
        }
    }

    private static byte[] key(int i) {
        return new byte[] {1, (byte) i};
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void versionsAreReadByKeyInPartsCountedAndPaged(Kind kind) throws Exception {
        onDatabase(kind, (db, d, c) -> {
            // Keys 1..7: key 3 deleted, key 5 with clock value 0 (not a version sync knows of).
            try (PreparedStatement ps = c.prepareStatement(VersionStore.upsert(d))) {
                for (int i = 1; i <= 7; i++) {
                    VersionStore.bindUpsert(ps, "item", new VersionStore.Stored(key(i), i == 5 ? 0 : 100 + i, "dev" + i,
                            i == 3, new byte[] {(byte) i}));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            List<byte[]> wanted = new ArrayList<>();
            for (int i = 0; i <= 8; i++) {
                wanted.add(key(i)); // 0 and 8 have no version
            }
            // 9 keys, 4 per statement: the last part is short and repeats its last key.
            List<VersionStore.Stored> stored = VersionStore.stored(c, "item", wanted, 4);
            assertEquals(7, stored.size());
            for (VersionStore.Stored s : stored) {
                int i = s.pk()[1];
                assertEquals(i == 5 ? 0 : 100 + i, s.hlc());
                assertEquals("dev" + i, s.device());
                assertEquals(i == 3, s.deleted());
                assertArrayEquals(new byte[] {(byte) i}, s.cols());
            }
            List<Integer> versioned = new ArrayList<>();
            for (byte[] k : VersionStore.versioned(c, "item", wanted, 4)) {
                versioned.add((int) k[1]);
            }
            versioned.sort(null);
            assertEquals(List.of(1, 2, 3, 4, 6, 7), versioned);
            assertTrue(VersionStore.stored(c, "other", wanted, 4).isEmpty());

            assertEquals(6, VersionStore.liveCount(c, "item"));
            assertTrue(VersionStore.anyVersion(c));
            assertTrue(VersionStore.anyVersionOf(c, "item"));
            assertFalse(VersionStore.anyVersionOf(c, "other"));
            assertEquals(107, VersionStore.newestStamp(c));
            assertEquals(0, VersionStore.oldestStamp(c));

            // Live pages of 4 in key order: 1 2 4 5, then 6 7.
            List<Integer> paged = new ArrayList<>();
            byte[] after = null;
            try (PreparedStatement first = VersionStore.prepareLivePage(c, false, 4);
                 PreparedStatement next = VersionStore.prepareLivePage(c, true, 4)) {
                while (true) {
                    PreparedStatement q = after == null ? first : next;
                    q.setString(1, "item");
                    if (after != null) {
                        q.setBytes(2, after);
                    }
                    int rows = 0;
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            after = rs.getBytes(1);
                            paged.add((int) after[1]);
                            rows++;
                        }
                    }
                    if (rows == 0) {
                        break;
                    }
                }
            }
            assertEquals(List.of(1, 2, 4, 5, 6, 7), paged);
            assertEquals(List.of("3"), tombstoneKeys(c, d));
        });
    }

    private static List<String> tombstoneKeys(Connection c, Dialect d) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(VersionStore.tombstoneCopy(d)[0]); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(Integer.toString(rs.getBytes(2)[1]));
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void cursorsAndStateValuesRoundTrip(Kind kind) throws Exception {
        onDatabase(kind, (db, d, c) -> {
            assertTrue(MetadataStore.exists(c));
            assertTrue(MetadataStore.cursors(c).isEmpty());
            Map<String, long[]> cursors = new LinkedHashMap<>();
            cursors.put("zeta", new long[] {3, 30});
            cursors.put("alpha", new long[] {1, 10});
            MetadataStore.putCursors(c, d, cursors);
            MetadataStore.putCursors(c, d, Map.of("zeta", new long[] {4, 40}));
            Map<String, long[]> read = MetadataStore.cursors(c);
            assertEquals(List.of("alpha", "zeta"), new ArrayList<>(read.keySet()));
            assertArrayEquals(new long[] {1, 10}, read.get("alpha"));
            assertArrayEquals(new long[] {4, 40}, read.get("zeta"));
            assertTrue(MetadataStore.hasHistory(c));

            MetadataStore.put(c, d, "test.value", "x");
            MetadataStore.lockDevice(c);
            assertEquals("x", MetadataStore.get(c, "test.value"));
            MetadataStore.remove(c, "test.value");
            assertEquals(null, MetadataStore.get(c, "test.value"));
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theChangeLogStoreExpandsPackedInsertsAndKnowsItsBounds(Kind kind) throws Exception {
        onDatabase(kind, (db, d, c) -> {
            try (Connection app = db.openSync()) {
                // One statement, several rows: one packed log row.
                TestDatabase.exec(app, "INSERT INTO item (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')",
                        "UPDATE item SET name = 'z' WHERE id = 2");
            }
            List<LogEntry> all = io.jdbcsync.internal.capture.ChangeLogTable.readAll(c);
            assertEquals(4, all.size());
            List<LogEntry> inserts = ChangeLogTable.insertsFrom(c, "item", 0);
            assertEquals(3, inserts.size());
            for (LogEntry e : inserts) {
                assertEquals(Op.INSERT, e.op());
            }
            // Within the packed row, each change by its own clock value.
            assertEquals(2, ChangeLogTable.insertsFrom(c, "item", all.get(1).hlc()).size());
            assertTrue(ChangeLogTable.insertsFrom(c, "item", all.get(2).hlc() + 1).isEmpty());
            assertTrue(ChangeLogTable.insertsFrom(c, "other", 0).isEmpty());
            assertEquals(all.get(3).hlc(), ChangeLogTable.newestStamp(c));
            assertTrue(ChangeLogTable.oldestStamp(c) > 0 && ChangeLogTable.oldestStamp(c) <= all.get(2).hlc());
            assertTrue(ChangeLogTable.firstAssignedBatch(c).isEmpty());
            TestDatabase.exec(c, "UPDATE _sync_log SET batch = 7 WHERE hlc = " + all.get(3).hlc());
            assertEquals(7, ChangeLogTable.firstAssignedBatch(c).getAsLong());
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void keptConflictsAndParkedChangesAreFoundByTableInAnyCase(Kind kind) throws Exception {
        onDatabase(kind, (db, d, c) -> {
            assertFalse(ConflictLog.anyFor(c, "item"));
            assertFalse(ParkedChanges.anyFor(c, "item"));
            try (PreparedStatement ps = c.prepareStatement(ConflictLog.cloneCopy(d)[1])) {
                for (int id = 1; id <= 2; id++) {
                    Object[] row = {id, "Item", key(id), key(id), new byte[] {9}, "reason " + id, 50L + id, "dev",
                            "2026-01-01T00:00:00Z", id == 2 ? 1 : 0};
                    for (int i = 0; i < row.length; i++) {
                        ps.setObject(i + 1, row[i]);
                    }
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(ParkedChanges.cloneCopy(d)[1])) {
                Object[] row = {"dev", 77L, "ITEM", "U", key(1), new byte[] {1}, "row 1 is missing"};
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, row[i]);
                }
                ps.executeUpdate();
                ps.executeUpdate(); // insert-or-ignore: the same change twice is one row
            }
            assertTrue(ConflictLog.anyFor(c, "item"));
            assertTrue(ParkedChanges.anyFor(c, "item"));
            assertFalse(ConflictLog.anyFor(c, "other"));
            assertEquals(1, ConflictLog.activeCount(c));
            assertEquals(1, ParkedChanges.parkedCount(c));
            List<ConflictLog.Kept> newestFirst = ConflictLog.all(c, true);
            assertEquals(List.of(2L, 1L), newestFirst.stream().map(ConflictLog.Kept::id).toList());
            ConflictLog.Kept k = newestFirst.get(0);
            assertEquals("reason 2", k.reason());
            assertEquals(52L, k.hlc());
            assertTrue(k.active());
            assertArrayEquals(new byte[] {9}, k.row());
            assertEquals(List.of(1L, 2L), ConflictLog.all(c, false).stream().map(ConflictLog.Kept::id).toList());
        });
    }
}
