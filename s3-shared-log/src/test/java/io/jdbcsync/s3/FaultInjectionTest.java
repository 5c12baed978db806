package io.jdbcsync.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdbcsync.s3.FaultProxy.Fault;
import io.jdbcsync.spi.BatchConflictException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/** Failures between the log and S3, injected by a proxy in front of a real S3 server. */
class FaultInjectionTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = TestS3.server();

    private static final String BATCH_1 = "/shared-log/team/app/devices/d1/batches/00000000000000000001.batch";

    private FaultProxy proxy;
    private final List<Long> sleeps = Collections.synchronizedList(new ArrayList<>());
    private Runnable onSleep = () -> { };

    @BeforeEach
    void start() throws IOException {
        TestS3.createBucket(S3.getUri());
        proxy = new FaultProxy(S3.getUri());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
    }

    private S3SharedLog open(String... options) {
        return TestS3.open(proxy.uri(), millis -> {
            sleeps.add(millis);
            onSleep.run();
        }, options);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private List<String> requestsTo(String path) {
        return proxy.requests().stream().filter(r -> r.split(" ")[1].startsWith(path)).toList();
    }

    @Test
    void transientErrorsAreRetriedWithGrowingBackoff() throws Exception {
        try (S3SharedLog log = open()) {
            proxy.script(Fault.error(503, "SlowDown"), Fault.error(500, "InternalError"),
                    Fault.error(429, "TooManyRequests"));
            log.putBatch("d1", 1, bytes("payload"));

            assertEquals(List.of("PUT " + BATCH_1, "PUT " + BATCH_1, "PUT " + BATCH_1, "PUT " + BATCH_1),
                    requestsTo(BATCH_1));
            assertEquals(4L, log.requestCounts().get("PUT"));
            assertEquals(3, sleeps.size());
            assertTrue(sleeps.get(0) <= 100 && sleeps.get(1) <= 200 && sleeps.get(2) <= 400, sleeps.toString());
            assertArrayEquals(bytes("payload"), log.getBatch("d1", 1));
        }
    }

    @Test
    void attemptsAreBoundedAndTheFailureSaysWhatWasTried() throws Exception {
        try (S3SharedLog log = open("sync.s3.max-attempts", "3")) {
            proxy.script(Fault.error(503, "SlowDown"), Fault.error(503, "SlowDown"), Fault.error(503, "SlowDown"),
                    Fault.error(503, "SlowDown"));
            IOException e = assertThrows(IOException.class, () -> log.putBatch("d1", 1, bytes("x")));
            assertTrue(e.getMessage().startsWith("S3 PUT s3:/" + BATCH_1 + ": 503 SlowDown after 3 attempts"),
                    e.getMessage());
            assertEquals(3L, log.requestCounts().get("PUT"));
            assertEquals(2, sleeps.size());
            // The fourth scripted fault was never used: nothing was sent after giving up.
            assertEquals(3, requestsTo(BATCH_1).size());
        }
    }

    @Test
    void clientErrorsAreNotRetried() throws Exception {
        try (S3SharedLog log = open()) {
            proxy.script(Fault.error(403, "AccessDenied", "Access Denied"));
            IOException e = assertThrows(IOException.class, () -> log.getBatch("d1", 1));
            assertEquals("S3 GET s3:/" + BATCH_1 + ": 403 AccessDenied (server said: Access Denied)", e.getMessage());
            assertEquals(1L, log.requestCounts().get("GET"));
            assertEquals(List.of(), sleeps);
        }
    }

    @Test
    void conditionalWriteConflictIsRetried() throws Exception {
        try (S3SharedLog log = open()) {
            proxy.script(Fault.error(409, "ConditionalRequestConflict"));
            log.putBatch("d1", 1, bytes("x"));
            assertEquals(2, requestsTo(BATCH_1).size());
            assertArrayEquals(bytes("x"), log.getBatch("d1", 1));
        }
    }

    @Test
    void serverWithoutConditionalWritesIsReportedClearly() throws Exception {
        try (S3SharedLog log = open()) {
            proxy.script(Fault.error(501, "NotImplemented"));
            IOException e = assertThrows(IOException.class, () -> log.putBatch("d1", 1, bytes("x")));
            assertTrue(e.getMessage().contains("501 NotImplemented"), e.getMessage());
            assertTrue(e.getMessage().contains("If-None-Match"), e.getMessage());
            assertEquals(1L, log.requestCounts().get("PUT"));
        }
    }

    @Test
    void slowResponsesTimeOutAndAreRetried() throws Exception {
        // The retry must answer within the timeout, on a loaded machine too: a wide margin.
        try (S3SharedLog log = open("sync.s3.timeout-ms", "3000")) {
            log.putBatch("d1", 1, bytes("x"));
            proxy.script(Fault.delay(30_000));
            long start = System.nanoTime();
            assertArrayEquals(bytes("x"), log.getBatch("d1", 1));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(2L, log.requestCounts().get("GET"));
            assertEquals(1, sleeps.size());
            assertTrue(tookMillis < 30_000, "gave up on the slow attempt early, took " + tookMillis + " ms");
        }
    }

    @Test
    void attemptsThatAllTimeOutEndInAClearError() throws Exception {
        try (S3SharedLog log = open("sync.s3.timeout-ms", "200", "sync.s3.max-attempts", "2")) {
            proxy.script(Fault.delay(1_000), Fault.delay(1_000));
            IOException e = assertThrows(IOException.class, () -> log.listBatches("d1", -1, 10));
            assertTrue(e.getMessage().startsWith("S3 LIST s3://shared-log/team/app/devices/d1/batches/: "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("no response within 200 ms"), e.getMessage());
            assertTrue(e.getMessage().endsWith(" after 2 attempts"), e.getMessage());
            assertEquals(2L, log.requestCounts().get("LIST"));
        }
    }

    @Test
    void lostResponseAfterASuccessfulPutIsHarmless() throws Exception {
        try (S3SharedLog log = open()) {
            proxy.script(Fault.dropResponse());
            log.putBatch("d1", 1, bytes("written once"));

            // The first PUT was stored but its answer lost; the retry met If-None-Match (412),
            // and reading the object back showed it is ours.
            assertEquals(List.of("PUT " + BATCH_1, "PUT " + BATCH_1, "GET " + BATCH_1), requestsTo(BATCH_1));
            assertEquals(2L, log.requestCounts().get("PUT"));
            assertEquals(1L, log.requestCounts().get("GET"));
            assertEquals(List.of(1L), log.listBatches("d1", -1, 10));
            try (S3Client raw = TestS3.rawClient(S3.getUri())) {
                assertEquals(1, raw.listObjectsV2(b -> b.bucket(TestS3.BUCKET).prefix("team/app/devices/"))
                        .contents().size());
            }
            assertArrayEquals(bytes("written once"), log.getBatch("d1", 1));
        }
    }

    @Test
    void lostResponseDoesNotHideARealConflict() throws Exception {
        try (S3SharedLog log = open()) {
            log.putBatch("d1", 1, bytes("from the other device"));
            proxy.script(Fault.dropResponse()); // our PUT meets 412 upstream, and the answer is lost
            assertThrows(BatchConflictException.class, () -> log.putBatch("d1", 1, bytes("ours")));
            assertArrayEquals(bytes("from the other device"), log.getBatch("d1", 1));
        }
    }

    @Test
    void lostResponseOfPutIfAbsentStillReportsOurWrite() throws Exception {
        try (S3SharedLog log = open()) {
            proxy.script(Fault.dropResponse());
            assertTrue(log.putObjectIfAbsent("keys/info", bytes("mine")));
            assertFalse(log.putObjectIfAbsent("keys/info", bytes("mine")));
            assertArrayEquals(bytes("mine"), log.getObject("keys/info").orElseThrow());
        }
    }

    @Test
    void operationsSucceedOnceTheServerIsBack() throws Exception {
        try (S3SharedLog log = open()) {
            proxy.stop();
            // The server comes back while the log waits before its third attempt.
            onSleep = () -> {
                if (sleeps.size() == 2) {
                    try {
                        proxy.start();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            log.putBatch("d1", 1, bytes("x"));
            assertEquals(3L, log.requestCounts().get("PUT"));
            assertEquals(List.of("PUT " + BATCH_1), requestsTo(BATCH_1), "refused attempts never arrived");
            assertEquals(List.of(1L), log.listBatches("d1", -1, 10));
        }
    }

    @Test
    void serverDownThroughAllAttemptsIsAClearError() throws Exception {
        try (S3SharedLog log = open("sync.s3.max-attempts", "4")) {
            proxy.stop();
            IOException e = assertThrows(IOException.class, () -> log.getObject("progress/d1"));
            assertEquals("S3 GET s3://shared-log/team/app/objects/progress/d1: connection failed"
                    + " (ConnectException: Connection refused) after 4 attempts", e.getMessage());
            assertEquals(3, sleeps.size());
            proxy.start();
            assertTrue(log.getObject("progress/d1").isEmpty());
        }
    }

    @Test
    void aStoppedProxyRefusesConnectionsAndKeepsItsPort() throws Exception {
        InetSocketAddress address = new InetSocketAddress(proxy.uri().getHost(), proxy.uri().getPort());
        proxy.stop();
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(address, 5_000);
            }
        });
        // Another server on this machine cannot take the port and answer in the proxy's place.
        assertThrows(BindException.class, () -> {
            try (ServerSocket other = new ServerSocket()) {
                other.bind(address);
            }
        });
        proxy.start();
        try (Socket socket = new Socket()) {
            socket.connect(address, 5_000);
        }
    }

    @Test
    void credentialsNeverShowInErrorsOrDescription() throws Exception {
        String echo = "key " + TestS3.ACCESS_KEY + " secret " + TestS3.SECRET_KEY;
        try (S3SharedLog log = open("sync.s3.max-attempts", "2")) {
            assertFalse(leaks(log.describe()), log.describe());
            // A server that echoes credentials in its error text, retryable and final.
            proxy.script(Fault.error(500, "InternalError", echo), Fault.error(403, "InvalidAccessKeyId", echo));
            IOException e = assertThrows(IOException.class, () -> log.getBatch("d1", 1));
            assertTrue(e.getMessage().contains("403 InvalidAccessKeyId"), e.getMessage());
            assertTrue(e.getMessage().contains(Redactor.MASK), e.getMessage());
            assertFalse(leaks(stackTrace(e)), stackTrace(e));
        }
        // Credentials the server rejects.
        try (S3SharedLog log = open("sync.s3.secret-key", "wrong/" + TestS3.SECRET_KEY)) {
            IOException e = assertThrows(IOException.class, () -> log.putBatch("d1", 1, bytes("x")));
            assertTrue(e.getMessage().contains("403"), e.getMessage());
            assertFalse(leaks(stackTrace(e)), stackTrace(e));
        }
    }

    private static boolean leaks(String text) {
        return text.contains(TestS3.ACCESS_KEY) || text.contains(TestS3.SECRET_KEY);
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
