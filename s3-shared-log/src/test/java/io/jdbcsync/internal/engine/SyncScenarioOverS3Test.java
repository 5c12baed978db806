package io.jdbcsync.internal.engine;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** The continuous-sync scenarios, through S3 instead of a directory. */
class SyncScenarioOverS3Test extends SyncScenarioTest {
    private static S3ProxyExtension s3;

    @BeforeAll
    static void s3() throws Exception {
        s3 = S3Suite.start();
    }

    @AfterAll
    static void stop() {
        S3Suite.stop(s3);
    }

    @Override
    @Test
    @Disabled("counts calls of the fault-injecting directory log; over S3, SyncOverS3Test counts requests")
    void syncsWithNothingNewCostTheSameWhateverTheHistory() {
    }

    @Override
    @Test
    @Disabled("looks at batch files in the directory; over S3, SyncOverS3Test checks the batch objects")
    void batchesAreBoundedInEntries() {
    }

    @Override
    @Test
    @Disabled("injects faults through the directory log; over S3, the fault proxy tests do")
    void lostWriteResponseIsRecognisedAsOurOwnBatch() {
    }

    @Override
    @Test
    @Disabled("corrupts a batch file in the directory; over S3, SyncOverS3Test corrupts objects")
    void corruptBatchIsRefusedAndOtherDevicesStillSync() {
    }

    @Override
    @Test
    @Disabled("injects faults through the directory log; over S3, the fault proxy tests do")
    void failedWritesInARunOfBatchesAreResumedInOrder() {
    }
}
