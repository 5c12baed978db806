package io.jdbcsync.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdbcsync.spi.BatchConflictException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A database file copied after it synced: two databases with one device id. Whichever pushes a
 * batch number second must fail loudly, naming the shared id, and leave the stored batch alone.
 *
 * <p>The original and the copy are never open at the same time here: the driver keeps one device
 * and one sync engine per device id and process, so a copy opened next to its original in the same
 * process is synced as the original (its own changes stay pending, silently). Two processes, or one
 * after the other as here, is how a copied file meets its original in practice.
 */
class IdentityClashOverS3Test {
    @RegisterExtension
    static final S3ProxyExtension S3 = TestS3.server();

    static final String PREFIX = "team/app";
    static final String ITEM = "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER)";

    @TempDir
    Path dir;

    private S3Client raw;

    @BeforeEach
    void bucket() {
        TestS3.createBucket(S3.getUri());
        raw = TestS3.rawClient(S3.getUri());
    }

    private static void copyDatabase(Path from, Path to) throws Exception {
        Files.copy(from, to);
        for (String suffix : List.of("-wal", "-shm")) {
            Path side = Path.of(from + suffix);
            if (Files.exists(side)) {
                Files.copy(side, Path.of(to + suffix));
            }
        }
    }

    @Test
    void secondPushOfASequenceFromACopiedDatabaseFailsAndOverwritesNothing() throws Exception {
        Properties props = SyncDevice.s3(S3.getUri(), PREFIX);
        Path original = dir.resolve("original.db");
        Path copy = dir.resolve("copy.db");
        String id;
        try (SyncDevice a = SyncDevice.open(original, props)) {
            a.exec(ITEM, "INSERT INTO item (name, qty) VALUES ('before the copy', 1)");
            assertEquals(1, a.sync()[0]);
            id = a.id();
        }
        copyDatabase(original, copy);

        String batch2 = Bucket.batchPrefix(PREFIX, id) + String.format("%020d", 2) + ".batch";
        byte[] stored;
        try (SyncDevice a = SyncDevice.open(original, props)) {
            a.exec("INSERT INTO item (name, qty) VALUES ('only in the original', 2)");
            assertEquals(1, a.sync()[0]);
            stored = Bucket.get(raw, batch2);
        }

        try (SyncDevice b = SyncDevice.open(copy, props)) {
            assertEquals(id, b.id(), "the copy has the same device id");
            b.exec("INSERT INTO item (name, qty) VALUES ('only in the copy', 3)");
            for (int attempt = 1; attempt <= 2; attempt++) {
                SQLException e = assertThrows(SQLException.class, b::sync, "attempt " + attempt);
                assertEquals("sync failed: batch " + id + "/2 in the shared log holds other changes than this"
                        + " database's: two databases use the device id " + id + " (a copied database file?)."
                        + " Nothing was overwritten; sync stays stopped for this device.", e.getMessage());
                assertTrue(e.getCause() instanceof BatchConflictException, String.valueOf(e.getCause()));
                assertEquals(e.getMessage(), b.status().get("last_error"));
                assertArrayEquals(stored, Bucket.get(raw, batch2), "batch 2 is unchanged");
                assertEquals(List.of(1L, 2L), Bucket.sequences(raw, PREFIX, id));
            }
            assertEquals(1L, ((Number) b.status().get("pending_changes")).longValue(), "the copy's change is kept");
        }

        // The original goes on syncing.
        try (SyncDevice a = SyncDevice.open(original, props);
                SyncDevice other = SyncDevice.open(dir.resolve("other.db"), props)) {
            a.exec("INSERT INTO item (name, qty) VALUES ('after the clash', 4)");
            assertEquals(1, a.sync()[0]);
            other.exec(ITEM);
            assertEquals(3, other.sync()[1]);
            assertEquals(List.of("after the clash|4", "before the copy|1", "only in the original|2"),
                    other.rows("SELECT name, qty FROM item ORDER BY name"));
        }
        assertArrayEquals(stored, Bucket.get(raw, batch2));
        raw.close();
    }
}
