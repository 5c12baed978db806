package io.jdbcsync.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.stream.LongStream;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Over a thousand batches of one device, pushed by its engine and pulled by another device's
 * engine, all through S3. {@code sync.batch-max-entries=1} makes 1,005 changes 1,005 batches; the
 * puller lists at most 256 batches per request and resumes with start-after its cursor, so it walks
 * four listing pages (the short last one ends the walk) and sends 1,005 GETs.
 *
 * <p>S3Proxy keeps this bucket in memory: its filesystem store only makes each of the ~2,000
 * requests slower. (Writing the batches through the SPI from several threads instead was tried:
 * no faster, as S3Proxy and the SDK are CPU-bound on the shared cores.)
 */
class ManyBatchesOverS3Test {
    @RegisterExtension
    static final S3ProxyExtension S3 = TestS3.server("transient");

    static final String PREFIX = "team/app";
    static final int N = 1_005;

    @TempDir
    Path dir;

    @Test
    void moreThanAThousandBatchesOfOneDeviceArePulledByAnother() throws Exception {
        TestS3.createBucket(S3.getUri());
        String[] inserts = new String[N];
        for (int i = 0; i < N; i++) {
            inserts[i] = "INSERT INTO item (name, qty) VALUES ('r" + i + "', " + i + ")";
        }
        try (S3Client raw = TestS3.rawClient(S3.getUri());
                SyncDevice a = SyncDevice.open(dir.resolve("a.db"),
                        SyncDevice.s3(S3.getUri(), PREFIX, "sync.batch-max-entries", "1"));
                SyncDevice b = SyncDevice.open(dir.resolve("b.db"), SyncDevice.s3(S3.getUri(), PREFIX))) {
            a.exec(SyncOverS3Test.ITEM);
            b.exec(SyncOverS3Test.ITEM);
            a.transaction(inserts);

            long start = System.nanoTime();
            assertEquals(N, a.sync()[0]);
            long pushed = System.nanoTime();
            assertEquals(LongStream.rangeClosed(1, N).boxed().toList(), Bucket.sequences(raw, PREFIX, a.id()));

            long[] pull = b.sync();
            long pulled = System.nanoTime();
            assertEquals(N, pull[1]);
            assertEquals(N, pull[2]);
            assertEquals(a.table("item"), b.table("item"));
            assertEquals(N, b.count("SELECT COUNT(*) FROM item"));
            assertEquals(N, b.count("SELECT sequence FROM _sync_cursor WHERE device = '" + a.id() + "'"));
            assertEquals(0, b.sync()[1], "nothing left");
            System.out.printf("1,005 one-entry batches: pushed in %d ms, pulled in %d ms%n",
                    (pushed - start) / 1_000_000, (pulled - pushed) / 1_000_000);
        }
    }
}
