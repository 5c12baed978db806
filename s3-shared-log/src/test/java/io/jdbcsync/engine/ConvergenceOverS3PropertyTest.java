package io.jdbcsync.engine;

import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.gaul.s3proxy.junit.S3ProxyExtension;

/**
 * The convergence property through S3 (faults here come from the S3 fault-proxy tests, not from
 * the directory log): random changes, sync orders, duplicate deliveries and compactions.
 */
class ConvergenceOverS3PropertyTest extends ConvergencePropertyTest {
    private static S3ProxyExtension s3;

    @BeforeContainer
    static void s3() throws Exception {
        s3 = S3Suite.start();
    }

    @AfterContainer
    static void stop() {
        S3Suite.stop(s3);
    }
}
