package io.jdbcsync.internal.engine;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Joining from a snapshot in bulk, with the snapshot read from S3 instead of a directory. */
class SnapshotJoinOverS3Test extends SnapshotJoinTest {
    private static S3ProxyExtension s3;

    @BeforeAll
    static void s3() throws Exception {
        s3 = S3Suite.start();
    }

    @AfterAll
    static void stop() {
        S3Suite.stop(s3);
    }
}
