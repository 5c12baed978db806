package io.jdbcsync.internal.engine;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Snapshots published by the devices themselves, through S3 instead of a directory. */
class SnapshotEveryOverS3Test extends SnapshotEveryTest {
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
