package io.jdbcsync.proxy.server;

import io.jdbcsync.proxy.RawClient;
import io.jdbcsync.proxy.RunningProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An active session's worker reads the client's socket itself, and the event loop takes it back
 * when the client is quiet: commands sent together, a packet cut at any point (also across the
 * hand-back), and a packet over the limit are read as when the event loop reads them.
 */
class WorkerReadsTest {
    private static final int MAX_PACKET = 1 << 20;
    private static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = RunningProxy.start(Files.createTempDirectory("proxy-log"),
                c -> c.withLimits(10, Duration.ofSeconds(10), Duration.ofHours(1), MAX_PACKET));
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    private static RawClient client() throws Exception {
        RawClient c = new RawClient(proxy.port());
        assertEquals(0, c.login(RunningProxy.USER, RunningProxy.PASSWORD, proxy.database(), 0)[0]);
        return c;
    }

    private static byte[] frame(String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[text.length + 5];
        f[0] = (byte) (text.length + 1);
        f[3] = 0;
        f[4] = 0x03;
        System.arraycopy(text, 0, f, 5, text.length);
        return f;
    }

    /** The single value of a one-row, one-column text result (column packets, then the row). */
    private static String value(RawClient c) throws Exception {
        List<byte[]> columns = c.readUntilEnd();
        assertTrue(columns.size() >= 3, "a result set, got " + columns.size() + " packets");
        byte[] row = c.readUntilEnd().get(0);
        return new String(row, 1, row[0], StandardCharsets.UTF_8);
    }

    @Test
    void commandsSentTogetherAreAnsweredInOrder() throws Exception {
        try (RawClient c = client()) {
            ByteArrayOutputStream three = new ByteArrayOutputStream();
            for (int i = 1; i <= 3; i++) {
                three.write(frame("SELECT " + i));
            }
            c.writeRaw(three.toByteArray());
            for (int i = 1; i <= 3; i++) {
                assertEquals(String.valueOf(i), value(c));
            }
            // Again while the worker reads (it has just answered).
            c.writeRaw(three.toByteArray());
            for (int i = 1; i <= 3; i++) {
                assertEquals(String.valueOf(i), value(c));
            }
        }
    }

    @Test
    void aPacketCutAnywhereIsJoinedOnEitherSideOfTheHandBack() throws Exception {
        try (RawClient c = client()) {
            byte[] f = frame("SELECT 'cut'");
            for (int cut : new int[] {1, 3, 4, 7, f.length - 1}) {
                for (long pause : new long[] {20, 2 * WorkerReads.QUIET / 1_000_000}) {
                    c.writeRaw(Arrays.copyOfRange(f, 0, cut));
                    Thread.sleep(pause);
                    c.writeRaw(Arrays.copyOfRange(f, cut, f.length));
                    assertEquals("cut", value(c), "cut at " + cut + " with a pause of " + pause + " ms");
                }
                // Quiet long enough for the event loop to take the session back before the next one.
                Thread.sleep(2 * WorkerReads.QUIET / 1_000_000);
            }
        }
    }

    @Test
    void aPacketOverTheLimitWhileTheWorkerReadsIsRefused() throws Exception {
        try (RawClient c = client()) {
            c.query("SELECT 1");
            c.readUntilEnd();
            c.readUntilEnd();
            int length = MAX_PACKET + 1;
            c.writeRaw(new byte[] {(byte) length, (byte) (length >> 8), (byte) (length >> 16), 0, 0x03});
            byte[] err = c.read();
            assertEquals(0xFF, err[0] & 0xFF);
            assertEquals(1153, RawClient.errorCode(err));
            assertTrue(c.closedByServer());
        }
    }
}
