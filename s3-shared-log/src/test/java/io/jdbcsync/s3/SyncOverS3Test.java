package io.jdbcsync.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdbcsync.internal.log.Batch;
import io.jdbcsync.internal.log.BatchCodec;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Real sync through S3: SQLite devices opened through the jdbc-sync driver push to and pull from
 * an {@code s3://} shared log on S3Proxy, exactly as an application would use it.
 */
class SyncOverS3Test {
    @RegisterExtension
    static final S3ProxyExtension S3 = TestS3.server();

    static final String PREFIX = "team/app";
    static final String ITEM = "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER, note TEXT)";
    static final String TAG = "CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)";

    @TempDir
    Path dir;

    private final List<SyncDevice> devices = new ArrayList<>();
    private S3Client raw;

    @BeforeEach
    void bucket() {
        TestS3.createBucket(S3.getUri());
        raw = TestS3.rawClient(S3.getUri());
    }

    @AfterEach
    void close() throws SQLException {
        for (SyncDevice d : devices) {
            d.close();
        }
        raw.close();
    }

    private SyncDevice device(String name, String... extra) throws SQLException {
        Properties p = SyncDevice.s3(S3.getUri(), PREFIX, extra);
        SyncDevice d = SyncDevice.open(dir.resolve(name + ".db"), p);
        d.exec(ITEM, TAG);
        devices.add(d);
        return d;
    }

    private static void syncRounds(int rounds, SyncDevice... ds) throws SQLException {
        for (int r = 0; r < rounds; r++) {
            for (SyncDevice d : ds) {
                d.sync();
            }
        }
    }

    private static void assertConverged(SyncDevice... ds) throws SQLException {
        for (String table : List.of("item", "tag")) {
            List<String> first = ds[0].table(table);
            for (int i = 1; i < ds.length; i++) {
                assertEquals(first, ds[i].table(table), table + " differs between device 0 and device " + i);
            }
        }
        for (SyncDevice d : ds) {
            assertEquals(0L, ((Number) d.status().get("pending_changes")).longValue(), "pending changes left");
        }
    }

    private static List<String> items(SyncDevice d) throws SQLException {
        return d.rows("SELECT name, qty, note FROM item ORDER BY name");
    }

    @Test
    void createUpdateDeleteAndConflictingChangesConvergeOnThreeDevices() throws Exception {
        SyncDevice a = device("a");
        SyncDevice b = device("b");
        SyncDevice c = device("c");

        a.exec("INSERT INTO item (name, qty, note) VALUES ('apple', 1, 'n1')",
                "INSERT INTO item (name, qty) VALUES ('pear', 2)",
                "INSERT INTO item (name, qty) VALUES ('plum', 3)");
        assertArrayEquals(new long[] {3, 0, 0, 0}, a.sync());
        assertEquals(3, b.sync()[1]);
        assertEquals(3, c.sync()[1]);
        assertConverged(a, b, c);
        assertEquals(List.of("apple|1|n1", "pear|2|null", "plum|3|null"), items(c));

        // Changes that do not collide: each reaches the other two.
        b.exec("UPDATE item SET qty = 10 WHERE name = 'apple'");
        c.exec("DELETE FROM item WHERE name = 'pear'");
        a.exec("INSERT INTO item (name, qty) VALUES ('fig', 4)");
        syncRounds(2, a, b, c);
        assertConverged(a, b, c);
        assertEquals(List.of("apple|10|n1", "fig|4|null", "plum|3|null"), items(a));

        // Colliding changes, in this wall-clock order:
        a.exec("UPDATE item SET qty = 20 WHERE name = 'apple'");
        c.exec("UPDATE item SET note = 'from c' WHERE name = 'apple'"); // another column: kept
        c.exec("DELETE FROM item WHERE name = 'plum'");
        a.exec("INSERT INTO tag (name) VALUES ('urgent')");
        Thread.sleep(5);
        b.exec("UPDATE item SET qty = 30 WHERE name = 'apple'"); // later write to the same column: wins
        a.exec("UPDATE item SET note = 'late update' WHERE name = 'plum'"); // after the delete: the delete still wins
        b.exec("INSERT INTO tag (name) VALUES ('urgent')"); // second claimer of a unique value
        syncRounds(2, a, b, c);

        assertConverged(a, b, c);
        assertEquals(List.of("apple|30|from c", "fig|4|null"), items(b));
        assertEquals(List.of("urgent"), c.rows("SELECT name FROM tag"));
        // The losing claim of 'urgent' is kept, not silently dropped.
        long conflicts = 0;
        for (SyncDevice d : List.of(a, b, c)) {
            conflicts += ((Number) d.status().get("conflicts")).longValue();
        }
        assertTrue(conflicts >= 1, "the unique collision was recorded in _sync_conflict somewhere");
        assertEquals(1, b.count("SELECT COUNT(*) FROM _sync_conflict WHERE tbl = 'tag'"),
                "the second claimer keeps its losing row");
    }

    @Test
    void batchMaxEntriesSplitsAPushIntoNumberedBatches() throws Exception {
        SyncDevice a = device("a", "sync.batch-max-entries", "10");
        SyncDevice b = device("b");
        String[] inserts = new String[95];
        for (int i = 0; i < inserts.length; i++) {
            inserts[i] = "INSERT INTO item (name, qty) VALUES ('row" + i + "', " + i + ")";
        }
        a.transaction(inserts);

        assertArrayEquals(new long[] {95, 0, 0, 0}, a.sync());

        String prefix = Bucket.batchPrefix(PREFIX, a.id());
        List<String> expectedKeys = new ArrayList<>();
        for (int seq = 1; seq <= 10; seq++) {
            expectedKeys.add(prefix + String.format("%020d", seq) + ".batch");
        }
        assertEquals(expectedKeys, Bucket.keys(raw, prefix));
        List<Integer> sizes = new ArrayList<>();
        for (Batch batch : Bucket.batches(raw, PREFIX, a.id(), new BatchCodec(null))) {
            sizes.add(batch.entries().size());
        }
        assertEquals(List.of(10, 10, 10, 10, 10, 10, 10, 10, 10, 5), sizes);

        assertEquals(95, b.sync()[1]);
        assertConverged(a, b);
        assertEquals(95, b.count("SELECT COUNT(*) FROM item"));
    }
}
