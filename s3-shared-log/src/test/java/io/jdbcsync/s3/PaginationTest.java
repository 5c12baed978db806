package io.jdbcsync.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Listings and deletions that span several S3 pages. */
class PaginationTest {
    /** In memory: a thousand objects are written here, and listing order is the store's job. */
    @RegisterExtension
    static final S3ProxyExtension S3 = TestS3.server("transient");

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

    private static List<Long> range(long fromInclusive, long toExclusive) {
        return LongStream.range(fromInclusive, toExclusive).boxed().toList();
    }

    private long delta(String kind, long before) {
        return log.requestCounts().get(kind) - before;
    }

    @Test
    void crossesTheRealThousandKeyPage() throws Exception {
        int count = 1_005;
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (long seq = 0; seq < count; seq++) {
                long s = seq;
                writes.add(writers.submit(() -> {
                    log.putBatch("d1", s, ("batch " + s).getBytes(UTF_8));
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            writers.shutdown();
        }

        long lists = log.requestCounts().get("LIST");
        assertEquals(range(0, count), log.listBatches("d1", -1, 5_000));
        assertEquals(2, delta("LIST", lists), "S3 returns at most 1,000 keys a page");

        lists = log.requestCounts().get("LIST");
        assertEquals(range(0, 1_000), log.listBatches("d1", -1, 1_000));
        assertEquals(1, delta("LIST", lists), "no second page when the first one was enough");

        assertEquals(range(1_000, count), log.listBatches("d1", 999, 10));

        long deletes = log.requestCounts().get("DELETE");
        log.deleteBatches("d1", 1_002);
        assertEquals(2, delta("DELETE", deletes), "1,003 keys take two multi-object deletes");
        assertEquals(List.of(1_003L, 1_004L), log.listBatches("d1", -1, 5_000));
    }

    @Test
    void smallPagesCoverEveryListing() throws Exception {
        log.pageSize(4);
        for (long seq = 1; seq <= 25; seq++) {
            log.putBatch("d1", seq, new byte[] {(byte) seq});
        }
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            devices.add("dev" + i);
            log.putBatch("dev" + i, 1, new byte[] {1});
        }
        List<String> names = new ArrayList<>();
        for (int i = 10; i < 21; i++) {
            names.add("progress/p" + i);
            log.putObject("progress/p" + i, new byte[] {2});
        }

        assertEquals(range(1, 26), log.listBatches("d1", -1, 100));
        assertEquals(range(4, 14), log.listBatches("d1", 3, 10));
        assertEquals(range(23, 26), log.listBatches("d1", 22, 10));
        devices.add(0, "d1");
        assertEquals(devices, log.listDevices());
        assertEquals(names, log.listObjects("progress/"));

        log.deleteBatches("d1", 21);
        assertEquals(range(22, 26), log.listBatches("d1", -1, 100));
    }

    @Test
    void emptyPrefixPutsKeysAtTheBucketRoot() throws Exception {
        try (S3SharedLog root = new S3SharedLogProvider().open(
                URI.create("s3://" + TestS3.BUCKET), TestS3.options(S3.getUri()), millis -> { })) {
            root.putBatch("d1", 3, new byte[] {3});
            root.putObject("marker", new byte[] {4});
            assertEquals(List.of(3L), root.listBatches("d1", -1, 10));
            assertEquals(List.of("d1"), root.listDevices());
            assertEquals(List.of("marker"), root.listObjects(""));
            assertEquals("s3://" + TestS3.BUCKET + " at " + S3.getUri(), root.describe());
            try (var raw = TestS3.rawClient(S3.getUri())) {
                List<String> keys = raw.listObjectsV2(b -> b.bucket(TestS3.BUCKET)).contents().stream()
                        .map(o -> o.key()).toList();
                assertEquals(List.of("devices/d1/batches/00000000000000000003.batch", "objects/marker"), keys);
            }
        }
        // The prefixed log next to it sees none of it.
        assertEquals(List.of(), log.listDevices());
    }
}
