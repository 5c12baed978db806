package io.jdbcsync.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdbcsync.spi.BatchConflictException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Every SharedLog method against a real S3 server. */
class S3SharedLogContractTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = TestS3.server();

    private S3SharedLog log;

    @BeforeEach
    void open() {
        TestS3.createBucket(S3.getUri());
        log = TestS3.open(S3.getUri(), millis -> { });
    }

    @AfterEach
    void close() {
        log.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    @Test
    void batchesRoundTripInSequenceOrder() throws Exception {
        log.putBatch("d1", 2, bytes("two"));
        log.putBatch("d1", 10, bytes("ten"));
        log.putBatch("d1", 1, bytes("one"));
        log.putBatch("d2", 1, bytes("other device"));

        assertEquals(List.of(1L, 2L, 10L), log.listBatches("d1", -1, 100));
        assertEquals(List.of(2L, 10L), log.listBatches("d1", 1, 100));
        assertEquals(List.of(2L), log.listBatches("d1", 1, 1));
        assertEquals(List.of(), log.listBatches("d1", 10, 100));
        assertEquals(List.of(), log.listBatches("d1", -1, 0));
        assertEquals(List.of(), log.listBatches("nobody", -1, 100));
        assertArrayEquals(bytes("ten"), log.getBatch("d1", 10));
        assertArrayEquals(bytes("other device"), log.getBatch("d2", 1));
    }

    @Test
    void foreignKeysAmongBatchesAreIgnored() throws Exception {
        log.putBatch("d1", 1, bytes("one"));
        try (S3Client raw = TestS3.rawClient(S3.getUri())) {
            for (String junk : List.of("notes.txt", "00000000000000000002.batch.tmp", "3.batch")) {
                raw.putObject(b -> b.bucket(TestS3.BUCKET).key("team/app/devices/d1/batches/" + junk),
                        RequestBody.fromString("junk"));
            }
        }
        log.putBatch("d1", 4, bytes("four"));
        assertEquals(List.of(1L, 4L), log.listBatches("d1", -1, 10));
        assertEquals(List.of(1L, 4L), log.listBatches("d1", -7, 10));
        log.deleteBatches("d1", 4);
        assertEquals(List.of(), log.listBatches("d1", -1, 10));
        assertEquals(List.of("d1"), log.listDevices());
    }

    @Test
    void batchKeysFollowTheSharedLayout() throws Exception {
        log.putBatch("d1", 42, bytes("x"));
        try (S3Client raw = TestS3.rawClient(S3.getUri())) {
            byte[] stored = raw.getObjectAsBytes(b -> b.bucket(TestS3.BUCKET)
                    .key("team/app/devices/d1/batches/00000000000000000042.batch")).asByteArray();
            assertArrayEquals(bytes("x"), stored);
        }
    }

    @Test
    void nothingNewIsOneListRequest() throws Exception {
        log.putBatch("d1", 1, bytes("one"));
        long before = log.requestCounts().get("LIST");
        assertEquals(List.of(), log.listBatches("d1", 1, 1000));
        assertEquals(before + 1, log.requestCounts().get("LIST"));
    }

    @Test
    void missingBatchIsFileNotFound() {
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> log.getBatch("d1", 7));
        assertTrue(e.getMessage().contains("devices/d1/batches/00000000000000000007.batch"), e.getMessage());
    }

    @Test
    void missingBucketIsAnErrorNotAnEmptyLog() throws Exception {
        try (S3SharedLog other = new S3SharedLogProvider().open(URI.create("s3://no-such-bucket/p"),
                TestS3.options(S3.getUri()), millis -> { })) {
            IOException e = assertThrows(IOException.class, () -> other.getObject("progress/d1"));
            assertFalse(e instanceof FileNotFoundException);
            assertTrue(e.getMessage().contains("404 NoSuchBucket"), e.getMessage());
            assertThrows(IOException.class, other::listDevices);
        }
    }

    @Test
    void sameContentAgainIsAcceptedDifferentContentIsAConflict() throws Exception {
        log.putBatch("d1", 5, bytes("original"));
        log.putBatch("d1", 5, bytes("original")); // a retry of our own write

        BatchConflictException conflict = assertThrows(BatchConflictException.class,
                () -> log.putBatch("d1", 5, bytes("impostor")));
        assertEquals("batch d1/5 already exists with different content: two devices share the id d1;"
                + " nothing was overwritten", conflict.getMessage());
        assertArrayEquals(bytes("original"), log.getBatch("d1", 5));
        assertEquals(List.of(5L), log.listBatches("d1", -1, 10));
    }

    @Test
    void deleteBatchesRemovesUpToAndIncluding() throws Exception {
        log.pageSize(3); // so that the deletion spans several listing pages
        for (long seq = 1; seq <= 10; seq++) {
            log.putBatch("d1", seq, bytes("b" + seq));
        }
        log.putBatch("d2", 1, bytes("kept"));

        log.deleteBatches("d1", 7);
        assertEquals(List.of(8L, 9L, 10L), log.listBatches("d1", -1, 100));
        log.deleteBatches("d1", 7); // nothing left to delete: no error
        log.deleteBatches("d1", -1);
        assertEquals(List.of(1L), log.listBatches("d2", -1, 100));
        log.deleteBatches("d1", Long.MAX_VALUE);
        assertEquals(List.of(), log.listBatches("d1", -1, 100));
    }

    @Test
    void devicesAreDiscovered() throws Exception {
        assertEquals(List.of(), log.listDevices());
        log.pageSize(2);
        for (String device : List.of("phone", "laptop", "a-1", "B_2", "tablet")) {
            log.putBatch(device, 1, bytes(device));
            log.putBatch(device, 2, bytes(device));
        }
        log.putObject("progress/phone", bytes("not a device"));
        assertEquals(List.of("B_2", "a-1", "laptop", "phone", "tablet"), log.listDevices());
    }

    @Test
    void objectsArePutReplacedReadListedAndDeleted() throws Exception {
        assertEquals(Optional.empty(), log.getObject("progress/d1"));
        log.putObject("progress/d1", bytes("1"));
        log.putObject("progress/d1", bytes("2"));
        log.putObject("progress/d2", bytes("x"));
        log.putObject("keys/info.json", bytes("{}"));
        assertArrayEquals(bytes("2"), log.getObject("progress/d1").orElseThrow());

        assertEquals(List.of("keys/info.json", "progress/d1", "progress/d2"), log.listObjects(""));
        assertEquals(List.of("progress/d1", "progress/d2"), log.listObjects("progress/"));
        assertEquals(List.of("progress/d2"), log.listObjects("progress/d2"));
        assertEquals(List.of(), log.listObjects("snapshots/"));

        log.deleteObject("progress/d1");
        log.deleteObject("progress/d1"); // absent: no error
        assertEquals(Optional.empty(), log.getObject("progress/d1"));
        assertEquals(List.of("keys/info.json", "progress/d2"), log.listObjects(""));
        assertEquals(List.of(), log.listDevices(), "objects are not devices");
    }

    @Test
    void putObjectIfAbsentWritesOnlyOnce() throws Exception {
        assertTrue(log.putObjectIfAbsent("keys/info.json", bytes("first")));
        assertFalse(log.putObjectIfAbsent("keys/info.json", bytes("second")));
        assertFalse(log.putObjectIfAbsent("keys/info.json", bytes("first")), "existed before: not ours");
        assertArrayEquals(bytes("first"), log.getObject("keys/info.json").orElseThrow());
    }

    @Test
    void emptyContentIsFine() throws Exception {
        log.putBatch("d1", 0, new byte[0]);
        log.putBatch("d1", 0, new byte[0]);
        assertArrayEquals(new byte[0], log.getBatch("d1", 0));
        assertEquals(List.of(0L), log.listBatches("d1", -1, 10));
    }

    @Test
    void namesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> log.putBatch("bad/id", 1, bytes("x")));
        assertThrows(IllegalArgumentException.class, () -> log.putBatch("d".repeat(65), 1, bytes("x")));
        assertThrows(IllegalArgumentException.class, () -> log.putBatch("d1", -1, bytes("x")));
        assertThrows(IllegalArgumentException.class, () -> log.putObject("../escape", bytes("x")));
        assertThrows(IllegalArgumentException.class, () -> log.putObject("a//b", bytes("x")));
        assertThrows(IllegalArgumentException.class, () -> log.putObject("", bytes("x")));
        assertThrows(IllegalArgumentException.class, () -> log.listObjects("bad prefix"));
        assertThrows(IllegalArgumentException.class, () -> log.listBatches("d1", -1, -1));
    }

    @Test
    void requestsAreCountedByKind() throws Exception {
        Map<String, Long> start = log.requestCounts();
        assertEquals(List.of("PUT", "GET", "LIST", "DELETE", "HEAD"), List.copyOf(start.keySet()));
        assertTrue(start.values().stream().allMatch(n -> n == 0));

        log.putBatch("d1", 1, bytes("x"));
        log.getBatch("d1", 1);
        log.listBatches("d1", -1, 10);
        log.deleteBatches("d1", 1);
        Map<String, Long> counts = log.requestCounts();
        assertEquals(1L, counts.get("PUT"));
        assertEquals(1L, counts.get("GET"));
        assertEquals(2L, counts.get("LIST"));
        assertEquals(1L, counts.get("DELETE"));
        assertEquals(0L, counts.get("HEAD"));
    }

    @Test
    void describeNamesTheLocationAndEndpointOnly() {
        assertEquals("s3://shared-log/team/app at " + S3.getUri(), log.describe());
    }
}
